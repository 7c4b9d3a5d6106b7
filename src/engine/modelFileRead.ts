/**
 * Loading: the text of a model file of any known version → a validated config and parameters.
 *
 * {@link parseModel} validates everything before the caller touches a network: the tag, the
 * version (an older one is upgraded first, {@link upgradeModelJson}), every config field (by the settings
 * schema of src/engine/settings.ts: types, enums, ranges, resource limits), the layer chain (sizes connect
 * and match the config, activations match), each base64 string's exact length (checked BEFORE anything is decoded or
 * allocated, so a file cannot make us allocate more than its own size), and that every decoded value is
 * finite. It returns plain data or throws a {@link ModelFileError}; it never returns a half-valid model.
 * The caller applies the result with `Network.create(config)` + `network.setParams(params)`.
 */
import { base64Length, base64ToFloat32 } from './base64Floats.ts';
import { field, settingAt, sizesOf, validateTrainConfig, validateTraining } from './modelFileChecks.ts';
import {
  MODEL_FORMAT,
  ModelFileError,
  isObject,
  type JsonObject,
  type ModelParams,
  type ParsedModel,
} from './modelFormat.ts';
import { upgradeModelJson } from './modelFileVersions.ts';
import { checkSetting, describeValue, trainSetting } from './settings.ts';

/**
 * The row a layer's side is checked by before it is compared with the config: the input size's, the widest
 * the schema allows (hidden and output sizes have lower limits), so an absurd side is 'too-large' rather
 * than a mismatch.
 */
const LAYER_SIDE = trainSetting('inputSize');

function layerSide(v: unknown, path: string): number {
  return settingAt(path, () => checkSetting(LAYER_SIDE, v) as number);
}

/**
 * Reads a model file. Everything is checked before anything is decoded (tag, version, config, layer chain,
 * base64 lengths), then the weights are decoded and checked for NaN/Infinity. Returns fresh arrays the
 * caller owns; throws a {@link ModelFileError} with a message that says what is wrong and where.
 */
export function parseModel(text: string): ParsedModel {
  let root: JsonObject;
  if (typeof text !== 'string') {
    throw new ModelFileError('not-json', '', `expected the file's text, got ${describeValue(text)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const head = text.trimStart().slice(0, 20).toLowerCase();
    if (head.startsWith('<!doctype') || head.startsWith('<html') || head.startsWith('<')) {
      throw new ModelFileError(
        'not-json',
        '',
        'this is HTML, not a model file (a web page arrived where JSON was expected)',
      );
    }
    throw new ModelFileError('not-json', '', `not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(json)) {
    throw new ModelFileError('wrong-format', '', `expected a JSON object, got ${describeValue(json)}`);
  }
  root = json;
  if (root.format !== MODEL_FORMAT) {
    throw new ModelFileError(
      'wrong-format',
      'format',
      `not a Backprop Lab model file (expected format "${MODEL_FORMAT}", got ${describeValue(root.format)})` +
        (isObject(root.modelTopology) ? '; this looks like a TensorFlow.js model.json' : ''),
    );
  }
  root = upgradeModelJson(root);
  const config = validateTrainConfig(root.config, 'config');
  const training = root.training === undefined ? undefined : validateTraining(root.training);

  const layersRaw = root.layers;
  if (layersRaw === undefined) throw new ModelFileError('missing-field', 'layers', 'missing');
  if (!Array.isArray(layersRaw)) {
    throw new ModelFileError('invalid-field', 'layers', `expected an array, got ${describeValue(layersRaw)}`);
  }
  const sizes = sizesOf(config);
  if (layersRaw.length !== sizes.length - 1) {
    throw new ModelFileError(
      'shape-mismatch',
      'layers',
      `expected ${sizes.length - 1} layers for sizes ${sizes.join('-')}, got ${layersRaw.length}`,
    );
  }

  // Pass 1: structure and string lengths only — no decoding, no allocation beyond the JSON itself.
  const checked = layersRaw.map((raw: unknown, i) => {
    const path = `layers[${i}]`;
    if (!isObject(raw))
      throw new ModelFileError('invalid-field', path, `expected an object, got ${describeValue(raw)}`);
    const inSize = layerSide(field(raw, 'inSize', path), `${path}.inSize`);
    const outSize = layerSide(field(raw, 'outSize', path), `${path}.outSize`);
    if (inSize !== sizes[i]) {
      throw new ModelFileError(
        'shape-mismatch',
        `${path}.inSize`,
        i === 0
          ? `is ${inSize}, but config.inputSize is ${sizes[0]}`
          : `is ${inSize}, but the previous layer has ${sizes[i]} outputs (layers must connect)`,
      );
    }
    if (outSize !== sizes[i + 1]) {
      throw new ModelFileError(
        'shape-mismatch',
        `${path}.outSize`,
        `is ${outSize}, but the config says ${sizes[i + 1]} (${sizes.join('-')})`,
      );
    }
    const last = i === sizes.length - 2;
    const activation = field(raw, 'activation', path);
    const expected = last ? 'softmax' : config.activation;
    if (activation !== expected) {
      throw new ModelFileError(
        'shape-mismatch',
        `${path}.activation`,
        `expected "${expected}" (${last ? 'the output layer is softmax' : 'config.activation'}), got ${describeValue(activation)}`,
      );
    }
    const weights = field(raw, 'weights', path);
    const biases = field(raw, 'biases', path);
    for (const [name, v, count] of [
      ['weights', weights, inSize * outSize],
      ['biases', biases, outSize],
    ] as const) {
      if (typeof v !== 'string') {
        throw new ModelFileError(
          'invalid-field',
          `${path}.${name}`,
          `expected a base64 string, got ${describeValue(v)}`,
        );
      }
      if (v.length !== base64Length(count * 4)) {
        throw new ModelFileError(
          'bad-base64',
          `${path}.${name}`,
          `expected ${count} float32 values (${base64Length(count * 4)} base64 characters), got ${v.length} characters`,
        );
      }
    }
    return { inSize, outSize, weights: weights as string, biases: biases as string };
  });

  // Pass 2: decode (lengths are known to be right, so allocations match the file's own size).
  const params: ModelParams = { weights: [], biases: [] };
  checked.forEach((l, i) => {
    params.weights.push(base64ToFloat32(l.weights, l.inSize * l.outSize, `layers[${i}].weights`));
    params.biases.push(base64ToFloat32(l.biases, l.outSize, `layers[${i}].biases`));
  });
  return training ? { config, params, training } : { config, params };
}
