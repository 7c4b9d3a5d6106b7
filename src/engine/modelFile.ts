/**
 * Backprop Lab model files: a versioned, self-describing JSON format for a trained network — the one place
 * to import it from. The format itself (fields, encoding, why base64 Float32) is described in
 * ./modelFormat.ts and docs/model-format.md; the parts live in the files next to it:
 *
 * - modelFormat.ts: the tag and version, the file's types, `ModelFileError`;
 * - modelFileRead.ts: `parseModel`, which validates everything before returning plain data;
 * - modelFileWrite.ts: `serializeModel`;
 * - modelFit.ts: `checkModelFits`, a parsed model against the data it will meet (sizes, weight range);
 * - modelFileChecks.ts: `validateTrainConfig` and the training record, by the settings schema's rows;
 * - modelFileVersions.ts: one upgrade step per old version (`upgradeModelJson`);
 * - base64Floats.ts: Float32 little-endian ⇄ base64, strict, without DOM or Node Buffer.
 */
export {
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  ModelFileError,
  type JsonObject,
  type ModelFileErrorKind,
  type ModelFileLayer,
  type ModelFileV1,
  type ModelParams,
  type ParsedModel,
  type SerializableNetwork,
  type TrainingInfo,
} from './modelFormat.ts';
export { parseModel } from './modelFileRead.ts';
export { checkModelFits, MAX_MODEL_WEIGHT, type ModelTarget } from './modelFit.ts';
export { serializeModel } from './modelFileWrite.ts';
export { validateTrainConfig } from './modelFileChecks.ts';
export { MODEL_FILE_UPGRADES, upgradeModelJson, type ModelFileUpgrade } from './modelFileVersions.ts';
export {
  base64Length,
  base64ToFloat32,
  decodeBase64,
  encodeBase64,
  float32ToBase64,
} from './base64Floats.ts';
