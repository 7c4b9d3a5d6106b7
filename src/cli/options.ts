/**
 * Command-line options of `npm run train`: one declarative table, a strict parser, and the help text
 * generated from the same table, so the three never disagree.
 *
 * Parsing is pure (argv in, options out, or a {@link UsageError} with a message for people), so it is
 * unit-tested without spawning anything. Defaults are the app's (DEFAULT_CONFIG), except `epochs`: 5,
 * since the app's 0 means "until stopped".
 */

import { DATASET_NAMES, type DatasetName } from '../data/dataset.ts';
import { ModelFileError, validateTrainConfig } from '../engine/modelFile.ts';
import {
  ACTIVATIONS,
  DEFAULT_CONFIG,
  INITS,
  LIMITS,
  OPTIMIZERS,
  SCHEDULES,
  type Activation,
  type InitKind,
  type OptimizerKind,
  type ScheduleKind,
  type TrainConfig,
} from '../engine/types.ts';

/** Epochs when `--epochs` is not given. */
export const CLI_DEFAULT_EPOCHS = 5;

export interface CliOptions {
  dataset: DatasetName;
  /** Folder holding `<dataset>/{train,t10k}-*.gz` (default public/data, what `npm run prepare-data` writes). */
  dataDir: string;
  config: TrainConfig;
  /** Use only the first N training samples (undefined: all). */
  limit?: number;
  /** Evaluate on only the first N test samples (undefined: all). */
  testLimit?: number;
  /** Write our model file here after training. */
  save?: string;
  /** Write model.json + weights.bin into this folder after training. */
  exportTfjs?: string;
  /** stdout holds only JSON lines, one per epoch. */
  json: boolean;
  /** Show a progress bar (on stderr, only when it is a terminal). */
  progress: boolean;
}

export type ParseResult = { kind: 'help' } | { kind: 'run'; options: CliOptions };

/** A bad command line: the message says what is wrong and is printed as is (never a stack trace). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Kind = 'enum' | 'number' | 'int' | 'hidden' | 'string' | 'flag';

interface OptionSpec {
  flag: string;
  kind: Kind;
  /** Shown in --help after the flag. */
  arg?: string;
  help: string;
  choices?: readonly string[];
}

/** Every option, in --help order. */
export const OPTION_SPECS: readonly OptionSpec[] = [
  { flag: 'dataset', kind: 'enum', choices: DATASET_NAMES, arg: 'NAME', help: 'dataset to train on' },
  {
    flag: 'hidden',
    kind: 'hidden',
    arg: 'SIZES',
    help: `hidden layer sizes, input side first, e.g. 128,64; 0 for none (up to ${LIMITS.maxHiddenLayers} layers of 1–${LIMITS.maxLayerSize})`,
  },
  { flag: 'activation', kind: 'enum', choices: ACTIVATIONS, arg: 'NAME', help: 'hidden-layer activation' },
  { flag: 'init', kind: 'enum', choices: INITS, arg: 'NAME', help: 'weight initialisation' },
  { flag: 'optimizer', kind: 'enum', choices: OPTIMIZERS, arg: 'NAME', help: 'optimizer' },
  { flag: 'lr', kind: 'number', arg: 'RATE', help: 'learning rate (> 0)' },
  {
    flag: 'lr-decay',
    kind: 'number',
    arg: 'F',
    help: 'multiply the learning rate by F after each epoch (exponential schedule unless --schedule says otherwise)',
  },
  {
    flag: 'schedule',
    kind: 'enum',
    choices: SCHEDULES,
    arg: 'NAME',
    help: 'learning-rate schedule per epoch',
  },
  { flag: 'step-every', kind: 'int', arg: 'N', help: 'epochs between decays for --schedule step' },
  {
    flag: 'momentum',
    kind: 'number',
    arg: 'MU',
    help: 'momentum coefficient for --optimizer momentum, in [0, 1)',
  },
  { flag: 'beta1', kind: 'number', arg: 'B', help: "Adam's β1, in [0, 1)" },
  { flag: 'beta2', kind: 'number', arg: 'B', help: "Adam's β2, in [0, 1)" },
  { flag: 'epsilon', kind: 'number', arg: 'E', help: "Adam's ε (> 0)" },
  { flag: 'batch', kind: 'int', arg: 'N', help: `mini-batch size (1–${LIMITS.maxBatchSize})` },
  { flag: 'epochs', kind: 'int', arg: 'N', help: `epochs to train (default ${CLI_DEFAULT_EPOCHS})` },
  { flag: 'l2', kind: 'number', arg: 'LAMBDA', help: 'L2 regularisation λ (loss + λ/2·Σw²), ≥ 0' },
  { flag: 'seed', kind: 'int', arg: 'N', help: 'seed of the weight init and the shuffles' },
  { flag: 'limit', kind: 'int', arg: 'N', help: 'train on the first N training samples only' },
  { flag: 'test-limit', kind: 'int', arg: 'N', help: 'evaluate on the first N test samples only' },
  {
    flag: 'save',
    kind: 'string',
    arg: 'FILE',
    help: 'save the trained model (Backprop Lab model file, JSON)',
  },
  {
    flag: 'export-tfjs',
    kind: 'string',
    arg: 'DIR',
    help: 'export to TensorFlow.js: DIR/model.json + DIR/weights.bin',
  },
  {
    flag: 'data-dir',
    kind: 'string',
    arg: 'DIR',
    help: 'where the prepared datasets are (default public/data)',
  },
  { flag: 'json', kind: 'flag', help: 'print only JSON lines, one per epoch, on stdout' },
  { flag: 'no-progress', kind: 'flag', help: 'no progress bar' },
  { flag: 'help', kind: 'flag', help: 'show this help' },
];

const SPECS = new Map(OPTION_SPECS.map((s) => [s.flag, s]));

/** The text of `--help`. */
export function helpText(): string {
  const d = DEFAULT_CONFIG;
  const defaults: Record<string, string> = {
    dataset: 'mnist',
    hidden: d.hidden.join(',') || '0',
    activation: d.activation,
    init: d.init,
    optimizer: d.optimizer,
    lr: String(d.learningRate),
    'lr-decay': String(d.lrDecay),
    schedule: d.schedule,
    'step-every': String(d.stepEvery),
    momentum: String(d.momentum),
    beta1: String(d.beta1),
    beta2: String(d.beta2),
    epsilon: String(d.epsilon),
    batch: String(d.batchSize),
    epochs: String(CLI_DEFAULT_EPOCHS),
    l2: String(d.l2),
    seed: String(d.seed),
  };
  const rows = OPTION_SPECS.map((s) => {
    const left = `  --${s.flag}${s.arg ? ` ${s.arg}` : ''}`;
    const choices = s.choices ? ` (${s.choices.join('|')})` : '';
    const def = defaults[s.flag] !== undefined && s.flag !== 'epochs' ? ` [${defaults[s.flag]}]` : '';
    return `${left.padEnd(26)} ${s.help}${choices}${def}`;
  });
  return [
    'Train the Backprop Lab network headless, on the prepared MNIST / Fashion-MNIST data.',
    '',
    'Usage: npm run train -- [options]        (npm run -s train -- --json … for clean JSON output)',
    '',
    'Options (defaults are the app defaults, in brackets):',
    ...rows,
    '',
    'With --json, stdout holds one JSON object per epoch:',
    '  {"epoch","trainLoss","trainAccuracy","testLoss","testAccuracy","samplesPerSecond"}',
    '  (epoch from 1; accuracies 0–1; trainLoss the mean over the epoch; samples/s of training only).',
    '',
    'Exit status: 0 done, 1 error (e.g. data missing), 2 bad options, 3 training diverged.',
    '',
    'Examples:',
    '  npm run train -- --epochs 1',
    '  npm run train -- --hidden 800 --lr-decay 0.8 --epochs 15 --save mnist-800.json',
    '  npm run -s train -- --dataset fashion-mnist --epochs 10 --json',
  ].join('\n');
}

/** A number as the whole argument says it: no trailing junk ("12abc"), no empty string, finite. */
function parseNumber(flag: string, raw: string): number {
  const v = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(v)) throw new UsageError(`--${flag} expects a number, got "${raw}"`);
  return v;
}

function parseInt_(flag: string, raw: string): number {
  const v = parseNumber(flag, raw);
  if (!Number.isSafeInteger(v)) throw new UsageError(`--${flag} expects a whole number, got "${raw}"`);
  return v;
}

/** "128,64" → [128, 64]; "0" → [] (no hidden layer). */
export function parseHidden(raw: string): number[] {
  const text = raw.trim();
  if (text === '0') return [];
  if (text === '')
    throw new UsageError('--hidden expects sizes like 128,64 (or 0 for no hidden layer), got ""');
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length > LIMITS.maxHiddenLayers) {
    throw new UsageError(
      `--hidden: ${parts.length} hidden layers is over the limit of ${LIMITS.maxHiddenLayers}`,
    );
  }
  return parts.map((p, i) => {
    if (!/^\d+$/.test(p)) {
      throw new UsageError(
        `--hidden: layer ${i + 1} size "${p}" is not a whole number (expected e.g. 128,64)`,
      );
    }
    const v = Number(p);
    if (v === 0) {
      throw new UsageError(
        `--hidden: layer ${i + 1} has size 0; a layer needs at least 1 unit (use --hidden 0 alone for no hidden layer)`,
      );
    }
    if (v > LIMITS.maxLayerSize) {
      throw new UsageError(`--hidden: layer ${i + 1} size ${v} is over the limit of ${LIMITS.maxLayerSize}`);
    }
    return v;
  });
}

/** Flag names of the config fields, for turning a validation error's path into the option the user typed. */
const FIELD_FLAGS: Partial<Record<keyof TrainConfig, string>> = {
  hidden: 'hidden',
  activation: 'activation',
  init: 'init',
  seed: 'seed',
  optimizer: 'optimizer',
  learningRate: 'lr',
  momentum: 'momentum',
  beta1: 'beta1',
  beta2: 'beta2',
  epsilon: 'epsilon',
  l2: 'l2',
  schedule: 'schedule',
  lrDecay: 'lr-decay',
  stepEvery: 'step-every',
  batchSize: 'batch',
  epochs: 'epochs',
};

/**
 * Parses `process.argv.slice(2)`. Accepts `--flag value` and `--flag=value`. Throws {@link UsageError} for an
 * unknown flag, a missing or malformed value, an unknown choice, or a value out of range (the same ranges
 * and LIMITS the model loader enforces).
 */
export function parseArgs(argv: readonly string[]): ParseResult {
  const values = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--') || arg === '--') {
      throw new UsageError(`unexpected argument "${arg}" (options start with --; see --help)`);
    }
    const eq = arg.indexOf('=');
    const flag = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const spec = SPECS.get(flag);
    if (!spec) {
      const near = [...SPECS.keys()].filter((k) => k.startsWith(flag.slice(0, 2)));
      throw new UsageError(
        `unknown option --${flag}` +
          (near.length ? ` (did you mean ${near.map((k) => `--${k}`).join(', ')}?)` : '') +
          '; see --help',
      );
    }
    if (values.has(flag)) throw new UsageError(`--${flag} is given more than once`);
    if (spec.kind === 'flag') {
      if (eq >= 0) throw new UsageError(`--${flag} takes no value`);
      values.set(flag, true);
      continue;
    }
    let raw: string;
    if (eq >= 0) {
      raw = arg.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      // A following "--x" is the next option, not a value — except a negative number like "-1".
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw new UsageError(`--${flag} needs a value${spec.arg ? ` (${spec.arg})` : ''}`);
      }
      raw = next;
      i++;
    }
    values.set(flag, raw);
  }
  if (values.has('help')) return { kind: 'help' };

  const str = (flag: string): string | undefined => {
    const v = values.get(flag);
    return typeof v === 'string' ? v : undefined;
  };
  const choice = <T extends string>(flag: string, fallback: T): T => {
    const raw = str(flag);
    if (raw === undefined) return fallback;
    const choices = SPECS.get(flag)!.choices!;
    if (!choices.includes(raw)) {
      throw new UsageError(`--${flag} must be one of ${choices.join(', ')}; got "${raw}"`);
    }
    return raw as T;
  };
  const num = (flag: string, fallback: number): number => {
    const raw = str(flag);
    return raw === undefined ? fallback : parseNumber(flag, raw);
  };
  const int = (flag: string, fallback: number): number => {
    const raw = str(flag);
    return raw === undefined ? fallback : parseInt_(flag, raw);
  };
  const optionalPositiveInt = (flag: string): number | undefined => {
    const raw = str(flag);
    if (raw === undefined) return undefined;
    const v = parseInt_(flag, raw);
    if (v < 1) throw new UsageError(`--${flag} must be at least 1, got ${v}`);
    return v;
  };
  const path = (flag: string): string | undefined => {
    const raw = str(flag);
    if (raw !== undefined && raw.trim() === '') throw new UsageError(`--${flag} needs a non-empty path`);
    return raw;
  };

  const d = DEFAULT_CONFIG;
  const hiddenRaw = str('hidden');
  const lrDecayGiven = values.has('lr-decay');
  const candidate: TrainConfig = {
    ...d,
    hidden: hiddenRaw === undefined ? [...d.hidden] : parseHidden(hiddenRaw),
    activation: choice<Activation>('activation', d.activation),
    init: choice<InitKind>('init', d.init),
    optimizer: choice<OptimizerKind>('optimizer', d.optimizer),
    learningRate: num('lr', d.learningRate),
    // `--lr-decay F` means "×F per epoch": the exponential schedule, unless a schedule is named explicitly.
    schedule: choice<ScheduleKind>('schedule', lrDecayGiven ? 'exponential' : d.schedule),
    lrDecay: num('lr-decay', d.lrDecay),
    stepEvery: int('step-every', d.stepEvery),
    momentum: num('momentum', d.momentum),
    beta1: num('beta1', d.beta1),
    beta2: num('beta2', d.beta2),
    epsilon: num('epsilon', d.epsilon),
    batchSize: int('batch', d.batchSize),
    epochs: int('epochs', CLI_DEFAULT_EPOCHS),
    l2: num('l2', d.l2),
    seed: int('seed', d.seed),
  };
  if (candidate.epochs < 1) {
    throw new UsageError(`--epochs must be at least 1, got ${candidate.epochs}`);
  }

  let config: TrainConfig;
  try {
    config = validateTrainConfig(candidate, 'config');
  } catch (e) {
    if (!(e instanceof ModelFileError)) throw e;
    // "config.learningRate: must be > 0, got -1" → "--lr must be > 0, got -1"
    const field = e.path.replace(/^config\./, '').replace(/\[.*$/, '') as keyof TrainConfig;
    const flag = FIELD_FLAGS[field];
    const detail = e.message.slice(e.path.length + 2);
    throw new UsageError(flag ? `--${flag}: ${detail}` : detail);
  }

  return {
    kind: 'run',
    options: {
      dataset: choice<DatasetName>('dataset', 'mnist'),
      dataDir: path('data-dir') ?? 'public/data',
      config,
      limit: optionalPositiveInt('limit'),
      testLimit: optionalPositiveInt('test-limit'),
      save: path('save'),
      exportTfjs: path('export-tfjs'),
      json: values.has('json'),
      progress: !values.has('no-progress'),
    },
  };
}
