/**
 * One range per setting, so whatever one surface accepts, the others reproduce: CLI flags → config →
 * model file → loaded → URL → reload gives the same config, for a few hundred random configs drawn from the
 * schema's own rows (a new setting is covered without touching this file).
 */
import { describe, expect, it } from 'vitest';
import { parseArgs, type CliOptions } from '../../src/cli/options.ts';
import {
  ModelFileError,
  parseModel,
  serializeModel,
  type SerializableNetwork,
} from '../../src/engine/modelFile.ts';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/engine/types.ts';
import {
  checkSetting,
  fitTrainSize,
  isTrainSetting,
  MAX_TRAIN_IMAGES,
  SETTINGS,
  SPEED_SETTING,
  TRAIN_SETTINGS,
  type Range,
  type Setting,
} from '../../src/settings/schema.ts';
import { DEFAULT_CONFIG_STATE, type ConfigState } from '../../src/store/config.ts';
import { readUrlState, writeUrlState } from '../../src/store/urlState.ts';

/** mulberry32: a small seeded generator for test cases, independent of the engine's Rng. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A number in the range: often an end (closed ends only) or just inside an open one, else anywhere. */
function numberIn(r: Range, rand: () => number, integer: boolean): number {
  const pick = rand();
  if (pick < 0.15 && !r.minOpen) return r.min;
  if (pick < 0.3 && !r.maxOpen) return r.max;
  if (integer) {
    const lo = r.minOpen ? r.min + 1 : r.min;
    const hi = r.maxOpen ? r.max - 1 : r.max;
    return lo + Math.floor(rand() * (hi - lo + 1));
  }
  if (pick < 0.4 && r.minOpen) return r.min + (r.max - r.min) * 1e-9 * (1 + rand());
  if (pick < 0.5 && r.maxOpen) return r.max - (r.max - r.min) * 1e-9 * (1 + rand());
  // Full-precision doubles (17 digits): the URL must not round them.
  let v = r.min + (r.max - r.min) * rand();
  if (pick < 0.75 && r.min >= 0 && r.max > 0) v = r.max * 10 ** (-12 * rand()); // log-uniform: small values
  return Math.min(r.max, Math.max(r.min, v)) === v && v !== (r.minOpen ? r.min : NaN) ? v : r.max / 2;
}

function randomValue(s: Setting, rand: () => number): unknown {
  switch (s.kind) {
    case 'enum':
      return s.choices[Math.floor(rand() * s.choices.length)];
    case 'int':
      return numberIn(
        s.cli?.atLeast !== undefined ? { ...s.range, min: Math.max(s.range.min, s.cli.atLeast) } : s.range,
        rand,
        true,
      );
    case 'number':
      return numberIn(s.range, rand, false);
    case 'number-or-full':
      return rand() < 0.3 ? 'full' : numberIn(s.range, rand, false);
    case 'layer-sizes': {
      // Up to maxLayers layers; small sizes (the weights are serialised), with the ends 1 and 16.
      const n = Math.floor(rand() * (s.maxLayers + 1));
      return Array.from({ length: n }, () => (rand() < 0.2 ? 1 : 1 + Math.floor(rand() * 16)));
    }
  }
}

/** How a value is typed on the command line. */
function cliText(s: Setting, v: unknown): string {
  if (s.kind === 'layer-sizes') return (v as number[]).join(',') || '0';
  return String(v);
}

/** A network of the config's shape with zero weights: the file's config is what is under test. */
function zeroNet(c: TrainConfig): SerializableNetwork {
  const sizes = [c.inputSize, ...c.hidden, c.outputSize];
  return {
    layers: sizes.slice(0, -1).map((inSize, i) => ({
      inSize,
      outSize: sizes[i + 1],
      activation: i === sizes.length - 2 ? ('softmax' as const) : c.activation,
      weights: new Float32Array(inSize * sizes[i + 1]),
      biases: new Float32Array(sizes[i + 1]),
    })),
  };
}

function cliOptions(argv: string[]): CliOptions {
  const r = parseArgs(argv);
  if (r.kind !== 'run') throw new Error('expected a run');
  return r.options;
}

/** Model file → loaded → URL → reload: the state a reload of the written URL gives. */
function throughFileAndUrl(
  config: TrainConfig,
  dataset: ConfigState['dataset'],
  speed: ConfigState['speed'],
) {
  const loaded = parseModel(serializeModel(zeroNet(config), config)).config;
  const state: ConfigState = { dataset, config: loaded, speed };
  return { loaded, state, reloaded: readUrlState(writeUrlState(state, '?data=x')) };
}

describe('CLI → model file → URL → reload', () => {
  it('gives back the same config for 300 random configs', () => {
    const rand = prng(20240611);
    const cliRows = SETTINGS.filter((s) => s.cli);
    for (let trial = 0; trial < 300; trial++) {
      // Each flag given with probability 0.8; the others take the CLI's defaults.
      const given = new Map<Setting, unknown>();
      for (const s of cliRows) if (rand() < 0.8) given.set(s, randomValue(s, rand));
      // The rules between rows, which the CLI refuses to break: validation images come out of the training
      // split (an explicit train size must fit beside them), and early stopping needs a validation split.
      const row = (name: string) => cliRows.find((s) => s.name === name)!;
      const [trainRow, validationRow, patienceRow] = [row('trainSize'), row('validation'), row('patience')];
      if (((given.get(patienceRow) ?? 0) as number) > 0 && !given.get(validationRow)) {
        given.set(validationRow, 1);
      }
      const validation = (given.get(validationRow) ?? 0) as number;
      if (given.has(trainRow) && (given.get(trainRow) as number) + validation > MAX_TRAIN_IMAGES) {
        given.set(trainRow, MAX_TRAIN_IMAGES - validation);
      }
      const argv = [...given].flatMap(([s, v]) => [`--${s.cli!.flag}`, cliText(s, v)]);
      // Training on my digits needs the file they come from (only parsed here, never read).
      if (((given.get(row('mine')) ?? 0) as number) > 0) argv.push('--my-digits', 'mine.zip');

      const expected: Record<string, unknown> = {};
      for (const s of TRAIN_SETTINGS) {
        expected[s.name] = given.has(s) ? given.get(s) : (s.cli?.default ?? s.default);
      }
      const given_ = (name: string) => [...given.keys()].some((s) => s.name === name);
      if (given_('lrDecay') && !given_('schedule')) expected.schedule = 'exponential';
      // No --train-size: all the images not held out for validation.
      Object.assign(expected, fitTrainSize(expected as { trainSize: number; validation: number }));
      const dataset = [...given].find(([s]) => !isTrainSetting(s))?.[1] ?? 'mnist';

      const options = cliOptions(argv);
      expect(options.config, argv.join(' ')).toEqual(expected);
      expect(options.dataset).toBe(dataset);

      const speed = randomValue(SPEED_SETTING, rand) as ConfigState['speed'];
      const { loaded, state, reloaded } = throughFileAndUrl(options.config, options.dataset, speed);
      expect(loaded, argv.join(' ')).toEqual(options.config);
      expect(reloaded, argv.join(' ')).toEqual(state);
    }
  });

  it('every row: its default and CLI default are in its own range; keys and flags are unique', () => {
    for (const s of SETTINGS) {
      expect(checkSetting(s, s.default), s.name).toEqual(s.default);
      if (s.cli?.default !== undefined) expect(checkSetting(s, s.cli.default)).toEqual(s.cli.default);
    }
    const keys = SETTINGS.flatMap((s) => (s.url ? [s.url] : []));
    const flags = SETTINGS.flatMap((s) => (s.cli ? [s.cli.flag] : []));
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(flags).size).toBe(flags.length);
    expect(TRAIN_SETTINGS.map((s) => s.name)).toEqual(Object.keys(DEFAULT_CONFIG));
  });
});

/** A saved file's JSON with some config fields replaced. */
function fileWith(patch: Record<string, unknown>): string {
  const c: TrainConfig = { ...DEFAULT_CONFIG, hidden: [4] };
  const file = JSON.parse(serializeModel(zeroNet(c), c));
  Object.assign(file.config, patch);
  return JSON.stringify(file);
}

describe('a model file the old surfaces disagreed about', () => {
  it('seed −5 is read as the RNG reads it (4294967291), and round-trips from there', () => {
    const config = parseModel(fileWith({ seed: -5 })).config;
    expect(config.seed).toBe(4294967291);
    const { reloaded, state } = throughFileAndUrl(config, 'mnist', 'full');
    expect(reloaded).toEqual(state);
    expect(reloaded.config.seed).toBe(4294967291);
  });

  it('momentum 0.9995 is in range everywhere, and round-trips', () => {
    const config = parseModel(fileWith({ momentum: 0.9995, beta2: 0.99999 })).config;
    expect(config.momentum).toBe(0.9995);
    const { reloaded, state } = throughFileAndUrl(config, 'mnist', 'full');
    expect(reloaded).toEqual(state);
    expect(cliOptions(['--momentum', '0.9995']).config.momentum).toBe(0.9995);
  });

  it('20,000 epochs is refused, naming the field and the range; 10,000 round-trips', () => {
    expect(() => parseModel(fileWith({ epochs: 20_000 }))).toThrow(ModelFileError);
    expect(() => parseModel(fileWith({ epochs: 20_000 }))).toThrow(
      /config\.epochs: expected an integer from 0 to 10000, got 20000/,
    );
    const config = parseModel(fileWith({ epochs: 10_000, seed: -5, momentum: 0.9995 })).config;
    const { reloaded, state } = throughFileAndUrl(config, 'fashion-mnist', 2);
    expect(reloaded).toEqual(state);
  });

  it('a link clamps what a file or the CLI would refuse', () => {
    const s = readUrlState('?epochs=20000&seed=-5&momentum=0.9995&lr=5e6&l2=3');
    expect(s.config).toMatchObject({
      epochs: 10_000,
      seed: 4294967291,
      momentum: 0.9995,
      learningRate: 1e6,
      l2: 1,
    });
    expect(() => cliOptions(['--epochs', '20000'])).toThrow(/--epochs/);
    expect(() => cliOptions(['--seed', '-5'])).toThrow(/--seed/);
  });
});

describe('the training subset and the validation split', () => {
  it('a link clamps the training subset into what the validation split leaves; the stop rules read back', () => {
    const s = readUrlState('?train=1000&validation=1000&patience=2&untilLoss=0.15');
    expect(s.config).toMatchObject({ trainSize: 1000, validation: 1000, patience: 2, untilLoss: 0.15 });
    expect(readUrlState('?validation=5000').config.trainSize).toBe(55_000);
    expect(readUrlState('?train=59000&validation=2000').config.trainSize).toBe(58_000);
    expect(readUrlState('?train=5&validation=90000').config).toMatchObject({
      trainSize: 100,
      validation: 30_000,
    });
    expect(writeUrlState(s)).toContain('train=1000&validation=1000&untilLoss=0.15&patience=2');
  });

  it('a model file fits them the same way, and one without them takes the defaults', () => {
    const config = parseModel(fileWith({ trainSize: 60_000, validation: 5000, patience: 3 })).config;
    expect(config).toMatchObject({ trainSize: 55_000, validation: 5000, patience: 3, untilLoss: 0 });
    const { reloaded, state } = throughFileAndUrl(config, 'mnist', 'full');
    expect(reloaded).toEqual(state);
  });
});

describe('defaults', () => {
  it('the app state defaults are the rows’ defaults', () => {
    const fromRows = Object.fromEntries(SETTINGS.map((s) => [s.name, s.default]));
    expect({ dataset: fromRows.dataset, speed: fromRows.speed }).toEqual({
      dataset: DEFAULT_CONFIG_STATE.dataset,
      speed: DEFAULT_CONFIG_STATE.speed,
    });
  });
});
