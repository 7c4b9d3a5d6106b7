import { describe, expect, it } from 'vitest';
import {
  AUGMENT_FLOPS_PER_SAMPLE,
  browserBudget,
  browserMemoryBudget,
  costReport,
  flopsPerBatch,
  flopsPerSample,
  judgeCost,
  layerParameters,
  memoryEstimate,
  parameterCount,
  suggestWithinBudget,
  runSize,
  timeEstimate,
} from '../../src/engine/cost.ts';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/engine/types.ts';
import { TrainingSession } from '../../src/training/session.ts';
import { randomSplit } from './helpers.ts';

const cfg = (patch: Partial<TrainConfig>): TrainConfig => ({ ...DEFAULT_CONFIG, ...patch });
const GiB = 1024 ** 3;

/** Sum of byteLength over the distinct ArrayBuffers reachable from `root` (typed arrays, plain objects, arrays). */
function reachableBytes(root: unknown, skip: ReadonlySet<ArrayBufferLike> = new Set()): number {
  const buffers = new Set<ArrayBufferLike>();
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    if (ArrayBuffer.isView(v)) {
      if (!skip.has(v.buffer)) buffers.add(v.buffer);
      continue;
    }
    if (v instanceof ArrayBuffer) {
      buffers.add(v);
      continue;
    }
    for (const key of Reflect.ownKeys(v)) stack.push((v as Record<string | symbol, unknown>)[key]);
  }
  let total = 0;
  for (const b of buffers) total += b.byteLength;
  return total;
}

describe('parameters and FLOPs', () => {
  it('784-800-10: 636,010 parameters (628,000 + 8,010)', () => {
    const c = cfg({ hidden: [800] });
    expect(layerParameters(c)).toEqual([784 * 800 + 800, 800 * 10 + 10]);
    expect(parameterCount(c)).toBe(636_010);
  });

  it('784-256-128-10 and no hidden layer', () => {
    expect(parameterCount(cfg({ hidden: [256, 128] }))).toBe(200_960 + 32_896 + 1_290);
    expect(layerParameters(cfg({ hidden: [] }))).toEqual([7_850]);
  });

  it('FLOPs per sample: forward 2·MACs, backward 2× forward except the first layer (no input gradient)', () => {
    const f = flopsPerSample(cfg({ hidden: [800] }));
    expect(f.forward).toBe(2 * (784 * 800 + 800 * 10));
    expect(f.backward).toBe(2 * 784 * 800 + 4 * 800 * 10);
    expect(f.total).toBe(f.forward + f.backward);
  });
});

describe('memory', () => {
  it('hand-computed for 784-800-10, batch 64, Adam', () => {
    const m = memoryEstimate(cfg({ hidden: [800], batchSize: 64, optimizer: 'adam' }));
    expect(m.breakdown.weights).toBe(636_010 * 4);
    // The step's plan (2²⁵ rows × parameters a micro-batch: 52 rows here) cuts a batch of 64 into 2
    // micro-batches of 32 rows, one chunk each: a gradient buffer, and the batch's sum between them.
    expect(m.breakdown.gradients).toBe(2 * 636_010 * 4);
    expect(m.breakdown.optimizer).toBe(2 * 636_010 * 4);
    // Outs + deltas (810 units), logits, lse, sparse indices, the non-zero values, packed input — for maxBatch = max(32, 256) =
    // 256 rows in the network (a micro-batch of one chunk needs no replica).
    const act = (rows: number) =>
      2 * rows * (800 + 10) * 4 +
      rows * 10 * 4 +
      rows * 8 +
      rows * 784 * 2 +
      rows * 4 +
      196 * rows * 2 +
      196 * 4 +
      rows * 800 * 2 +
      rows * 4 +
      rows * 784 * 4 +
      rows * 784 * 4;
    expect(m.breakdown.activations).toBe(act(256));
    // The batch buffers hold one micro-batch.
    expect(m.breakdown.batch).toBe(32 * 784 * 4 + 32 + 60_000 * 4);
    expect(m.breakdown.dataset).toBe(70_000 * 785);
  });

  it.each([
    [[800], 64, 'adam'],
    [[256, 128], 1024, 'momentum'],
    [[1024, 512, 64], 300, 'sgd'],
  ] as const)(
    'matches a built TrainingSession (%j, batch %i, %s) within 1 %',
    (hidden, batchSize, optimizer) => {
      const data = { train: randomSplit(500, 28, 10, 1), test: randomSplit(50, 28, 10, 2) };
      const c = cfg({ hidden: [...hidden], batchSize, optimizer });
      const session = new TrainingSession(c, data);
      // The dataset is not the session's: count it apart.
      const skip = new Set<ArrayBufferLike>([
        data.train.images.buffer,
        data.train.labels.buffer,
        data.test.images.buffer,
        data.test.labels.buffer,
      ]);
      const actual = reachableBytes(session, skip);
      const est = memoryEstimate(c, { trainCount: 500, testCount: 50 }).sessionBytes;
      expect(Math.abs(est - actual) / actual).toBeLessThan(0.01);
    },
  );

  it('the shared link of the issue (8 × 4096, batch 4096) needs about 2.8 GB: parameters, gradient, sum and moments', () => {
    const c = cfg({ hidden: Array(8).fill(4096), batchSize: 4096 });
    const m = memoryEstimate(c);
    const p = m.breakdown.weights + m.breakdown.gradients + m.breakdown.optimizer;
    // 120.7 M parameters × 4 B × (weights + a chunk's gradient + the batch's sum + Adam's two moments).
    expect(p).toBe(5 * m.breakdown.weights);
    expect(p / GiB).toBeGreaterThan(2.2);
    expect(p / GiB).toBeLessThan(2.3);
    // Micro-batches of one row: the activations are those of the evaluation's 256 rows.
    expect(m.breakdown.activations / GiB).toBeLessThan(0.1);
    expect(m.totalBytes / GiB).toBeGreaterThan(2.7);
  });

  it('a batch of the whole training set costs little more than one of 1,024 (micro-batches)', () => {
    const at = (batchSize: number) => memoryEstimate(cfg({ batchSize })).totalBytes;
    expect(at(60_000)).toBeGreaterThan(at(1024));
    expect(at(60_000) / at(1024)).toBeLessThan(1.01);
    // The default batch is one micro-batch of 4 chunks: their 4 gradient buffers, no sum buffer.
    const b = memoryEstimate(cfg({ batchSize: 128 })).breakdown;
    expect(b.gradients).toBe(4 * b.weights);
  });
});

describe('time and budgets', () => {
  it('time scales with the batch and the speed', () => {
    const c = cfg({ hidden: [800], batchSize: 100 });
    const a = timeEstimate(c, 1e9);
    const b = timeEstimate(c, 2e9);
    expect(a.batchesPerEpoch).toBe(600);
    expect(b.secondsPerBatch).toBeCloseTo(a.secondsPerBatch / 2, 12);
    expect(a.secondsPerEpoch).toBeCloseTo(600 * a.secondsPerBatch, 9);
  });

  it('memory budget: a quarter of the device, 0.5–2 GiB, 1 GiB when unknown', () => {
    expect(browserMemoryBudget(undefined)).toBe(GiB);
    expect(browserMemoryBudget(8)).toBe(2 * GiB);
    expect(browserMemoryBudget(4)).toBe(GiB);
    expect(browserMemoryBudget(1)).toBe(0.5 * GiB);
  });

  it('judges the default ok, the issue’s link over, and suggests a smaller one that is ok', () => {
    const budget = browserBudget(8);
    const speed = 3e9;
    expect(judgeCost(costReport(DEFAULT_CONFIG, speed), budget).kind).toBe('ok');
    const huge = cfg({ hidden: Array(8).fill(4096), batchSize: 4096 });
    const v = judgeCost(costReport(huge, speed), budget);
    expect(v).toMatchObject({ kind: 'over', memory: true });
    expect(v.kind === 'over' && v.reason).toMatch(/needs 2\.8 GB of memory \(the limit here is 2\.0 GB\)\.$/);
    const s = suggestWithinBudget(huge, speed, budget)!;
    expect(s.hidden).toHaveLength(8);
    expect(judgeCost(costReport(s, speed), budget).kind).toBe('ok');
    // Memory alone (speed unknown) still refuses.
    expect(judgeCost(costReport(huge, null), budget)).toMatchObject({ kind: 'over', memory: true });
    // Time alone never refuses: full-batch gradient descent on the default network, at a slow speed.
    const all = cfg({ batchSize: 60_000 });
    expect(judgeCost(costReport(all, 1e8), budget).kind).not.toBe('over');
  });

  it('a merely slow configuration asks; no suggestion for one that is already ok', () => {
    const budget = browserBudget(8);
    const slow = cfg({ hidden: [512, 512, 512, 512, 512, 512, 512, 512], batchSize: 16 });
    expect(judgeCost(costReport(slow, 3e9), budget).kind).toBe('slow');
    expect(suggestWithinBudget(DEFAULT_CONFIG, 3e9, budget)).toBeNull();
  });
});

describe('the cost of augmentation', () => {
  it('adds its per-image work to every batch, elastic the most, none nothing', () => {
    const c = { ...DEFAULT_CONFIG };
    const plain = flopsPerBatch(c);
    expect(flopsPerBatch({ ...c, augment: 'none' })).toBe(plain);
    const shift = flopsPerBatch({ ...c, augment: 'shift' }) - plain;
    const affine = flopsPerBatch({ ...c, augment: 'affine' }) - plain;
    const elastic = flopsPerBatch({ ...c, augment: 'elastic' }) - plain;
    expect(shift).toBe(c.batchSize * AUGMENT_FLOPS_PER_SAMPLE.shift);
    expect(0 < shift && shift < affine && affine < elastic).toBe(true);
    // Elastic on the default network: a noticeable share of a step, not most of it.
    expect(elastic / plain).toBeGreaterThan(0.05);
    expect(elastic / plain).toBeLessThan(0.5);
  });
});

describe('runSize', () => {
  it('the images a run trains on: validation held out, then at most trainSize', () => {
    expect(runSize({})).toEqual({ trainCount: 60_000, testCount: 10_000 });
    expect(runSize({ trainSize: 10_000 }).trainCount).toBe(10_000);
    expect(runSize({ trainSize: 60_000, validation: 5000 }).trainCount).toBe(55_000);
    expect(runSize({ trainSize: 1000, validation: 1000 }).trainCount).toBe(1000);
    // Batch all over 10,000 images: one step of 10,000 rows an epoch.
    const t = timeEstimate(cfg({ batchSize: 60_000 }), 3e9, runSize({ trainSize: 10_000 }).trainCount);
    expect(t.batchesPerEpoch).toBe(1);
    expect(t.secondsPerEpoch).toBeCloseTo(t.secondsPerBatch, 12);
  });
});
