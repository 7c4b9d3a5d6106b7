/**
 * The real command, spawned as a user runs it (tsx src/cli/train.ts …), on a small MNIST fixture so each run
 * takes a second or two: JSON lines, the table, bad options, divergence, --save and --export-tfjs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine/evaluate.ts';
import { parseModel } from '../../src/engine/modelFile.ts';
import { Network } from '../../src/engine/network.ts';
import { availableParallelism } from 'node:os';
import { DEFAULT_CONFIG } from '../../src/engine/types.ts';
import { loadDatasetFromDisk } from '../../src/cli/data.ts';
import { TrainingSession } from '../../src/training/session.ts';
import { ROOT, makeMnistFixture } from './fixtures.ts';

const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const CLI = join(ROOT, 'src', 'cli', 'train.ts');
const JSON_KEYS = ['epoch', 'trainLoss', 'trainAccuracy', 'testLoss', 'testAccuracy', 'samplesPerSecond'];
const STOPPED_KEYS = ['stopped', 'epoch', 'step', 'trainLoss', 'bestEpoch', 'testAccuracy'];

let fixture: string;
let dataDir: string;

beforeAll(() => {
  fixture = makeMnistFixture(2000, 500);
  dataDir = join(fixture, 'data');
});

afterAll(() => {
  rmSync(fixture, { recursive: true, force: true });
});

function run(args: string[], cwd = ROOT): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(TSX, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function jsonLines(stdout: string): Record<string, number>[] {
  const lines = stdout.split('\n').filter((l) => l !== '');
  return lines.map((l) => JSON.parse(l) as Record<string, number>);
}

function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/);
  expect(text).not.toMatch(/node:internal|\.ts:\d+:\d+/);
}

describe('npm run train (spawned)', () => {
  it('--limit 2000 --epochs 1 --json: stdout holds one epoch line and the stopped line, with the documented fields', () => {
    const r = run(['--data-dir', dataDir, '--limit', '2000', '--epochs', '1', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = jsonLines(r.stdout);
    expect(lines).toHaveLength(2);
    const line = lines[0]!;
    const stopped = lines[1]!;
    expect(Object.keys(stopped)).toEqual(STOPPED_KEYS);
    expect(stopped).toMatchObject({
      stopped: 'epochs',
      epoch: 1,
      step: Math.ceil(2000 / DEFAULT_CONFIG.batchSize),
      bestEpoch: 1,
      testAccuracy: line.testAccuracy,
    });
    expect(Object.keys(line)).toEqual(JSON_KEYS);
    expect(line.epoch).toBe(1);
    for (const k of JSON_KEYS) expect(Number.isFinite(line[k])).toBe(true);
    expect(line.trainAccuracy).toBeGreaterThan(0);
    expect(line.trainAccuracy).toBeLessThanOrEqual(1);
    expect(line.testAccuracy).toBeLessThanOrEqual(1);
    // One epoch of Adam on 2,000 digits learns something real (chance is 0.1).
    expect(line.testAccuracy).toBeGreaterThan(0.6);
    expect(line.trainLoss).toBeGreaterThan(0);
    expect(line.testLoss).toBeGreaterThan(0);
    expect(line.samplesPerSecond).toBeGreaterThan(0);
  });

  it('is reproducible: the same seed gives the same losses and accuracies, epoch by epoch', () => {
    const args = [
      '--data-dir',
      dataDir,
      '--limit',
      '1000',
      '--epochs',
      '2',
      '--json',
      '--hidden',
      '32',
      '--seed',
      '9',
    ];
    const a = jsonLines(run(args).stdout).slice(0, -1);
    const b = jsonLines(run(args).stdout).slice(0, -1);
    expect(a.map((l) => l.epoch)).toEqual([1, 2]);
    const strip = (ls: Record<string, number>[]) => ls.map(({ samplesPerSecond: _, ...rest }) => rest);
    expect(strip(a)).toEqual(strip(b));
    // The learning-rate decay (×0.6 per epoch by default) and a second epoch still lower the training loss.
    expect(a[1]!.trainLoss).toBeLessThan(a[0]!.trainLoss);
  });

  it('--workers 2 trains on worker threads: the figures of one worker, to the last digit', () => {
    const args = ['--data-dir', dataDir, '--limit', '1000', '--epochs', '2', '--json', '--hidden', '32'];
    const strip = (ls: Record<string, number>[]) => ls.map(({ samplesPerSecond: _, ...rest }) => rest);
    const one = strip(jsonLines(run(args).stdout));
    const twoRun = run([...args, '--workers', '2']);
    expect(twoRun.status).toBe(0);
    const two = strip(jsonLines(twoRun.stdout));
    expect(two.map((l) => l.epoch)).toEqual(one.map((l) => l.epoch));
    // The step's plan is fixed by the batch and the network, not the threads (engine/stepPlan.ts).
    expect(two).toEqual(one);
  });

  it('--batch all trains full-batch, micro-batched: the bits of the engine the page runs, on 1 or 2 workers', () => {
    const modelPath = join(fixture, 'out', 'full-batch.json');
    const args = ['--data-dir', dataDir, '--limit', '1000', '--epochs', '3', '--hidden', '256', '--json'];
    const strip = (ls: Record<string, number>[]) => ls.map(({ samplesPerSecond: _, ...rest }) => rest);
    const one = run([...args, '--batch', 'all']);
    expect(one.status).toBe(0);
    const two = run([...args, '--batch', '60000', '--workers', '2', '--save', modelPath]);
    expect(two.status).toBe(0);
    expect(strip(jsonLines(two.stdout))).toEqual(strip(jsonLines(one.stdout)));
    // One step an epoch, the whole 1,000 images (784-256-10: micro-batches of ≤ 164 rows).
    const parsed = parseModel(readFileSync(modelPath, 'utf8'));
    expect(parsed.config.batchSize).toBe(60_000);
    expect(parsed.training?.steps).toBe(3);
    // The page's worker trains with the same TrainingSession: three steps of it give the saved bits.
    const session = new TrainingSession(parsed.config, loadDatasetFromDisk(dataDir, 'mnist'));
    for (let i = 0; i < 3; i++) expect(session.trainBatch().batchSize).toBe(1000);
    const bits = (p: { weights: Float32Array[]; biases: Float32Array[] }) =>
      [...p.weights, ...p.biases].map((a) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length)));
    expect(bits(session.network.getParams())).toEqual(bits(parsed.params));
  });

  it('--workers beyond the cores is clamped with a note; the run is otherwise the same', () => {
    const many = String(availableParallelism() + 2);
    const r = run(['--data-dir', dataDir, '--limit', '600', '--epochs', '1', '--workers', many]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`note: ${many} workers asked for; this machine has ${availableParallelism()}`);
    expect(r.stdout).toMatch(/Test accuracy/);
  });

  it('without --json prints a readable table and a summary, reading public/data by default', () => {
    const root = makeMnistFixture(600, 200, 'public/data');
    try {
      const r = run(['--epochs', '1', '--hidden', '16'], root);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/mnist · 784-16-10 relu · he init · adam/);
      // Defaults come from DEFAULT_CONFIG, whatever it is tuned to.
      const batches = Math.ceil(600 / DEFAULT_CONFIG.batchSize);
      const lr = DEFAULT_CONFIG.learningRate.toExponential(2).replace('.', '\\.');
      expect(r.stdout).toContain(`Training on 600 samples (${batches} batches per epoch), testing on 200`);
      expect(r.stdout).toMatch(
        /epoch\s+learning rate\s+train loss\s+train acc\s+test loss\s+test acc\s+samples\/s/,
      );
      expect(r.stdout).toMatch(
        new RegExp(
          `^\\s+1\\s+${lr}\\s+\\d\\.\\d{4}\\s+\\d+\\.\\d\\d%\\s+\\d\\.\\d{4}\\s+\\d+\\.\\d\\d%\\s+[\\d,]+\\s+\\d+\\.\\d s$`,
          'm',
        ),
      );
      expect(r.stdout).toMatch(new RegExp(`Test accuracy \\d+\\.\\d\\d% after 1 epoch \\(${batches} steps`));
      // stderr is not a terminal here: no progress bar.
      expect(r.stderr).toBe('');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('bad options: a clear message, exit status 2, no stack trace, nothing on stdout', () => {
    const cases: [string[], RegExp][] = [
      [['--frobnicate'], /unknown option --frobnicate/],
      [['--lr', 'fast'], /--lr expects a number, got "fast"/],
      [['--hidden', '128,0,64'], /--hidden: layer 2 has size 0/],
      [['--hidden', '128,99999'], /--hidden: layer 2 size 99999 is over the limit of 4096/],
      [['--optimizer', 'rmsprop'], /--optimizer must be one of sgd, momentum, adam; got "rmsprop"/],
      [['--batch', '100000'], /--batch: 100000 is over the limit of 60000/],
    ];
    for (const [args, message] of cases) {
      const r = run(['--data-dir', dataDir, ...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/--help/);
      expectNoStackTrace(r.stderr);
    }
  });

  it('missing data: says to run npm run prepare-data, exit status 1', () => {
    const r = run(['--data-dir', join(fixture, 'nothing-here'), '--json']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/The mnist data is not prepared: .*train-images-idx3-ubyte\.gz.* missing/);
    expect(r.stderr).toMatch(/npm run prepare-data/);
    expectNoStackTrace(r.stderr);
  });

  it('divergence: says "diverged" with the step and the last finite loss, exit status 3', () => {
    // Uniform(0,1) weights + leaky ReLU (never fully dead) + a large SGD step: activations overflow float32.
    const r = run([
      '--data-dir',
      dataDir,
      '--limit',
      '2000',
      '--epochs',
      '1',
      '--json',
      '--init',
      'uniform',
      '--activation',
      'leaky-relu',
      '--optimizer',
      'sgd',
      '--lr',
      '10',
    ]);
    expect(r.status).toBe(3);
    // With --json, the stopped line still says what happened (nothing else on stdout).
    const [stopped, ...rest] = jsonLines(r.stdout) as unknown as Record<string, unknown>[];
    expect(rest).toEqual([]);
    expect(Object.keys(stopped!)).toEqual(STOPPED_KEYS);
    expect(stopped).toMatchObject({ stopped: 'diverged', epoch: 1, bestEpoch: 0, testAccuracy: null });
    expect(stopped!.step).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/diverged at step \d+/);
    expect(r.stderr).toMatch(/last finite loss was [\d.e+]+ \(step \d+\)/);
    expectNoStackTrace(r.stderr);
  });

  it('--save writes a model file that parses and reproduces the reported test accuracy; --export-tfjs writes model.json + weights.bin', () => {
    const out = join(fixture, 'out');
    const modelPath = join(out, 'model.json');
    const tfjsDir = join(out, 'tfjs');
    const r = run([
      '--data-dir',
      dataDir,
      '--limit',
      '2000',
      '--epochs',
      '1',
      '--hidden',
      '48,24',
      '--activation',
      'leaky-relu',
      '--seed',
      '3',
      '--json',
      '--save',
      modelPath,
      '--export-tfjs',
      tfjsDir,
    ]);
    expect(r.status).toBe(0);
    const [line] = jsonLines(r.stdout);
    expect(r.stderr).toMatch(/Saved the model to/);
    expect(r.stderr).toMatch(/Exported for TensorFlow\.js/);

    const parsed = parseModel(readFileSync(modelPath, 'utf8'));
    expect(parsed.config).toEqual({
      ...DEFAULT_CONFIG,
      workers: 1,
      hidden: [48, 24],
      activation: 'leaky-relu',
      seed: 3,
      epochs: 1,
      // --limit is --train-size: the file says what the model learnt from.
      trainSize: 2000,
    });
    expect(parsed.training).toEqual({
      epochs: 1,
      steps: Math.ceil(2000 / DEFAULT_CONFIG.batchSize),
      testAccuracy: line!.testAccuracy,
    });
    // The saved weights are the trained ones: evaluating them gives exactly the accuracy the CLI printed.
    const net = Network.create(parsed.config, 256);
    net.setParams(parsed.params);
    const { test } = loadDatasetFromDisk(dataDir, 'mnist');
    const result = evaluate(net, test);
    expect(result.accuracy).toBe(line!.testAccuracy);
    expect(result.loss).toBeCloseTo(line!.testLoss, 10);

    const modelJson = JSON.parse(readFileSync(join(tfjsDir, 'model.json'), 'utf8'));
    expect(modelJson.format).toBe('layers-model');
    expect(modelJson.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(modelJson.modelTopology.config.layers.map((l: { class_name: string }) => l.class_name)).toEqual([
      'Dense',
      'LeakyReLU',
      'Dense',
      'LeakyReLU',
      'Dense',
    ]);
    const params = 784 * 48 + 48 + 48 * 24 + 24 + 24 * 10 + 10;
    expect(statSync(join(tfjsDir, 'weights.bin')).size).toBe(4 * params);
    expect(existsSync(join(tfjsDir, 'model.json'))).toBe(true);
  });

  it('--until-loss 0.15 --epochs 30: stops when the smoothed training loss reaches 0.15, before epoch 30', () => {
    const r = run([
      ...['--data-dir', dataDir, '--train-size', '1000', '--hidden', '64', '--schedule', 'constant'],
      ...['--until-loss', '0.15', '--epochs', '30', '--json'],
    ]);
    expect(r.status).toBe(0);
    const lines = jsonLines(r.stdout) as unknown as Record<string, unknown>[];
    const stopped = lines.at(-1)!;
    expect(Object.keys(stopped)).toEqual(STOPPED_KEYS);
    expect(stopped.stopped).toBe('loss-tolerance');
    expect(stopped.epoch).toBeLessThan(30);
    expect(stopped.trainLoss).toBeLessThanOrEqual(0.15);
    expect(stopped.bestEpoch).toBe(stopped.epoch);
    // The epoch lines before it: every finished epoch (the stop may fall inside the next one).
    const finished = lines.slice(0, -1).map((l) => l.epoch as number);
    expect([stopped.epoch, (stopped.epoch as number) - 1]).toContain(finished.length);
    expect(finished).toEqual(finished.map((_, k) => k + 1));
  });

  it('--train-size 1000 --validation 1000 --patience 2: stops early and keeps (and saves) the best epoch’s weights', () => {
    const modelPath = join(fixture, 'out', 'early.json');
    const r = run([
      ...['--data-dir', dataDir, '--train-size', '1000', '--validation', '1000', '--patience', '2'],
      ...['--epochs', '100', '--hidden', '128', '--schedule', 'constant', '--json', '--save', modelPath],
    ]);
    expect(r.status).toBe(0);
    const lines = jsonLines(r.stdout) as unknown as Record<string, number>[];
    const stopped = lines.at(-1)! as unknown as Record<string, unknown>;
    const epochLines = lines.slice(0, -1);
    expect(stopped.stopped).toBe('early-stopping');
    const epoch = stopped.epoch as number;
    const bestEpoch = stopped.bestEpoch as number;
    expect(bestEpoch).toBeLessThan(epoch);
    expect(epoch).toBe(bestEpoch + 2);
    expect(epochLines.map((l) => l.epoch)).toEqual(Array.from({ length: epoch }, (_, i) => i + 1));
    // Epoch lines carry the validation figures; the best epoch has the lowest validation loss.
    for (const l of epochLines)
      expect(Object.keys(l)).toEqual([...JSON_KEYS, 'validationLoss', 'validationAccuracy']);
    const best = epochLines[bestEpoch - 1]!;
    expect(Math.min(...epochLines.map((l) => l.validationLoss!))).toBe(best.validationLoss);
    // The test figures of the weights kept: the best epoch's, not the last one's.
    expect(stopped.testAccuracy).toBe(best.testAccuracy);

    // The saved weights are the restored best ones: their validation loss is the best epoch's, exactly.
    const parsed = parseModel(readFileSync(modelPath, 'utf8'));
    expect(parsed.training).toMatchObject({ epochs: bestEpoch, testAccuracy: best.testAccuracy });
    const data = loadDatasetFromDisk(dataDir, 'mnist');
    const session = new TrainingSession(parsed.config, data);
    session.network.setParams(parsed.params);
    expect(session.evaluate('validation').loss).toBe(best.validationLoss);
    expect(session.evaluate('test').accuracy).toBe(best.testAccuracy);
  });

  it('--help lists every option and exits 0', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    for (const flag of [
      '--dataset',
      '--hidden',
      '--activation',
      '--init',
      '--optimizer',
      '--lr',
      '--lr-decay',
      '--schedule',
      '--momentum',
      '--batch',
      '--epochs',
      '--l2',
      '--seed',
      '--limit',
      '--save',
      '--export-tfjs',
      '--json',
    ]) {
      expect(r.stdout).toContain(flag);
    }
  });
});
