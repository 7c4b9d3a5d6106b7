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
 * The loader ({@link parseModel}) validates everything before the caller touches a network: the tag, the
 * version (an older one is upgraded first, {@link upgradeModelJson}), every config field (by the settings
 * schema of src/engine/settings.ts: types, enums, ranges, {@link LIMITS}), the layer chain (sizes connect and match
 * the config, activations match), each base64 string's exact length (checked BEFORE anything is decoded or
 * allocated, so a file cannot make us allocate more than its own size), and that every decoded value is
 * finite. It returns plain data or throws a {@link ModelFileError}; it never returns a half-valid model.
 * The caller applies the result with `Network.create(config)` + `network.setParams(params)`.
 *
 * No DOM, no Node Buffer: base64 is implemented here so the same code runs in browsers, workers and Node.
 */

import { checkSetting, describeValue, normaliseSetting, SettingError, TRAIN_SETTINGS } from './settings.ts';
import { LIMITS, type Activation, type TrainConfig } from './types.ts';

/** The fixed format tag of our model files. */
export const MODEL_FORMAT = 'backprop-lab-model';
/** The version this code writes; it reads this one and every older one (see {@link upgradeModelJson}). */
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
  config: TrainConfig;
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
  | 'non-finite';

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

// ---------------------------------------------------------------------------------------------------------
// Base64 (RFC 4648, standard alphabet, with padding). Strict on input: no whitespace, no URL-safe alphabet.

const B64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_CODES = new Uint8Array(64);
/** char code → 6-bit value, or −1 for characters outside the alphabet. */
const B64_LOOKUP = new Int16Array(256).fill(-1);
for (let i = 0; i < 64; i++) {
  B64_CODES[i] = B64_ALPHABET.charCodeAt(i);
  B64_LOOKUP[B64_ALPHABET.charCodeAt(i)] = i;
}
const PAD = 61; // '='

/** The length of the padded base64 text for `byteLength` bytes: 4·⌈n/3⌉. */
export function base64Length(byteLength: number): number {
  return 4 * Math.ceil(byteLength / 3);
}

/** Bytes → padded base64 text. Works in browsers, workers and Node (no Buffer, no btoa). */
export function encodeBase64(bytes: Uint8Array): string {
  const out = new Uint8Array(base64Length(bytes.length));
  const n = bytes.length;
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o++] = B64_CODES[v >> 18];
    out[o++] = B64_CODES[(v >> 12) & 63];
    out[o++] = B64_CODES[(v >> 6) & 63];
    out[o++] = B64_CODES[v & 63];
  }
  if (i < n) {
    const rest = n - i; // 1 or 2
    const v = (bytes[i] << 16) | (rest === 2 ? bytes[i + 1] << 8 : 0);
    out[o++] = B64_CODES[v >> 18];
    out[o++] = B64_CODES[(v >> 12) & 63];
    out[o++] = rest === 2 ? B64_CODES[(v >> 6) & 63] : PAD;
    out[o] = PAD;
  }
  // String.fromCharCode in chunks: one call per byte would be slow, one call for megabytes overflows the stack.
  let text = '';
  const CHUNK = 0x8000;
  for (let c = 0; c < out.length; c += CHUNK) {
    text += String.fromCharCode(...out.subarray(c, Math.min(out.length, c + CHUNK)));
  }
  return text;
}

/**
 * Padded base64 text → exactly `byteLength` bytes. Throws a {@link ModelFileError} ('bad-base64') naming `path`
 * when the length is not 4·⌈byteLength/3⌉ (checked before allocating), a character is outside the alphabet,
 * or the padding is wrong.
 */
export function decodeBase64(text: string, byteLength: number, path = ''): Uint8Array {
  const expected = base64Length(byteLength);
  if (text.length !== expected) {
    throw new ModelFileError(
      'bad-base64',
      path,
      `expected ${expected} base64 characters for ${byteLength} bytes, got ${text.length}`,
    );
  }
  const out = new Uint8Array(byteLength);
  const padding = byteLength % 3 === 0 ? 0 : 3 - (byteLength % 3);
  const full = expected - (padding > 0 ? 4 : 0); // characters in complete 4-char groups without padding
  let o = 0;
  for (let i = 0; i < full; i += 4) {
    const a = lookup(text, i);
    const b = lookup(text, i + 1);
    const c = lookup(text, i + 2);
    const d = lookup(text, i + 3);
    if ((a | b | c | d) < 0) throw badChar(text, i, path);
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >> 16;
    out[o++] = (v >> 8) & 0xff;
    out[o++] = v & 0xff;
  }
  if (padding > 0) {
    const i = full;
    const a = lookup(text, i);
    const b = lookup(text, i + 1);
    if (a < 0 || b < 0) throw badChar(text, a < 0 ? i : i + 1, path);
    if (padding === 2) {
      if (text.charCodeAt(i + 2) !== PAD || text.charCodeAt(i + 3) !== PAD) {
        throw new ModelFileError('bad-base64', path, `expected "==" padding at character ${i + 2}`);
      }
      out[o] = (a << 2) | (b >> 4);
    } else {
      const c = lookup(text, i + 2);
      if (c < 0) throw badChar(text, i + 2, path);
      if (text.charCodeAt(i + 3) !== PAD) {
        throw new ModelFileError('bad-base64', path, `expected "=" padding at character ${i + 3}`);
      }
      out[o] = (a << 2) | (b >> 4);
      out[o + 1] = ((b & 15) << 4) | (c >> 2);
    }
  }
  return out;
}

function lookup(text: string, i: number): number {
  const code = text.charCodeAt(i);
  return code > 0xff ? -1 : B64_LOOKUP[code];
}

function badChar(text: string, from: number, path: string): ModelFileError {
  let i = from;
  while (i < text.length && lookup(text, i) >= 0) i++;
  return new ModelFileError(
    'bad-base64',
    path,
    `invalid base64 character ${JSON.stringify(text.charAt(i))} at position ${i}`,
  );
}

/** True on little-endian platforms (all current browsers' and Node's targets); big-endian takes the slow path. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Float32 values → base64 of their little-endian bytes. */
export function float32ToBase64(values: Float32Array): string {
  let bytes: Uint8Array;
  if (LITTLE_ENDIAN) {
    bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  } else {
    bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  }
  return encodeBase64(bytes);
}

/**
 * base64 of little-endian Float32 → exactly `count` values. Throws 'bad-base64' (wrong length checked before
 * allocating, bad characters) or 'non-finite' (a NaN or ±Infinity, naming the first index) at `path`.
 */
export function base64ToFloat32(text: string, count: number, path = ''): Float32Array {
  const bytes = decodeBase64(text, count * 4, path);
  let values: Float32Array;
  if (LITTLE_ENDIAN) {
    values = new Float32Array(bytes.buffer, 0, count);
  } else {
    values = new Float32Array(count);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < count; i++) values[i] = view.getFloat32(i * 4, true);
  }
  const bad = firstNonFinite(values);
  if (bad >= 0) {
    throw new ModelFileError(
      'non-finite',
      path,
      `value [${bad}] is ${values[bad]}; weights must be finite numbers`,
    );
  }
  return values;
}

/** Index of the first NaN/±Infinity, or −1. (x − x is 0 for finite x, NaN otherwise.) */
function firstNonFinite(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) {
    if (values[i] - values[i] !== 0) return i;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------------------
// Config validation (shared by the model loader and the CLI).

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const describe = describeValue;

function field(obj: JsonObject, key: string, path: string): unknown {
  if (!(key in obj) || obj[key] === undefined) {
    throw new ModelFileError('missing-field', `${path}.${key}`, 'missing');
  }
  return obj[key];
}

function integerIn(v: unknown, path: string, min: number, max: number, tooLarge = false): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new ModelFileError('invalid-field', path, `expected an integer, got ${describe(v)}`);
  }
  if (v > max && tooLarge) {
    throw new ModelFileError('too-large', path, `${v} is over the limit of ${max}`);
  }
  if (v < min || v > max) {
    throw new ModelFileError('invalid-field', path, `expected an integer from ${min} to ${max}, got ${v}`);
  }
  return v;
}

/**
 * Checks an untrusted value is a sane {@link TrainConfig} and returns a clean copy (known keys only, in
 * canonical order), by the rows of the settings schema (src/engine/settings.ts) — the same kinds and ranges
 * the URL and the CLI use, so a loaded config always round-trips through a link. A missing setting takes its
 * default (a file from before that setting), except those that describe the stored weights (sizes,
 * activation); a seed outside 0…2³²−1 is read modulo 2³², as the RNG reads it. Throws {@link ModelFileError}
 * naming the field (`${path}.learningRate`, `${path}.hidden[1]`).
 */
export function validateTrainConfig(value: unknown, path = 'config'): TrainConfig {
  if (!isObject(value)) {
    throw new ModelFileError(
      value === undefined ? 'missing-field' : 'invalid-field',
      path,
      'expected an object',
    );
  }
  const out: Record<string, unknown> = {};
  for (const s of TRAIN_SETTINGS) {
    const p = `${path}.${s.name}`;
    const raw = value[s.name];
    if (raw === undefined) {
      if (s.modelFile === 'required') throw new ModelFileError('missing-field', p, 'missing');
      out[s.name] = Array.isArray(s.default) ? [...s.default] : s.default;
      continue;
    }
    try {
      out[s.name] = checkSetting(s, normaliseSetting(s, raw));
    } catch (e) {
      if (!(e instanceof SettingError)) throw e;
      throw new ModelFileError(e.kind, e.index === undefined ? p : `${p}[${e.index}]`, e.message);
    }
  }
  return out as unknown as TrainConfig;
}

/** Layer sizes of a config, input first: [inputSize, ...hidden, outputSize]. */
function sizesOf(config: Pick<TrainConfig, 'inputSize' | 'hidden' | 'outputSize'>): number[] {
  return [config.inputSize, ...config.hidden, config.outputSize];
}

function validateTraining(value: unknown): TrainingInfo {
  const path = 'training';
  if (!isObject(value))
    throw new ModelFileError('invalid-field', path, `expected an object, got ${describe(value)}`);
  const epochs = integerIn(field(value, 'epochs', path), `${path}.epochs`, 0, Number.MAX_SAFE_INTEGER);
  const steps = integerIn(field(value, 'steps', path), `${path}.steps`, 0, Number.MAX_SAFE_INTEGER);
  const info: TrainingInfo = { epochs, steps };
  if (value.testAccuracy !== undefined) {
    const acc = value.testAccuracy;
    if (typeof acc !== 'number' || !(acc >= 0 && acc <= 1)) {
      throw new ModelFileError(
        'invalid-field',
        `${path}.testAccuracy`,
        `expected a fraction 0–1, got ${describe(acc)}`,
      );
    }
    info.testAccuracy = acc;
  }
  return info;
}

// ---------------------------------------------------------------------------------------------------------
// Versions: one upgrade step per old version.

/** Turns the parsed JSON of a version-v file into the JSON of a version-(v + 1) file. */
export type ModelFileUpgrade = (file: JsonObject) => JsonObject;

/**
 * The upgrade steps, keyed by the version they read: `MODEL_FILE_UPGRADES[1]` will turn a version-1 file into
 * version 2 when version 2 exists. A reader of version N applies the steps from the file's version up to N in
 * turn, then validates the result as a version-N file, so every version ever written keeps loading. Today
 * version 1 is the only one, so there are no steps yet. (Purely additive settings need no step: a missing
 * setting takes its default.)
 */
export const MODEL_FILE_UPGRADES: Readonly<Record<number, ModelFileUpgrade>> = {};

/**
 * The parsed JSON of a file of any version this code knows, upgraded to `current` by `upgrades` (the
 * parameters are for tests). Throws 'unsupported-version' for a version that is not a whole number from 1
 * to `current` (a newer file: this app cannot know what it means).
 */
export function upgradeModelJson(
  file: JsonObject,
  current: number = MODEL_FORMAT_VERSION,
  upgrades: Readonly<Record<number, ModelFileUpgrade>> = MODEL_FILE_UPGRADES,
): JsonObject {
  const version = file.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1 || version > current) {
    throw new ModelFileError(
      'unsupported-version',
      'version',
      `unsupported model file version ${describe(version)}; this app reads versions 1 to ${current}` +
        (typeof version === 'number' && version > current ? ' (the file is from a newer Backprop Lab)' : ''),
    );
  }
  let upgraded = file;
  for (let v = version; v < current; v++) {
    const step = upgrades[v];
    if (!step) throw new Error(`model file upgrade from version ${v} is missing`);
    upgraded = step(upgraded);
    if (upgraded.version !== v + 1) {
      throw new Error(`model file upgrade from version ${v} wrote version ${String(upgraded.version)}`);
    }
  }
  return upgraded;
}

// ---------------------------------------------------------------------------------------------------------
// Save and load.

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
    config: clean,
    ...(training ? { training } : {}),
    layers,
  };
  return JSON.stringify(file, null, 2);
}

/**
 * Reads a model file. Everything is checked before anything is decoded (tag, version, config, layer chain,
 * base64 lengths), then the weights are decoded and checked for NaN/Infinity. Returns fresh arrays the
 * caller owns; throws a {@link ModelFileError} with a message that says what is wrong and where.
 */
export function parseModel(text: string): ParsedModel {
  let root: JsonObject;
  if (typeof text !== 'string') {
    throw new ModelFileError('not-json', '', `expected the file's text, got ${describe(text)}`);
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
    throw new ModelFileError('wrong-format', '', `expected a JSON object, got ${describe(json)}`);
  }
  root = json;
  if (root.format !== MODEL_FORMAT) {
    throw new ModelFileError(
      'wrong-format',
      'format',
      `not a Backprop Lab model file (expected format "${MODEL_FORMAT}", got ${describe(root.format)})` +
        (isObject(root.modelTopology) ? '; this looks like a TensorFlow.js model.json' : ''),
    );
  }
  root = upgradeModelJson(root);
  const config = validateTrainConfig(root.config, 'config');
  const training = root.training === undefined ? undefined : validateTraining(root.training);

  const layersRaw = root.layers;
  if (layersRaw === undefined) throw new ModelFileError('missing-field', 'layers', 'missing');
  if (!Array.isArray(layersRaw)) {
    throw new ModelFileError('invalid-field', 'layers', `expected an array, got ${describe(layersRaw)}`);
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
      throw new ModelFileError('invalid-field', path, `expected an object, got ${describe(raw)}`);
    const inSize = integerIn(field(raw, 'inSize', path), `${path}.inSize`, 1, LIMITS.maxInputSize, true);
    const outSize = integerIn(field(raw, 'outSize', path), `${path}.outSize`, 1, LIMITS.maxInputSize, true);
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
        `expected "${expected}" (${last ? 'the output layer is softmax' : 'config.activation'}), got ${describe(activation)}`,
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
          `expected a base64 string, got ${describe(v)}`,
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
