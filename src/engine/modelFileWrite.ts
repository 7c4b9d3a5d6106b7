/** Saving: a network and its config → the text of a model file of the current version (see modelFormat.ts). */
import { firstNonFinite, float32ToBase64 } from './base64Floats.ts';
import { sizesOf, validateTrainConfig, validateTraining } from './modelFileChecks.ts';
import {
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  ModelFileError,
  type ModelFileLayer,
  type ModelFileV1,
  type SerializableNetwork,
  type TrainingInfo,
} from './modelFormat.ts';
import { settingWord, trainSetting } from './settings.ts';
import type { TrainConfig } from './types.ts';

/**
 * Writes a network and the config it was trained with as a version-1 model file (pretty-printed JSON).
 * Throws a {@link ModelFileError} when the config is invalid, the network's shape does not match it, or a
 * weight is NaN/Infinity (a diverged network is not worth saving, and the loader would reject it anyway).
 */
export function serializeModel(
  net: SerializableNetwork,
  config: TrainConfig,
  extra: { training?: TrainingInfo } = {},
): string {
  const clean = validateTrainConfig(config);
  const training = extra.training === undefined ? undefined : validateTraining(extra.training);
  const sizes = sizesOf(clean);
  if (net.layers.length !== sizes.length - 1) {
    throw new ModelFileError(
      'shape-mismatch',
      'layers',
      `the network has ${net.layers.length} layers, the config describes ${sizes.length - 1}`,
    );
  }
  const layers: ModelFileLayer[] = net.layers.map((layer, i) => {
    const path = `layers[${i}]`;
    const expectedActivation = i === sizes.length - 2 ? 'softmax' : clean.activation;
    if (
      layer.inSize !== sizes[i] ||
      layer.outSize !== sizes[i + 1] ||
      layer.activation !== expectedActivation
    ) {
      throw new ModelFileError(
        'shape-mismatch',
        path,
        `network layer is ${layer.inSize}→${layer.outSize} ${layer.activation}, the config says ` +
          `${sizes[i]}→${sizes[i + 1]} ${expectedActivation}`,
      );
    }
    if (layer.weights.length !== layer.inSize * layer.outSize || layer.biases.length !== layer.outSize) {
      throw new ModelFileError('shape-mismatch', path, 'weight or bias buffer has the wrong length');
    }
    for (const [name, values] of [
      ['weights', layer.weights],
      ['biases', layer.biases],
    ] as const) {
      const bad = firstNonFinite(values);
      if (bad >= 0) {
        throw new ModelFileError(
          'non-finite',
          `${path}.${name}`,
          `value [${bad}] is ${values[bad]}; refusing to save`,
        );
      }
    }
    return {
      inSize: layer.inSize,
      outSize: layer.outSize,
      activation: layer.activation,
      weights: float32ToBase64(layer.weights),
      biases: float32ToBase64(layer.biases),
    };
  });
  const file: ModelFileV1 = {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    config: {
      ...clean,
      batchSize: settingWord(trainSetting('batchSize'), clean.batchSize) as number | 'all',
    },
    ...(training ? { training } : {}),
    layers,
  };
  return JSON.stringify(file, null, 2);
}
