import { describe, expect, it } from 'vitest';
import { presetNamed } from '../../src/settings/presets';
import {
  CLI_DEFAULT_EPOCHS,
  OPTION_SPECS,
  UsageError,
  helpText,
  parseArgs,
  parseHidden,
  type CliOptions,
} from '../../src/cli/options.ts';
import { DEFAULT_CONFIG } from '../../src/engine/types.ts';

function options(argv: string[]): CliOptions {
  const r = parseArgs(argv);
  if (r.kind !== 'run') throw new Error('expected a run');
  return r.options;
}

function usageError(argv: string[]): string {
  try {
    parseArgs(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`expected a UsageError for ${argv.join(' ')}`);
}

describe('parseArgs', () => {
  it('defaults are the app defaults, with 5 epochs', () => {
    const o = options([]);
    // The CLI's own defaults: 5 epochs, one thread (so its figures compare from machine to machine).
    expect(o.config).toEqual({ ...DEFAULT_CONFIG, epochs: CLI_DEFAULT_EPOCHS, workers: 1 });
    expect(CLI_DEFAULT_EPOCHS).toBe(5);
    expect(o).toMatchObject({ dataset: 'mnist', dataDir: 'public/data', json: false, progress: true });
    expect(o.config.trainSize).toBe(60_000);
    expect(o.save).toBeUndefined();
    expect(o.exportTfjs).toBeUndefined();
  });

  it('the regularisers: --input-dropout, --dropout, --max-norm, --augment; out of range refused by flag', () => {
    const o = options(['--input-dropout', '0.2', '--dropout=0.5', '--max-norm', '3', '--augment', 'elastic']);
    expect(o.config).toMatchObject({ inputDropout: 0.2, dropout: 0.5, maxNorm: 3, augment: 'elastic' });
    expect(usageError(['--dropout', '0.95'])).toMatch(/^--dropout: /);
    expect(usageError(['--input-dropout', '-0.1'])).toMatch(/^--input-dropout: /);
    expect(usageError(['--max-norm', '-1'])).toMatch(/^--max-norm: /);
    expect(usageError(['--augment', 'mixup'])).toMatch(/--augment must be one of none, shift, affine/);
    expect(usageError(['--dropout', 'half'])).toMatch(/--dropout expects a number/);
  });

  it('--preset NAME sets its recipe; a flag given beside it wins; an unknown name is refused', () => {
    const o = options(['--preset', 'mnist-99']);
    expect(o.config).toMatchObject(presetNamed('mnist-99')!.settings);
    const mine = options(['--preset', 'mnist-99', '--epochs', '2', '--augment', 'shift']);
    expect(mine.config).toMatchObject({ epochs: 2, augment: 'shift', hidden: [800] });
    expect(usageError(['--preset', 'mnist-100'])).toMatch(/--preset must be one of mnist-99/);
  });

  it('--batch all (or 60000) trains full-batch: the whole training split', () => {
    expect(options(['--batch', 'all']).config.batchSize).toBe(60_000);
    expect(options(['--batch=all']).config.batchSize).toBe(60_000);
    expect(options(['--batch', '60000']).config.batchSize).toBe(60_000);
  });

  it('maps every option onto the config, in both --flag value and --flag=value forms', () => {
    const o = options([
      '--dataset',
      'fashion-mnist',
      '--hidden=256,128,64',
      '--activation',
      'tanh',
      '--init=xavier',
      '--optimizer',
      'momentum',
      '--lr',
      '0.05',
      '--momentum',
      '0.8',
      '--batch',
      '128',
      '--epochs',
      '3',
      '--l2',
      '1e-4',
      '--seed',
      '4294967295',
      '--limit',
      '2000',
      '--test-limit',
      '500',
      '--save',
      'out/m.json',
      '--export-tfjs',
      'out/tfjs',
      '--data-dir',
      '/data',
      '--beta1',
      '0.8',
      '--beta2',
      '0.99',
      '--epsilon',
      '1e-7',
      '--json',
      '--no-progress',
      '--workers=3',
    ]);
    expect(o).toEqual({
      dataset: 'fashion-mnist',
      dataDir: '/data',
      config: {
        ...DEFAULT_CONFIG,
        workers: 3,
        hidden: [256, 128, 64],
        activation: 'tanh',
        init: 'xavier',
        optimizer: 'momentum',
        learningRate: 0.05,
        momentum: 0.8,
        batchSize: 128,
        epochs: 3,
        l2: 1e-4,
        seed: 4294967295,
        beta1: 0.8,
        beta2: 0.99,
        epsilon: 1e-7,
        trainSize: 2000,
      },
      testLimit: 500,
      save: 'out/m.json',
      exportTfjs: 'out/tfjs',
      json: true,
      progress: false,
      statsEvery: undefined,
      initReport: false,
    });
  });

  it('--lr-decay F means ×F per epoch (exponential) unless a schedule is named', () => {
    expect(options(['--lr-decay', '0.8']).config).toMatchObject({ schedule: 'exponential', lrDecay: 0.8 });
    expect(options(['--schedule', 'constant']).config).toMatchObject({ schedule: 'constant' });
    expect(options(['--lr-decay', '0.5', '--schedule', 'step', '--step-every', '3']).config).toMatchObject({
      schedule: 'step',
      lrDecay: 0.5,
      stepEvery: 3,
    });
    expect(options(['--schedule', 'cosine']).config.schedule).toBe('cosine');
  });

  it('--validation N without --train-size trains on all the rest; --limit is --train-size', () => {
    expect(options(['--validation', '5000']).config).toMatchObject({ trainSize: 55_000, validation: 5000 });
    expect(options(['--limit', '1000']).config.trainSize).toBe(1000);
    expect(
      options(['--train-size', '1000', '--validation', '1000', '--patience', '2', '--until-loss', '0.15'])
        .config,
    ).toMatchObject({ trainSize: 1000, validation: 1000, patience: 2, untilLoss: 0.15 });
  });

  it('--hidden 0 is no hidden layer; --help wins over everything', () => {
    expect(options(['--hidden', '0']).config.hidden).toEqual([]);
    expect(parseArgs(['--lr', '1', '--help'])).toEqual({ kind: 'help' });
  });

  it('rejects bad command lines with a message naming the option', () => {
    const cases: [string[], RegExp][] = [
      [['--lrate', '1'], /unknown option --lrate \(did you mean --lr, --lr-decay\?\); see --help/],
      [['train'], /unexpected argument "train"/],
      [['--lr'], /--lr needs a value \(RATE\)/],
      [['--lr', '--json'], /--lr needs a value/],
      [['--lr', ''], /--lr expects a number, got ""/],
      [['--lr', '1e-3x'], /--lr expects a number, got "1e-3x"/],
      [['--lr', 'Infinity'], /--lr expects a number/],
      [['--lr', '0'], /--lr: must be > 0, got 0/],
      [['--lr', '-0.1'], /--lr: must be > 0/],
      [['--epochs', '2.5'], /--epochs expects a whole number, got "2.5"/],
      [['--epochs', '0'], /--epochs must be at least 1/],
      [['--batch', '0'], /--batch: expected an integer from 1 to 60000, got 0/],
      [['--batch', '60001'], /--batch: 60001 is over the limit of 60000/],
      [['--batch', 'most'], /--batch/],
      [['--momentum', '1'], /--momentum: must be < 1, got 1/],
      [['--beta2', '-1'], /--beta2: must be ≥ 0/],
      [['--l2', '-1'], /--l2: must be ≥ 0/],
      [['--lr-decay', '0'], /--lr-decay: must be > 0/],
      [['--step-every', '0'], /--step-every: expected an integer from 1/],
      [['--limit', '0'], /--limit: expected an integer from 100 to 60000, got 0/],
      [['--train-size', '99'], /--train-size: expected an integer from 100 to 60000, got 99/],
      [['--validation', '30001'], /--validation: expected an integer from 0 to 30000/],
      [['--until-loss', '-0.1'], /--until-loss: must be ≥ 0/],
      [['--limit', '500', '--train-size', '500'], /--limit is another name for --train-size/],
      [
        ['--train-size', '59000', '--validation', '2000'],
        /--train-size 59000 with --validation 2000 needs 61000 training images; there are 60000.*≤ 58000/,
      ],
      [['--limit', '59000', '--validation', '2000'], /--limit 59000 with --validation 2000/],
      [['--patience', '3'], /--patience needs --validation N/],
      [['--activation', 'gelu'], /--activation must be one of relu, leaky-relu, sigmoid, tanh; got "gelu"/],
      [['--init', 'zeros'], /--init must be one of he, xavier, small, uniform/],
      [['--schedule', 'linear'], /--schedule must be one of constant, exponential, step, cosine/],
      [['--dataset', 'cifar10'], /--dataset must be one of mnist, fashion-mnist/],
      [['--json=yes'], /--json takes no value/],
      [['--json', '--json'], /--json is given more than once/],
      [['--save', ' '], /--save needs a non-empty path/],
      [['--hidden', ''], /--hidden expects sizes like 128,64/],
      // One range per setting, the URL's and the model file's: what the CLI saves, a link reproduces.
      [['--seed', '-7'], /--seed: expected an integer from 0 to 4294967295, got -7/],
      [['--seed', '4294967296'], /--seed: expected an integer from 0 to 4294967295/],
      [['--epochs', '20000'], /--epochs: expected an integer from 0 to 10000, got 20000/],
      [['--momentum', '0.9995', '--lr', '2e6'], /--lr: must be ≤ 1000000, got 2000000/],
      [['--lr-decay', '1.5'], /--lr-decay: must be ≤ 1, got 1.5/],
      [['--l2', '2'], /--l2: must be ≤ 1/],
      [['--epsilon', '0'], /--epsilon: must be > 0/],
      [['--step-every', '10001'], /--step-every: expected an integer from 1 to 10000/],
    ];
    for (const [argv, message] of cases) expect(usageError(argv), argv.join(' ')).toMatch(message);
  });

  it('documents every option in --help', () => {
    const text = helpText();
    for (const spec of OPTION_SPECS) expect(text).toContain(`--${spec.flag}`);
    expect(text).toMatch(/Exit status: 0 done .*, 1 error .*, 2 bad options, 3 training\s+diverged/);
    // The stop rules and the stopped line are documented.
    expect(text).toMatch(/--until-loss X/);
    expect(text).toMatch(/β 0\.98 per batch, debiased/);
    expect(text).toMatch(/\{"stopped","epoch","step","trainLoss","bestEpoch","testAccuracy"\}/);
    expect(text).toMatch(/"loss-tolerance", "early-stopping" or "diverged"/);
    expect(text).toMatch(/"validationLoss","validationAccuracy" with --validation/);
  });
});

describe('parseHidden', () => {
  it('parses lists and rejects zeros, junk and sizes over the limits', () => {
    expect(parseHidden('128,64')).toEqual([128, 64]);
    expect(parseHidden(' 800 ')).toEqual([800]);
    expect(parseHidden('1, 2, 3')).toEqual([1, 2, 3]);
    expect(() => parseHidden('128,0')).toThrow(/layer 2 has size 0.*--hidden 0 alone/);
    expect(() => parseHidden('0,0')).toThrow(/layer 1 has size 0/);
    expect(() => parseHidden('128,,64')).toThrow(/layer 2 size "" is not a whole number/);
    expect(() => parseHidden('12.5')).toThrow(/not a whole number/);
    expect(() => parseHidden('-5')).toThrow(/not a whole number/);
    expect(() => parseHidden('4097')).toThrow(/size 4097 is over the limit of 4096/);
    expect(() => parseHidden('1,1,1,1,1,1,1,1,1')).toThrow(/9 hidden layers is over the limit of 8/);
  });
});
