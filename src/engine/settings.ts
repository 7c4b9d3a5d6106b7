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
 * This file is the table; the row types and the rules that apply a row are in ./settingRules.ts, re-exported
 * here so one import reaches both.
 *
 * Why here, in the engine: the rows of the TrainConfig fields need only the engine's own vocabulary, and the
 * model file (which lives in the engine, and which the engine's TF.js export reads) validates against them.
 * The two settings that are not the network's — the dataset (a name owned by src/data) and the app's speed —
 * are rows of the same shape, added a layer up in src/settings/schema.ts, so the arrows keep pointing down.
 */
import { ACTIVATION_LABELS } from './activations.ts';
import {
  ACTIVATIONS,
  AUGMENT_KINDS,
  DEFAULT_CONFIG,
  INITS,
  LIMITS,
  OPTIMIZERS,
  SCHEDULES,
  type TrainConfig,
} from './types.ts';
import type { Setting } from './settingRules.ts';

export * from './settingRules.ts';

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
/** Training images of the datasets (MNIST, Fashion-MNIST): the most a run can train and validate on. */
export const MAX_TRAIN_IMAGES = 60_000;
/** The most times a digit of my own is seen per epoch (beyond this it is all the run would learn). */
export const MAX_MINE_WEIGHT = 1000;
/** The most training images held out for validation (half the split). */
export const MAX_VALIDATION = 30_000;
/** The highest drop rate (at 0.9 one unit in ten is kept, scaled ×10: beyond that nothing learns). */
export const MAX_DROP_RATE = 0.9;
/** The largest max-norm bound (He-initialised rows of 784 inputs start near ‖w‖ ≈ 1.4). */
export const MAX_MAX_NORM = 100;
/** The largest loss tolerance (ln 10 ≈ 2.3 is the loss of a network that guesses). */
export const MAX_UNTIL_LOSS = 10;

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
    // 'all' (the max): the whole training split after any validation hold-out, one step per epoch.
    named: { word: 'all', value: LIMITS.maxBatchSize },
    label: 'batch size',
    help: 'mini-batch size; all = the whole training split (full-batch gradient descent)',
    rebuilds: false,
    url: 'batch',
    cli: { flag: 'batch', arg: 'N|all' },
    modelFile: 'default',
    control: { presets: [1, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, LIMITS.maxBatchSize] },
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
  // The images a run learns from: another subset is another run, so both rebuild.
  trainSize: {
    kind: 'int',
    range: { min: 100, max: MAX_TRAIN_IMAGES },
    label: 'train images',
    help: 'training images used (all = those not held out for validation); few make overfitting easy to see',
    rebuilds: true,
    url: 'train',
    cli: { flag: 'train-size', arg: 'N' },
    modelFile: 'default',
    control: { presets: [100, 300, 1000, 3000, 10_000, MAX_TRAIN_IMAGES] },
  },
  validation: {
    kind: 'int',
    range: { min: 0, max: MAX_VALIDATION },
    label: 'validation',
    help: 'training images held out for validation (a seeded choice, never the test set; train size + this ≤ 60000)',
    rebuilds: true,
    url: 'validation',
    cli: { flag: 'validation', arg: 'N' },
    modelFile: 'default',
    control: { presets: [0, 1000, 5000, 10_000] },
  },
  untilLoss: {
    kind: 'number',
    range: { min: 0, max: MAX_UNTIL_LOSS },
    label: 'stop at loss',
    help: 'stop once the smoothed training loss (moving average, β 0.98 per batch, debiased) is ≤ X; 0 = off',
    rebuilds: false,
    url: 'untilLoss',
    cli: { flag: 'until-loss', arg: 'X' },
    modelFile: 'default',
    control: { presets: [0, 0.5, 0.3, 0.15, 0.05, 0.01] },
  },
  patience: {
    kind: 'int',
    range: { min: 0, max: MAX_EPOCHS },
    label: 'patience',
    help: 'early stopping: stop when the validation loss has not improved for K epochs, and restore the best weights; 0 = off',
    rebuilds: false,
    url: 'patience',
    cli: { flag: 'patience', arg: 'K' },
    modelFile: 'default',
    control: { presets: [0, 1, 2, 3, 5, 10] },
  },
  // The learner's own digits mixed into training: how often, not which (the collection is data, not a
  // setting). A change continues the run: fine-tuning from the current weights.
  mine: {
    kind: 'int',
    range: { min: 0, max: MAX_MINE_WEIGHT },
    label: 'my digits ×',
    help: 'train on my digits too: each digit of the teach half seen K times per epoch (0 = off); the test half is never trained on',
    rebuilds: false,
    url: 'mine',
    cli: { flag: 'mine-weight', arg: 'K' },
    modelFile: 'default',
    control: { presets: [0, 1, 5, 20, 50, 100] },
  },
  // Regularisers beyond L2 (engine/types.ts' RegulariseConfig). Training-only, so a change continues the run.
  inputDropout: {
    kind: 'number',
    range: { min: 0, max: MAX_DROP_RATE },
    label: 'input dropout',
    help: 'inverted dropout on the input pixels: each dropped with probability P while training (0 = off)',
    rebuilds: false,
    url: 'dropIn',
    cli: { flag: 'input-dropout', arg: 'P' },
    modelFile: 'default',
    control: { presets: [0, 0.1, 0.2, 0.3, 0.5] },
  },
  dropout: {
    kind: 'number',
    range: { min: 0, max: MAX_DROP_RATE },
    label: 'dropout',
    help: 'inverted dropout on every hidden layer: each unit dropped with probability P while training (0 = off)',
    rebuilds: false,
    url: 'drop',
    cli: { flag: 'dropout', arg: 'P' },
    modelFile: 'default',
    control: { presets: [0, 0.1, 0.2, 0.3, 0.5] },
  },
  maxNorm: {
    kind: 'number',
    range: { min: 0, max: MAX_MAX_NORM },
    label: 'max-norm',
    help: "after each step, every hidden unit's incoming weights are scaled back to norm ≤ C (0 = off)",
    rebuilds: false,
    url: 'maxNorm',
    cli: { flag: 'max-norm', arg: 'C' },
    modelFile: 'default',
    control: { presets: [0, 2, 3, 4] },
  },
  augment: {
    kind: 'enum',
    choices: AUGMENT_KINDS,
    choiceLabels: {
      none: 'None',
      shift: 'Shift ±2 px',
      affine: 'Rotate, scale, shear',
      elastic: 'Elastic',
      'affine+elastic': 'Affine + elastic',
    },
    label: 'augment',
    help: 'distort each training image before it is trained on (never the test set)',
    rebuilds: false,
    url: 'augment',
    cli: { flag: 'augment', arg: 'NAME' },
    modelFile: 'default',
    control: {},
  },
  // How many threads share each batch: how fast a run goes, never what it learns. The app's 0 picks what
  // suits the machine; the CLI's default is 1, so its figures stay comparable from machine to machine.
  // More than the machine's cores (a link or file from a bigger machine) is clamped where it runs.
  workers: {
    kind: 'int',
    range: { min: 0, max: LIMITS.maxWorkers },
    label: 'workers',
    help: 'threads that train each batch (data-parallel); 0 = as many as suit this machine; beyond its cores, clamped',
    rebuilds: false,
    identity: false,
    url: 'workers',
    cli: { flag: 'workers', arg: 'N', default: 1 },
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

/**
 * The one rule between two rows: the validation images come out of the training split, so
 * trainSize + validation ≤ {@link MAX_TRAIN_IMAGES}. The lenient surfaces (links, files, the controls) fit the
 * training subset into what is left — `trainSize` 60,000 ("all") with 5,000 held out means 55,000 — so every
 * surface holds the one canonical form; the CLI refuses an explicit `--train-size` that does not fit.
 */
export function fitTrainSize<C extends Pick<TrainConfig, 'trainSize' | 'validation'>>(config: C): C {
  const room = MAX_TRAIN_IMAGES - config.validation;
  return config.trainSize > room ? { ...config, trainSize: room } : config;
}

/** The fields whose change builds a new network (shape, activation, init, seed). */
export const ARCHITECTURE_FIELDS: readonly (keyof TrainConfig)[] = TRAIN_SETTINGS.filter(
  (s) => s.rebuilds,
).map((s) => s.name as keyof TrainConfig);
