/**
 * Command-line options of `npm run train`: the settings' flags come from the settings schema
 * (src/settings/schema.ts: flag, kind, range, help, default, CLI default), the CLI's own flags (files, output)
 * are specs here; one strict parser and the help text walk both, so they never disagree with each other, nor
 * with the URL and the model file.
 *
 * Parsing is pure (argv in, options out, or a {@link UsageError} with a message for people), so it is
 * unit-tested without spawning anything. Defaults are the app's, except where a row says otherwise (`epochs`:
 * 5, since the app's 0 means "until stopped"). A value out of its setting's range is refused, never clamped.
 */

import type { DatasetName } from '../data/dataset.ts';
import type { TrainConfig } from '../engine/types.ts';
import { LANDSCAPE_GRID_DEFAULT, LANDSCAPE_GRID_MAX, LANDSCAPE_GRID_MIN } from '../training/landscapeJob.ts';
import { PRESET_NAMES, PRESETS, presetNamed } from '../settings/presets.ts';
import {
  checkSetting,
  DATASET_SETTING,
  describeRange,
  MAX_TRAIN_IMAGES,
  isTrainSetting,
  SETTINGS,
  SettingError,
  trainSetting,
  type Setting,
} from '../settings/schema.ts';

/** Epochs when `--epochs` is not given. */
export const CLI_DEFAULT_EPOCHS = trainSetting('epochs').cli!.default as number;

export interface CliOptions {
  dataset: DatasetName;
  /** Folder holding `<dataset>/{train,t10k}-*.gz` (default public/data, what `npm run prepare-data` writes). */
  dataDir: string;
  /** The run's settings; `--limit N` has set `trainSize` (it is `--train-size`'s synonym). */
  config: TrainConfig;
  /** Evaluate on only the first N test samples (undefined: all). */
  testLimit?: number;
  /** A collection of my digits (the page's export): its test half evaluated every epoch, its teach half trained on with config.mine > 0. */
  myDigits?: string;
  /** Write our model file here after training. */
  save?: string;
  /** Write model.json + weights.bin into this folder after training. */
  exportTfjs?: string;
  /** Write the loss landscape (grid N × N) after training. */
  landscape?: { file: string; grid: number };
  /** stdout holds only JSON lines, one per epoch. */
  json: boolean;
  /** Print the per-layer statistics after every N-th step (undefined: never). */
  statsEvery?: number;
  /** Print the init lab's figures for this architecture, one line per init, and do not train. */
  initReport: boolean;
  /** Show a progress bar (on stderr, only when it is a terminal). */
  progress: boolean;
  /** Print the configuration's cost (dryRun.ts) and do not train. */
  dryRun?: boolean;
  /** Train (or accept) a configuration over the CLI's budget. */
  force?: boolean;
}

export type ParseResult = { kind: 'help' } | { kind: 'run'; options: CliOptions };

/** A bad command line: the message says what is wrong and is printed as is (never a stack trace). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Kind = Setting['kind'] | 'string' | 'flag';

interface OptionSpec {
  flag: string;
  kind: Kind;
  /** Shown in --help after the flag. */
  arg?: string;
  help: string;
  choices?: readonly string[];
  /** The setting this flag sets (absent for the CLI's own flags). */
  setting?: Setting;
}

/** The row's help with its range, for --help. */
function settingHelp(s: Setting): string {
  switch (s.kind) {
    case 'int':
    case 'number': {
      const atLeast = s.cli?.atLeast;
      const range = atLeast === undefined ? s.range : { ...s.range, min: Math.max(s.range.min, atLeast) };
      const word = s.kind === 'int' && s.named ? `, or ${s.named.word}` : '';
      return `${s.help} (${describeRange(range, s.kind === 'int')}${word})`;
    }
    case 'layer-sizes':
      return `${s.help}, e.g. 128,64; 0 for none (up to ${s.maxLayers} layers of ${s.size.min}–${s.size.max})`;
    default:
      return s.help;
  }
}

/** The flags of the settings that belong to the CLI, in schema order. */
const SETTING_SPECS: readonly OptionSpec[] = SETTINGS.filter((s) => s.cli).map((s) => ({
  flag: s.cli!.flag,
  kind: s.kind,
  arg: s.cli!.arg,
  help: settingHelp(s),
  ...(s.kind === 'enum' ? { choices: s.choices } : {}),
  setting: s,
}));

/** Older names of settings' flags: `--limit N` is `--train-size N`. */
const SYNONYMS: Readonly<Record<string, string>> = { limit: 'train-size' };

/** The CLI's own flags: what to read, write and print. */
const CLI_SPECS: readonly OptionSpec[] = [
  { flag: 'limit', kind: 'int', arg: 'N', help: 'the same as --train-size N (its older name)' },
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
    flag: 'landscape',
    kind: 'string',
    arg: 'FILE.json',
    help: 'after training, write the loss landscape around the final weights with the path the run took (the page’s Layers screen)',
  },
  {
    flag: 'landscape-grid',
    kind: 'int',
    arg: 'N',
    help: 'the landscape’s grid: N × N points (5–61, default 31)',
  },
  {
    flag: 'data-dir',
    kind: 'string',
    arg: 'DIR',
    help: 'where the prepared datasets are (default public/data)',
  },
  {
    flag: 'my-digits',
    kind: 'string',
    arg: 'FILE.zip',
    help: "my digits, exported from the page: evaluate on the file's test half every epoch (with --mine-weight K, train on its teach half too)",
  },
  {
    flag: 'preset',
    kind: 'string',
    arg: 'NAME',
    choices: PRESET_NAMES,
    help: `a named recipe (${PRESETS.map((p) => `${p.name}: ${p.label}`).join('; ')}); flags given beside it win`,
  },
  { flag: 'json', kind: 'flag', help: 'print only JSON lines on stdout: one per epoch, then why it stopped' },
  {
    flag: 'stats-every',
    kind: 'int',
    arg: 'N',
    help: 'after every N-th step, the per-layer gradient and activation statistics (a JSON line with --json)',
  },
  {
    flag: 'init-report',
    kind: 'flag',
    help: "print each init's activation spread for this network (JSON lines) and exit without training",
  },
  { flag: 'no-progress', kind: 'flag', help: 'no progress bar' },
  {
    flag: 'dry-run',
    kind: 'flag',
    help: 'print the parameters, memory and time per batch/epoch measured here, and do not train',
  },
  { flag: 'force', kind: 'flag', help: 'train a configuration over the memory/time budget anyway' },
  { flag: 'help', kind: 'flag', help: 'show this help' },
];

/** Every option, in --help order: the settings, then the CLI's own. */
export const OPTION_SPECS: readonly OptionSpec[] = [...SETTING_SPECS, ...CLI_SPECS];

const SPECS = new Map(OPTION_SPECS.map((s) => [s.flag, s]));

/** A setting's value as typed on the command line ("128,64", "0" for no hidden layer). */
function cliText(s: Setting, v: unknown): string {
  if (s.kind === 'layer-sizes') return (v as number[]).join(',') || '0';
  return String(v);
}

/** The text of `--help`. */
export function helpText(): string {
  const rows = OPTION_SPECS.map((s) => {
    const left = `  --${s.flag}${s.arg ? ` ${s.arg}` : ''}`;
    const choices = s.choices ? ` (${s.choices.join('|')})` : '';
    const row = s.setting;
    const def = row ? ` [${cliText(row, row.cli?.default ?? row.default)}]` : '';
    return `${left.padEnd(26)} ${s.help}${choices}${def}`;
  });
  return [
    'Train the Backprop Lab network headless, on the prepared MNIST / Fashion-MNIST data.',
    '',
    'Usage: npm run train -- [options]        (npm run -s train -- --json … for clean JSON output)',
    '',
    'Options (defaults in brackets: the app defaults, except epochs):',
    ...rows,
    '',
    'Which images: --validation N holds N training images out (a choice seeded by --seed, never the test',
    '  set); the training subset is the first --train-size of the others (all of them by default).',
    '',
    'When to stop: after --epochs N; or once the smoothed training loss is ≤ --until-loss X (checked after',
    '  every batch; smoothed = exponential moving average of the batch losses, β 0.98 per batch, debiased:',
    "  a window of ~50 batches, the loss chart's line); or, with --patience K (needs --validation), when the",
    "  validation loss has not improved for K epochs — the best epoch's weights are then restored, and",
    '  --save / --export-tfjs write those.',
    '',
    'With --json, stdout holds one JSON object per epoch:',
    '  {"epoch","trainLoss","trainAccuracy","testLoss","testAccuracy","samplesPerSecond"}',
    '  (epoch from 1; accuracies 0–1; trainLoss the mean over the epoch; samples/s of training only),',
    '  plus "validationLoss","validationAccuracy" with --validation; and last, why and where it stopped:',
    '  {"stopped","epoch","step","trainLoss","bestEpoch","testAccuracy"}: stopped is "epochs",',
    '  "loss-tolerance", "early-stopping" or "diverged"; epoch/step the last trained (a loss stop may end',
    '  an epoch early); trainLoss the smoothed loss; bestEpoch the epoch of the weights kept (the restored',
    '  best after early stopping, else the last); testAccuracy theirs (null when diverged).',
    '  --stats-every N adds {"step","layers":[{"layer","gradNorm","updateRatio","activationMean",',
    '  "activationStd","deadFraction","saturatedFraction"}…]} after every N-th step: layer 1 is the first',
    '  weight layer, the last the output layer (its activation figures are on the logits), on a fixed',
    '  probe of 64 training images; gradNorm is the gradient the optimizer applies (L2 included).',
    '  --init-report prints {"init","layers":[{"layer","meanAbs","std"}…]} per init, without training.',
    '',
    'Exit status: 0 done (whatever stopped it), 1 error (e.g. data missing), 2 bad options, 3 training',
    '  diverged (the message on stderr; with --json, the {"stopped":"diverged",…} line on stdout).',
    '',
    'Examples:',
    '  npm run train -- --epochs 1',
    '  npm run train -- --hidden 800 --lr-decay 0.8 --epochs 15 --save mnist-800.json',
    '  npm run -s train -- --dataset fashion-mnist --epochs 10 --json',
    '  npm run -s train -- --hidden 64,64,64,64,64 --activation sigmoid --init xavier --optimizer sgd --lr 0.1 --json --stats-every 50',
    '  npm run -s train -- --init-report --init uniform',
    '  npm run -s train -- --train-size 1000 --validation 1000 --patience 2 --epochs 100 --json',
    '  npm run -s train -- --until-loss 0.15 --epochs 30',
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

/** "128,64" → [128, 64]; "0" → [] (no hidden layer). Limits from the `hidden` row of the schema. */
export function parseHidden(raw: string): number[] {
  const row = trainSetting('hidden');
  const maxLayers = row.kind === 'layer-sizes' ? row.maxLayers : 0;
  const maxSize = row.kind === 'layer-sizes' ? row.size.max : 0;
  const text = raw.trim();
  if (text === '0') return [];
  if (text === '')
    throw new UsageError('--hidden expects sizes like 128,64 (or 0 for no hidden layer), got ""');
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length > maxLayers) {
    throw new UsageError(`--hidden: ${parts.length} hidden layers is over the limit of ${maxLayers}`);
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
    if (v > maxSize) {
      throw new UsageError(`--hidden: layer ${i + 1} size ${v} is over the limit of ${maxSize}`);
    }
    return v;
  });
}

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
  /** The flag the user typed for a setting's flag (its synonym, when that was given instead). */
  const typed = new Map<string, string>();
  for (const [old, flag] of Object.entries(SYNONYMS)) {
    const v = values.get(old);
    if (v === undefined) continue;
    if (values.has(flag)) throw new UsageError(`--${old} is another name for --${flag}: give one of them`);
    values.delete(old);
    values.set(flag, v);
    typed.set(flag, old);
  }

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

  /** The typed text of a setting's flag → its value, refused (never clamped) when out of range. */
  const settingValue = (spec_: OptionSpec, row: Setting, raw: string): unknown => {
    // Messages name the flag as typed (--limit for the synonym).
    const spec = { ...spec_, flag: typed.get(spec_.flag) ?? spec_.flag };
    let v: unknown;
    switch (row.kind) {
      case 'enum':
        return choice(spec.flag, row.default as string);
      case 'int':
        v =
          row.named && raw.trim().toLowerCase() === row.named.word
            ? row.named.word
            : parseInt_(spec.flag, raw);
        break;
      case 'number':
        v = parseNumber(spec.flag, raw);
        break;
      case 'number-or-full':
        v = raw === 'full' ? raw : parseNumber(spec.flag, raw);
        break;
      case 'layer-sizes':
        v = parseHidden(raw);
        break;
    }
    const atLeast = row.cli?.atLeast;
    if (atLeast !== undefined && typeof v === 'number' && v < atLeast) {
      throw new UsageError(`--${spec.flag} must be at least ${atLeast}, got ${v}`);
    }
    try {
      return checkSetting(row, v);
    } catch (e) {
      if (!(e instanceof SettingError)) throw e;
      // "--lr: must be > 0, got -1"
      throw new UsageError(`--${spec.flag}: ${e.message}`);
    }
  };

  const config: Record<string, unknown> = {};
  let dataset: DatasetName = DATASET_SETTING.default as DatasetName;
  const presetName = str('preset');
  const preset = presetName === undefined ? undefined : presetNamed(choice('preset', presetName));
  const fromPreset = preset?.settings as Record<string, unknown> | undefined;
  for (const spec of SETTING_SPECS) {
    const row = spec.setting!;
    const raw = str(spec.flag);
    const preset = fromPreset?.[row.name];
    const v =
      raw === undefined
        ? preset !== undefined
          ? Array.isArray(preset)
            ? [...(preset as number[])]
            : preset
          : (row.cli?.default ?? (Array.isArray(row.default) ? [...row.default] : row.default))
        : settingValue(spec, row, raw);
    if (isTrainSetting(row)) config[row.name] = v;
    else if (row === DATASET_SETTING) dataset = v as DatasetName;
  }
  // Settings the CLI does not offer (the dataset's input and output sizes) keep their defaults.
  for (const row of SETTINGS.filter((s) => isTrainSetting(s) && !s.cli)) config[row.name] = row.default;
  // `--lr-decay F` means "×F per epoch": the exponential schedule, unless a schedule is named explicitly.
  if (values.has('lr-decay') && !values.has('schedule') && fromPreset?.schedule === undefined) {
    config.schedule = 'exponential';
  }
  // The validation images come out of the training split: without --train-size the subset is all the
  // rest; an explicit one that does not fit is refused (a link clamps it instead).
  const trainSize = config.trainSize as number;
  const validation = config.validation as number;
  if (trainSize + validation > MAX_TRAIN_IMAGES) {
    if (values.has('train-size')) {
      const flag = typed.get('train-size') ?? 'train-size';
      throw new UsageError(
        `--${flag} ${trainSize} with --validation ${validation} needs ${trainSize + validation} training images; ` +
          `there are ${MAX_TRAIN_IMAGES}: the validation images come out of them (--${flag} ≤ ${MAX_TRAIN_IMAGES - validation})`,
      );
    }
    config.trainSize = MAX_TRAIN_IMAGES - validation;
  }
  if ((config.mine as number) > 0 && !values.has('my-digits')) {
    throw new UsageError(
      "--mine-weight needs --my-digits FILE.zip: it mixes that file's teach half into every epoch",
    );
  }
  if ((config.patience as number) > 0 && validation === 0) {
    throw new UsageError(
      '--patience needs --validation N: early stopping watches the loss on held-out validation images',
    );
  }

  if (values.has('landscape-grid')) {
    const grid = optionalPositiveInt('landscape-grid')!;
    if (!values.has('landscape')) throw new UsageError('--landscape-grid needs --landscape FILE.json');
    if (grid < LANDSCAPE_GRID_MIN || grid > LANDSCAPE_GRID_MAX) {
      throw new UsageError(
        `--landscape-grid must be ${LANDSCAPE_GRID_MIN} to ${LANDSCAPE_GRID_MAX} (points a side), got ${grid}`,
      );
    }
  }

  return {
    kind: 'run',
    options: {
      dataset,
      dataDir: path('data-dir') ?? 'public/data',
      config: config as unknown as TrainConfig,
      testLimit: optionalPositiveInt('test-limit'),
      ...(values.has('my-digits') ? { myDigits: path('my-digits') } : {}),
      save: path('save'),
      exportTfjs: path('export-tfjs'),
      ...(values.has('landscape')
        ? {
            landscape: {
              file: path('landscape')!,
              grid: optionalPositiveInt('landscape-grid') ?? LANDSCAPE_GRID_DEFAULT,
            },
          }
        : {}),
      json: values.has('json'),
      statsEvery: optionalPositiveInt('stats-every'),
      initReport: values.has('init-report'),
      progress: !values.has('no-progress'),
      // Present only when given (kept out of the option objects other code and tests compare).
      ...(values.has('dry-run') ? { dryRun: true } : {}),
      ...(values.has('force') ? { force: true } : {}),
    },
  };
}
