/**
 * Backprop Lab model files: a versioned, self-describing JSON format for a trained network.
 *
 * Format `backprop-lab-model`, version 1 (see also docs/model-format.md):
 *
 * ```jsonc
 * {
 *   "format": "backprop-lab-model",   // fixed tag: anything else is not ours
 *   "version": 1,                     // bumped on any incompatible change; older versions are upgraded step by step
 *   "config": { …TrainConfig… },      // architecture + hyper-parameters + seed; a missing setting takes its default
 *   "training": { "epochs": 5, "steps": 4690, "testAccuracy": 0.978 },   // optional: how far it was trained
 *   "layers": [                       // input side first; hidden.length + 1 entries
 *     { "inSize": 784, "outSize": 128, "activation": "relu",
 *       "weights": "<base64>",        // Float32 little-endian, [outSize, inSize] row-major (neuron-major)
 *       "biases": "<base64>" },       // Float32 little-endian, [outSize]
 *     …,
 *     { "inSize": 64, "outSize": 10, "activation": "softmax", … }
 *   ]
 * }
 * ```
 *
 * Why base64 Float32 rather than JSON numbers: exact (bit-for-bit round trip), about 3× smaller than decimal
 * text, and fast to decode. Little-endian is fixed by the format, not taken from the platform.
 *
 * This file is the format's vocabulary (tag, version, the file's types, the error); reading, writing, the
 * version steps and base64 are in the files next to it, and src/engine/modelFile.ts is the one place to
 * import them from.
 */
import type { Activation, TrainConfig } from './types.ts';

/** The fixed format tag of our model files. */
export const MODEL_FORMAT = 'backprop-lab-model';
/** The version this code writes; it reads this one and every older one (see `upgradeModelJson`). */
export const MODEL_FORMAT_VERSION = 1;

/** Optional record of how far the saved network was trained. */
export interface TrainingInfo {
  /** Completed epochs (whole epochs; progress inside an epoch shows in `steps`). */
  epochs: number;
  /** Mini-batches trained in total. */
  steps: number;
  /** Test accuracy 0..1 at save time, when known. */
  testAccuracy?: number;
}

/** One dense layer as stored. */
export interface ModelFileLayer {
  inSize: number;
  outSize: number;
  activation: Activation | 'softmax';
  /** base64 of Float32 little-endian [outSize, inSize] row-major. */
  weights: string;
  /** base64 of Float32 little-endian [outSize]. */
  biases: string;
}

/** The whole file, version 1. */
export interface ModelFileV1 {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_FORMAT_VERSION;
  /** The batch of the whole training split is written "all" (the schema row's word, engine/settings.ts). */
  config: Omit<TrainConfig, 'batchSize'> & { batchSize: number | 'all' };
  training?: TrainingInfo;
  layers: ModelFileLayer[];
}

/** Parameters as `Network.getParams()` returns and `Network.setParams()` takes them. */
export interface ModelParams {
  /** Per layer, [outSize, inSize] row-major. */
  weights: Float32Array[];
  /** Per layer, [outSize]. */
  biases: Float32Array[];
}

/** What {@link parseModel} returns: everything needed to rebuild the network, fully validated. */
export interface ParsedModel {
  config: TrainConfig;
  params: ModelParams;
  training?: TrainingInfo;
}

/** The read-only view of a network that saving needs (a `Network` fits). */
export interface SerializableNetwork {
  readonly layers: readonly {
    readonly inSize: number;
    readonly outSize: number;
    readonly activation: Activation | 'softmax';
    readonly weights: Float32Array;
    readonly biases: Float32Array;
  }[];
}

export type ModelFileErrorKind =
  | 'not-json'
  | 'wrong-format'
  | 'unsupported-version'
  | 'missing-field'
  | 'invalid-field'
  | 'too-large'
  | 'shape-mismatch'
  | 'bad-base64'
  | 'non-finite'
  /** Finite, but too large for a network to work with (modelFit.ts). */
  | 'out-of-range';

/**
 * Why a model file (or a config) was rejected. `kind` is for code, `path` names the offending field
 * (e.g. `layers[1].weights`, `config.hidden[0]`; empty for the whole file), `message` is for people.
 */
export class ModelFileError extends Error {
  override readonly name = 'ModelFileError';
  readonly kind: ModelFileErrorKind;
  readonly path: string;
  constructor(kind: ModelFileErrorKind, path: string, detail: string) {
    super(path ? `${path}: ${detail}` : detail);
    this.kind = kind;
    this.path = path;
  }
}

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/** True for a JSON object (not null, not an array). */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
