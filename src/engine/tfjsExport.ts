/**
 * Export to the TensorFlow.js Layers format (`model.json` + `weights.bin`), without depending on TF.js.
 *
 * The result loads with `tf.loadLayersModel('…/model.json')` (or `tf.io.fromMemory`) in any TF.js app and
 * gives the same predictions as our network (checked in test/engine/tfjsExport.test.ts).
 *
 * Mapping (Keras Sequential, as tfjs-layers 4.x writes it itself):
 * - each of our dense layers → a `Dense` layer, `units = outSize`, `use_bias: true`;
 *   kernel `[inSize, outSize]` — the TRANSPOSE of our `[outSize, inSize]` storage — and bias `[outSize]`;
 * - each hidden activation as its row in activations.ts says (`tfjs`): relu / sigmoid / tanh → the Dense
 *   layer's own `activation`; leaky ReLU (slope 0.01) → Dense with `activation: 'linear'` followed by a
 *   `LeakyReLU` layer with `alpha: 0.01`; the output layer's softmax → `activation: 'softmax'`;
 * - the first layer carries `batch_input_shape: [null, inputSize]`;
 * - dropout, where the run trained with it (`options.dropout`): a `Dropout` layer with that `rate` before
 *   the first Dense (input dropout; it then carries the input shape) and after each hidden activation.
 *   Keras' Dropout is inverted dropout, like ours, and is the identity at inference, so predictions are
 *   unchanged; a TF.js user who fine-tunes the model trains with the same dropout.
 *
 * `weights.bin` is every weight in manifest order (layer 1 kernel, layer 1 bias, layer 2 kernel, …) as
 * Float32 little-endian, concatenated, as TF.js expects (one shard; our largest sensible models are a few MB).
 */

import { ACTIVATION_TABLE, LEAKY_SLOPE } from './activations.ts';
import type { SerializableNetwork } from './modelFile.ts';

/** One entry of a TF.js weights manifest. */
export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
}

/** A Keras layer in the JSON topology (`class_name` + `config`). */
export interface TfjsLayerJson {
  class_name: 'Dense' | 'LeakyReLU' | 'Dropout';
  config: Record<string, unknown>;
}

/** The `model.json` of the TF.js Layers format. */
export interface TfjsModelJson {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
  modelTopology: {
    class_name: 'Sequential';
    config: { name: string; layers: TfjsLayerJson[] };
    keras_version: string;
    backend: string;
  };
  weightsManifest: { paths: string[]; weights: TfjsWeightSpec[] }[];
}

export interface TfjsExport {
  /** Write as `model.json` (JSON.stringify). */
  modelJson: TfjsModelJson;
  /** Write as `weights.bin` next to it (the path in `modelJson.weightsManifest[0].paths`). */
  weightsBin: Uint8Array;
}

/** Keras' LeakyReLU `alpha` = the engine's slope for z < 0 (0.01): f(z) = z > 0 ? z : 0.01·z. */
export const LEAKY_RELU_ALPHA = LEAKY_SLOPE;

/** The file name `weights.bin` is referred to by in model.json. */
export const TFJS_WEIGHTS_FILE = 'weights.bin';

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Builds `model.json` and `weights.bin` for a network (a `Network` fits `SerializableNetwork`).
 * Pure: copies the weights (transposed), never touches the network.
 */
export function exportTfjs(
  net: SerializableNetwork,
  options: { generatedBy?: string; dropout?: { input: number; hidden: number } } = {},
): TfjsExport {
  const layers: TfjsLayerJson[] = [];
  const dropIn = options.dropout?.input ?? 0;
  const dropHidden = options.dropout?.hidden ?? 0;
  const dropoutLayer = (rate: number, name: string, extra: Record<string, unknown> = {}): TfjsLayerJson => ({
    class_name: 'Dropout',
    config: { rate, name, trainable: true, dtype: 'float32', ...extra },
  });
  if (dropIn > 0 && net.layers.length > 0) {
    layers.push(dropoutLayer(dropIn, 'dropout_input', { batch_input_shape: [null, net.layers[0]!.inSize] }));
  }
  const specs: TfjsWeightSpec[] = [];
  let totalFloats = 0;
  for (const layer of net.layers) totalFloats += layer.inSize * layer.outSize + layer.outSize;
  const floats = new Float32Array(totalFloats);
  let offset = 0;

  net.layers.forEach((layer, i) => {
    const { inSize, outSize } = layer;
    if (layer.weights.length !== inSize * outSize || layer.biases.length !== outSize) {
      throw new Error(`layer ${i}: weight buffers do not match ${inSize}→${outSize}`);
    }
    const name = `dense_${i + 1}`;
    const tfjs =
      layer.activation === 'softmax'
        ? { activation: 'softmax', layerAfter: null }
        : ACTIVATION_TABLE[layer.activation].tfjs;
    const config: Record<string, unknown> = {
      units: outSize,
      activation: tfjs.activation,
      use_bias: true,
      name,
      trainable: true,
      dtype: 'float32',
    };
    if (i === 0 && !(dropIn > 0)) config.batch_input_shape = [null, inSize];
    layers.push({ class_name: 'Dense', config });
    const after = tfjs.layerAfter;
    if (after !== null) {
      layers.push({
        class_name: after.className,
        config: { alpha: after.alpha, name: `${after.name}_${i + 1}`, trainable: true, dtype: 'float32' },
      });
    }
    if (dropHidden > 0 && layer.activation !== 'softmax')
      layers.push(dropoutLayer(dropHidden, `dropout_${i + 1}`));

    // kernel[k, o] = W[o, k]: ours is [out, in] (each neuron's weights contiguous), Keras' is [in, out].
    const w = layer.weights;
    for (let k = 0; k < inSize; k++) {
      const row = offset + k * outSize;
      for (let o = 0; o < outSize; o++) floats[row + o] = w[o * inSize + k];
    }
    offset += inSize * outSize;
    floats.set(layer.biases, offset);
    offset += outSize;
    specs.push({ name: `${name}/kernel`, shape: [inSize, outSize], dtype: 'float32' });
    specs.push({ name: `${name}/bias`, shape: [outSize], dtype: 'float32' });
  });

  let weightsBin: Uint8Array;
  if (LITTLE_ENDIAN) {
    weightsBin = new Uint8Array(floats.buffer);
  } else {
    weightsBin = new Uint8Array(floats.length * 4);
    const view = new DataView(weightsBin.buffer);
    for (let i = 0; i < floats.length; i++) view.setFloat32(i * 4, floats[i], true);
  }

  return {
    modelJson: {
      format: 'layers-model',
      generatedBy: options.generatedBy ?? 'Backprop Lab (src/engine/tfjsExport.ts)',
      convertedBy: null,
      modelTopology: {
        class_name: 'Sequential',
        config: { name: 'backprop_lab_mlp', layers },
        keras_version: 'tfjs-layers 4.22.0',
        backend: 'tensor_flow.js',
      },
      weightsManifest: [{ paths: [TFJS_WEIGHTS_FILE], weights: specs }],
    },
    weightsBin,
  };
}
