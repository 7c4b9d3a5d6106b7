/**
 * The settings schema: one row per setting of a training run, and the one set of rules every surface
 * applies to it (after tensorflow/playground's `state.ts`, which drives its whole URL from one table).
 *
 * A row says what the setting is (name = the TrainConfig field, kind, range, default), where it appears
 * (URL key, CLI flag, model file, controls) and what changing it does (`rebuilds`: a new network). The
 * surfaces derive everything from the rows and never restate a range:
 *
 * - the URL (src/store/urlState.ts) reads leniently: a value is clamped into its range ({@link clampSetting});
 *   a value that is not usable at all (text, or beyond an open end such as lr ≤ 0) leaves the default;
 * - the CLI (src/cli/options.ts) is strict: a value out of range is refused with a message naming the flag
 *   ({@link checkSetting});
 * - a model file (src/engine/modelFile.ts) is strict too, with two allowances so old files keep loading: a
 *   missing setting takes its default (except the few that describe the stored weights), and a value that
 *   means the same as one in range is normalised to it (a seed is read modulo 2³², as the RNG reads it);
 * - the controls (src/components/panels/Controls) take labels, help and choice labels from the rows and may
 *   offer a narrower, comfortable range (`control`); a value beyond it is shown as it is.
 *
 * Because URL, CLI and file share one range per setting, whatever loads writes a URL that reproduces it.
 *
 * Why here, in the engine: the rows of the TrainConfig fields need only the engine's own vocabulary, and the
 * model file (which lives in the engine, and which the engine's TF.js export reads) validates against them.
 * The two settings that are not the network's — the dataset (a name owned by src/data) and the app's speed —
 * are rows of the same shape, added a layer up in src/settings/schema.ts, so the arrows keep pointing down.
 */
import { ACTIVATION_LABELS } from './activations.ts';
import {
  ACTIVATIONS,
  DEFAULT_CONFIG,
  INITS,
  LIMITS,
  OPTIMIZERS,
  SCHEDULES,
  type TrainConfig,
} from './types.ts';

/** The values a number may take: [min, max], an end excluded when `minOpen` / `maxOpen`. */
export interface Range {
  min: number;
  max: number;
  minOpen?: boolean;
  maxOpen?: boolean;
}

/** How the CLI offers a setting. */
export interface CliEntry<T> {
  /** `--flag`, without the dashes. */
  flag: string;
  /** The placeholder shown in --help (`--lr RATE`). */
  arg: string;
  /** The CLI's own default where it differs from the app's. */
  default?: T;
  /** A stricter lower bound for the CLI only, with the reason in the row. */
  atLeast?: number;
}

/** How the controls offer a setting: a comfortable part of the range (defaults: the whole range). */
export interface ControlEntry<T> {
  min?: number;
  max?: number;
  step?: number;
  /** The values a select offers (a value from a link or file that is not one of them is added). */
  presets?: readonly T[];
  /** For layer sizes: how many layers the layer-count slider offers. */
  layers?: number;
}

interface Common<T> {
  /** The field it sets (a TrainConfig key for the rows here; `dataset` / `speed` for the app's). */
  name: string;
  /** The app's default (the CLI's may differ: `cli.default`). */
  default: T;
  /** Short, for a control's label. */
  label: string;
  /** One line, for --help and tooltips; the range is added from the row. */
  help: string;
  /** Changing it builds a new network (a new generation), rather than updating the running session. */
  rebuilds: boolean;
  /** The query parameter: present when the setting belongs to the URL. */
  url?: string;
  /** Present when the setting belongs to the CLI. */
  cli?: CliEntry<T>;
  /**
   * Present when the setting belongs to model files. 'required': it describes the stored weights, so a
   * file without it is broken; 'default': a file without it (older than the setting) takes the default.
   */
  modelFile?: 'required' | 'default';
  /** Present when the controls show it. */
  control?: ControlEntry<T>;
}

export interface EnumSetting extends Common<string> {
  kind: 'enum';
  choices: readonly string[];
  /** Names for people, per choice (the controls' options). */
  choiceLabels?: Readonly<Record<string, string>>;
}

export interface NumberSetting extends Common<number> {
  kind: 'number';
  range: Range;
}

export interface IntSetting extends Common<number> {
  kind: 'int';
  range: Range;
  /** The max is a resource limit ({@link LIMITS}): a file over it is 'too-large', not just invalid. */
  limit?: boolean;
  /** Maps an integer that means the same as one in range onto it (files and links; the CLI refuses). */
  normalise?: (v: number) => number;
}

export interface LayerSizesSetting extends Common<number[]> {
  kind: 'layer-sizes';
  maxLayers: number;
  /** Units per layer (integers; the max is a resource limit). */
  size: Range;
}

/** 'full', or a number in the range (the app's speed: batches per second). */
export interface NumberOrFullSetting extends Common<'full' | number> {
  kind: 'number-or-full';
  range: Range;
}

export type Setting = EnumSetting | NumberSetting | IntSetting | LayerSizesSetting | NumberOrFullSetting;
export type SettingKind = Setting['kind'];

// ---------------------------------------------------------------------------------------------------------
// The rows of the network's settings, in URL and --help order.

/** A row for a field of type V, as written below: its name and default come from the key and DEFAULT_CONFIG. */
type RowFor<V, S = Setting> = S extends Setting
  ? [V] extends [S['default']]
    ? Omit<S, 'name' | 'default'>
    : never
  : never;

/** Epochs to run at most (0 = until stopped); also the most epochs between step decays. */
export const MAX_EPOCHS = 10_000;
/** The largest learning rate (large enough to demonstrate divergence). */
export const MAX_LEARNING_RATE = 1e6;
const MAX_SEED = 0xffff_ffff;

/**
 * Every field of TrainConfig has exactly one row (a missing one is a compile error). The app's defaults are
 * DEFAULT_CONFIG's, with their calibration notes in src/engine/types.ts.
 */
const ROWS: { [K in keyof TrainConfig]: RowFor<TrainConfig[K]> } = {
  inputSize: {
    kind: 'int',
    range: { min: 1, max: LIMITS.maxInputSize },
    limit: true,
    label: 'inputs',
    help: 'input size (pixels per image; given by the dataset)',
    rebuilds: true,
    modelFile: 'required',
  },
  hidden: {
    kind: 'layer-sizes',
    maxLayers: LIMITS.maxHiddenLayers,
    size: { min: 1, max: LIMITS.maxLayerSize },
    label: 'hidden layers',
    help: 'hidden layer sizes, input side first',
    rebuilds: true,
    url: 'hidden',
    cli: { flag: 'hidden', arg: 'SIZES' },
    modelFile: 'required',
    control: { max: 512, layers: 4 },
  },
  outputSize: {
    kind: 'int',
    range: { min: 2, max: LIMITS.maxOutputSize },
    limit: true,
    label: 'classes',
    help: 'output size (classes; given by the dataset)',
    rebuilds: true,
    modelFile: 'required',
  },
  activation: {
    kind: 'enum',
    choices: ACTIVATIONS,
    // Named in the engine's one table of activations.
    choiceLabels: ACTIVATION_LABELS,
    label: 'activation',
    help: 'hidden-layer activation',
    rebuilds: true,
    url: 'act',
    cli: { flag: 'activation', arg: 'NAME' },
    modelFile: 'required',
    control: {},
  },
  init: {
    kind: 'enum',
    choices: INITS,
    choiceLabels: { he: 'He', xavier: 'Xavier', small: 'Normal σ 0.01', uniform: 'Uniform 0…1' },
    label: 'initialisation',
    help: 'weight initialisation',
    rebuilds: true,
    url: 'init',
    cli: { flag: 'init', arg: 'NAME' },
    modelFile: 'default',
    control: {},
  },
  seed: {
    kind: 'int',
    range: { min: 0, max: MAX_SEED },
    // The RNG reads only the low 32 bits of an integer seed: −5 and 4294967291 are the same run.
    normalise: (v) => v >>> 0,
    label: 'seed',
    help: 'seed of the weight init and the shuffles',
    rebuilds: true,
    url: 'seed',
    cli: { flag: 'seed', arg: 'N' },
    modelFile: 'default',
    control: {},
  },
  optimizer: {
    kind: 'enum',
    choices: OPTIMIZERS,
    choiceLabels: { sgd: 'SGD', momentum: 'Momentum', adam: 'Adam' },
    label: 'optimizer',
    help: 'optimizer',
    rebuilds: false,
    url: 'opt',
    cli: { flag: 'optimizer', arg: 'NAME' },
    modelFile: 'default',
    control: {},
  },
  learningRate: {
    kind: 'number',
    range: { min: 0, minOpen: true, max: MAX_LEARNING_RATE },
    label: 'learning rate',
    help: 'learning rate',
    rebuilds: false,
    url: 'lr',
    cli: { flag: 'lr', arg: 'RATE' },
    modelFile: 'default',
    // The slider moves in log10 steps of 0.1 over 1e-5 … 1.
    control: { min: 1e-5, max: 1 },
  },
  momentum: {
    kind: 'number',
    range: { min: 0, max: 1, maxOpen: true },
    label: 'momentum',
    help: 'momentum coefficient μ for --optimizer momentum',
    rebuilds: false,
    url: 'momentum',
    cli: { flag: 'momentum', arg: 'MU' },
    modelFile: 'default',
  },
  beta1: {
    kind: 'number',
    range: { min: 0, max: 1, maxOpen: true },
    label: 'β1',
    help: "Adam's β1",
    rebuilds: false,
    url: 'beta1',
    cli: { flag: 'beta1', arg: 'B' },
    modelFile: 'default',
  },
  beta2: {
    kind: 'number',
    range: { min: 0, max: 1, maxOpen: true },
    label: 'β2',
    help: "Adam's β2",
    rebuilds: false,
    url: 'beta2',
    cli: { flag: 'beta2', arg: 'B' },
    modelFile: 'default',
  },
  epsilon: {
    kind: 'number',
    range: { min: 0, minOpen: true, max: 1 },
    label: 'ε',
    help: "Adam's ε",
    rebuilds: false,
    url: 'eps',
    cli: { flag: 'epsilon', arg: 'E' },
    modelFile: 'default',
  },
  l2: {
    kind: 'number',
    range: { min: 0, max: 1 },
    label: 'L2 penalty',
    help: 'L2 regularisation λ: the loss gains λ/2·Σw²',
    rebuilds: false,
    url: 'l2',
    cli: { flag: 'l2', arg: 'LAMBDA' },
    modelFile: 'default',
    control: { presets: [0, 1e-5, 1e-4, 5e-4, 1e-3, 1e-2] },
  },
  schedule: {
    kind: 'enum',
    choices: SCHEDULES,
    choiceLabels: { constant: 'Constant', exponential: 'Exponential', step: 'Step', cosine: 'Cosine' },
    label: 'lr schedule',
    help: 'learning-rate schedule per epoch',
    rebuilds: false,
    url: 'schedule',
    cli: { flag: 'schedule', arg: 'NAME' },
    modelFile: 'default',
    control: {},
  },
  lrDecay: {
    kind: 'number',
    range: { min: 0, minOpen: true, max: 1 },
    label: 'decay / epoch',
    help: 'multiply the learning rate by F after each epoch (exponential schedule unless --schedule says otherwise)',
    rebuilds: false,
    url: 'decay',
    cli: { flag: 'lr-decay', arg: 'F' },
    modelFile: 'default',
    control: { min: 0.1, max: 1, step: 0.05 },
  },
  stepEvery: {
    kind: 'int',
    range: { min: 1, max: MAX_EPOCHS },
    label: 'step every',
    help: 'epochs between decays for --schedule step',
    rebuilds: false,
    url: 'stepEvery',
    cli: { flag: 'step-every', arg: 'N' },
    modelFile: 'default',
  },
  batchSize: {
    kind: 'int',
    range: { min: 1, max: LIMITS.maxBatchSize },
    limit: true,
    label: 'batch size',
    help: 'mini-batch size',
    rebuilds: false,
    url: 'batch',
    cli: { flag: 'batch', arg: 'N' },
    modelFile: 'default',
    control: { presets: [1, 8, 16, 32, 64, 128, 256, 512, 1024, 2048] },
  },
  epochs: {
    kind: 'int',
    range: { min: 0, max: MAX_EPOCHS },
    label: 'epochs (0=∞)',
    help: 'epochs to train',
    rebuilds: false,
    url: 'epochs',
    // Headless, "until stopped" would never end: the CLI trains 5 epochs unless told, and at least 1.
    cli: { flag: 'epochs', arg: 'N', default: 5, atLeast: 1 },
    modelFile: 'default',
    control: {},
  },
};

/** The rows of every TrainConfig field, in URL and --help order. */
export const TRAIN_SETTINGS: readonly Setting[] = (Object.keys(ROWS) as (keyof TrainConfig)[]).map(
  (name) => ({ ...ROWS[name], name, default: DEFAULT_CONFIG[name] }) as Setting,
);

/** The row of one TrainConfig field. */
export function trainSetting(name: keyof TrainConfig): Setting {
  return TRAIN_SETTINGS.find((s) => s.name === name)!;
}

/** The fields whose change builds a new network (shape, activation, init, seed). */
export const ARCHITECTURE_FIELDS: readonly (keyof TrainConfig)[] = TRAIN_SETTINGS.filter(
  (s) => s.rebuilds,
).map((s) => s.name as keyof TrainConfig);

// ---------------------------------------------------------------------------------------------------------
// The rules.

/** Why a value was refused: `detail` is for people; `index` names the element of a list (a layer). */
export class SettingError extends Error {
  override readonly name = 'SettingError';
  readonly kind: 'invalid-field' | 'too-large';
  readonly index?: number;
  constructor(kind: 'invalid-field' | 'too-large', detail: string, index?: number) {
    super(detail);
    this.kind = kind;
    if (index !== undefined) this.index = index;
  }
}

/** A value in a message: strings quoted and cut, arrays and objects named. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  return String(v);
}

/** The range in words: "> 0 and ≤ 1000000", "from 1 to 4096", "≥ 0 and < 1". */
export function describeRange(r: Range, integer = false): string {
  if (integer && !r.minOpen && !r.maxOpen) return `from ${r.min} to ${r.max}`;
  return `${r.minOpen ? '>' : '≥'} ${r.min} and ${r.maxOpen ? '<' : '≤'} ${r.max}`;
}

function checkInt(v: unknown, r: Range, limit: boolean, index?: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new SettingError('invalid-field', `expected an integer, got ${describeValue(v)}`, index);
  }
  if (limit && v > r.max) {
    throw new SettingError('too-large', `${v} is over the limit of ${r.max}`, index);
  }
  if (v < r.min || v > r.max) {
    throw new SettingError('invalid-field', `expected an integer from ${r.min} to ${r.max}, got ${v}`, index);
  }
  return v;
}

function checkNumber(v: unknown, r: Range): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new SettingError('invalid-field', `expected a finite number, got ${describeValue(v)}`);
  }
  if (r.minOpen ? v <= r.min : v < r.min) {
    throw new SettingError('invalid-field', `must be ${r.minOpen ? '>' : '≥'} ${r.min}, got ${v}`);
  }
  if (r.maxOpen ? v >= r.max : v > r.max) {
    throw new SettingError('invalid-field', `must be ${r.maxOpen ? '<' : '≤'} ${r.max}, got ${v}`);
  }
  return v;
}

/**
 * The strict rule (CLI, model files): the value itself when it is of the setting's kind and in its range;
 * otherwise throws a {@link SettingError} saying why. Returns a fresh array for layer sizes.
 */
export function checkSetting(s: Setting, v: unknown): unknown {
  switch (s.kind) {
    case 'enum':
      if (typeof v !== 'string' || !s.choices.includes(v)) {
        throw new SettingError(
          'invalid-field',
          `expected one of ${s.choices.join(', ')}, got ${describeValue(v)}`,
        );
      }
      return v;
    case 'int':
      return checkInt(v, s.range, s.limit === true);
    case 'number':
      return checkNumber(v, s.range);
    case 'number-or-full':
      return v === 'full' ? v : checkNumber(v, s.range);
    case 'layer-sizes': {
      if (!Array.isArray(v)) {
        throw new SettingError('invalid-field', `expected an array of layer sizes, got ${describeValue(v)}`);
      }
      if (v.length > s.maxLayers) {
        throw new SettingError('too-large', `${v.length} hidden layers is over the limit of ${s.maxLayers}`);
      }
      return v.map((h: unknown, i) => checkInt(h, s.size, true, i));
    }
  }
}

/** An integer setting's normalisation (e.g. the seed modulo 2³²), for the lenient surfaces: links and files. */
export function normaliseSetting(s: Setting, v: unknown): unknown {
  return s.kind === 'int' && s.normalise && typeof v === 'number' && Number.isInteger(v) ? s.normalise(v) : v;
}

function clampNumber(v: number, r: Range): number | undefined {
  if (!Number.isFinite(v)) return undefined;
  // Beyond an open end there is no nearest allowed value to clamp to (lr ≤ 0): not usable.
  if (r.minOpen && v <= r.min) return undefined;
  if (r.maxOpen && v >= r.max) return undefined;
  return Math.min(r.max, Math.max(r.min, v));
}

function clampInt(v: unknown, r: Range, normalise?: (v: number) => number): number | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
  const n = Math.round(v);
  return clampNumber(normalise ? normalise(n) : n, r);
}

/**
 * The lenient rule (links, a patch from the controls): the value clamped into the setting's range, or
 * undefined when nothing usable is there (wrong type, unknown choice, beyond an open end) — the caller
 * keeps the default. Integers are rounded; layer lists are cut to `maxLayers`.
 */
export function clampSetting(s: Setting, v: unknown): unknown {
  switch (s.kind) {
    case 'enum':
      return typeof v === 'string' && s.choices.includes(v) ? v : undefined;
    case 'int':
      return clampInt(v, s.range, s.normalise);
    case 'number':
      return typeof v === 'number' ? clampNumber(v, s.range) : undefined;
    case 'number-or-full':
      return v === 'full' ? v : typeof v === 'number' ? clampNumber(v, s.range) : undefined;
    case 'layer-sizes': {
      if (!Array.isArray(v)) return undefined;
      const sizes = v.slice(0, s.maxLayers).map((h: unknown) => clampInt(h, s.size));
      return sizes.every((h) => h !== undefined) ? sizes : undefined;
    }
  }
}
