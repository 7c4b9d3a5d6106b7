/**
 * Data-parallel training with real worker threads (src/cli/computeThreads.ts): N threads give the curve of
 * one within float tolerance, the same N gives the same bits twice, odd batches (fewer rows than threads)
 * and every optimizer work, a checkpoint moves between parallel and single sessions, and a thread that
 * fails is reported by name instead of hanging the run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeComputePool } from '../../../src/cli/computeThreads';
import type { TrainConfig } from '../../../src/engine/types';
import { ComputePool } from '../../../src/training/parallel/computePool';
import { TrainingSession } from '../../../src/training/session';
import { mnistSlice, smallConfig } from '../harness';

const data = mnistSlice(1000, 100);
const pools = new Map<number, ComputePool>();

beforeAll(async () => {
  for (const w of [2, 3]) {
    const pool = nodeComputePool();
    await pool.resize(w);
    pools.set(w, pool);
  }
}, 60_000);

afterAll(() => {
  for (const pool of pools.values()) pool.dispose();
});

/** Losses of `steps` batches and the final weights, trained alone or across `workers` threads. */
function train(config: TrainConfig, steps: number, workers: number, d = data) {
  const session = new TrainingSession(config, d, { pool: workers > 1 ? pools.get(workers) : undefined });
  expect(session.workers).toBe(workers);
  const losses: number[] = [];
  const correct: number[] = [];
  for (let i = 0; i < steps; i++) {
    const r = session.trainBatch();
    losses.push(r.loss);
    correct.push(r.correct);
  }
  return { session, losses, correct, params: session.network.getParams() };
}

function maxDiff(a: Float32Array[], b: Float32Array[]): number {
  let m = 0;
  a.forEach((x, l) => x.forEach((v, i) => (m = Math.max(m, Math.abs(v - b[l]![i]!)))));
  return m;
}

const bits = (p: { weights: Float32Array[]; biases: Float32Array[] }) =>
  [...p.weights, ...p.biases].map((a) =>
    Array.from(new Uint32Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength))),
  );

describe('data-parallel TrainingSession', () => {
  const base: TrainConfig = smallConfig({ l2: 1e-4 });

  it.each(['adam', 'sgd', 'momentum'] as const)(
    '%s: 2 and 3 threads follow one thread within float tolerance',
    (optimizer) => {
      const config = { ...base, optimizer, learningRate: optimizer === 'adam' ? 1e-3 : 0.05 };
      const one = train(config, 40, 1);
      for (const w of [2, 3]) {
        const many = train(config, 40, w);
        many.losses.forEach((l, i) => expect(l).toBeCloseTo(one.losses[i]!, 4));
        expect(many.correct).toEqual(one.correct);
        expect(maxDiff(many.params.weights, one.params.weights)).toBeLessThan(1e-4);
        expect(maxDiff(many.params.biases, one.params.biases)).toBeLessThan(1e-4);
        // The optimizer's statistics are the whole network's, not one thread's slice.
        const a = many.session.layerStats();
        const b = one.session.layerStats();
        a.forEach((s, l) => {
          expect(s.updateRatio).toBeCloseTo(b[l]!.updateRatio, 5);
          expect(s.gradNorm).toBeCloseTo(b[l]!.gradNorm, 4);
        });
        expect(many.session.optimizer.steps).toBe(40);
      }
    },
  );

  it('the same seed and thread count give the same bits twice', () => {
    const a = train(base, 30, 3);
    const b = train(base, 30, 3);
    expect(a.losses).toEqual(b.losses);
    expect(bits(a.params)).toEqual(bits(b.params));
  });

  it('a last batch with fewer rows than threads (an epoch of 65 images in batches of 64)', () => {
    const config = { ...base, batchSize: 64, trainSize: 65 };
    const one = train(config, 4, 1);
    const many = train(config, 4, 3);
    expect(many.session.batchesPerEpoch).toBe(2);
    many.losses.forEach((l, i) => expect(l).toBeCloseTo(one.losses[i]!, 4));
    expect(maxDiff(many.params.weights, one.params.weights)).toBeLessThan(1e-4);
  });

  it('a checkpoint of a parallel run continues alone, and back', () => {
    const parallel = train(base, 10, 2);
    const alone = new TrainingSession(base, data);
    alone.setState(parallel.session.getState());
    const next = alone.trainBatch();
    const again = new TrainingSession(base, data, { pool: pools.get(2) });
    again.setState(parallel.session.getState());
    expect(again.trainBatch().loss).toBeCloseTo(next.loss, 5);
    expect(maxDiff(again.network.getParams().weights, alone.network.getParams().weights)).toBeLessThan(1e-5);
  });

  it('a failing thread stops the step with the reason, and the pool serves the next session', () => {
    const bad = mnistSlice(1000, 100);
    const config = { ...base, batchSize: 64 };
    const session = new TrainingSession(config, bad, { pool: pools.get(2) });
    // Rows 32…63 of the first batch (a chunk of two): give them a label no class has. Whichever thread
    // claimed that chunk, the step fails with the reason (a helper's failure is named as such).
    const order = session.epochOrder(0);
    for (let row = 32; row < 64; row++) bad.train.labels[order[row]!] = 99;
    expect(() => session.trainBatch()).toThrow(/^(compute worker 1 failed: )?label 99 out of range/);
    const good = train(base, 3, 2);
    expect(good.losses.every(Number.isFinite)).toBe(true);
  });
});
