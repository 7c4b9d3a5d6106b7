/**
 * Data-parallel training with real worker threads (src/cli/computeThreads.ts): N threads give the bits of
 * one (the step's plan does not depend on N), twice alike, odd batches (fewer rows than chunks) and every
 * optimizer work, a checkpoint moves between parallel and single sessions to the bit, and a thread that
 * fails is reported by name instead of hanging the run.
 */
import { describe, expect, it } from 'vitest';
import type { TrainConfig } from '../../../src/engine/types';
import { TrainingSession } from '../../../src/training/session';
import { mnistSlice, smallConfig } from '../harness';
import { threadPoolsForFile } from './threadPools';

const data = mnistSlice(1000, 100);
const pools = threadPoolsForFile([2, 3]);

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

const bits = (p: { weights: Float32Array[]; biases: Float32Array[] }) =>
  [...p.weights, ...p.biases].map((a) =>
    Array.from(new Uint32Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength))),
  );

describe('data-parallel TrainingSession', () => {
  // Batches of 128: the step's plan cuts them into 4 chunks (engine/stepPlan.ts).
  const base: TrainConfig = smallConfig({ l2: 1e-4, batchSize: 128 });

  it.each(['adam', 'sgd', 'momentum'] as const)(
    '%s: 2 and 3 threads give the bits of one thread',
    (optimizer) => {
      const config = { ...base, optimizer, learningRate: optimizer === 'adam' ? 1e-3 : 0.05 };
      const one = train(config, 40, 1);
      for (const w of [2, 3]) {
        const many = train(config, 40, w);
        expect(many.losses).toEqual(one.losses);
        expect(many.correct).toEqual(one.correct);
        expect(bits(many.params)).toEqual(bits(one.params));
        // The optimizer's statistics too: the whole network's, summed in the plan's slice order.
        expect(many.session.layerStats()).toEqual(one.session.layerStats());
        expect(many.session.optimizer.steps).toBe(40);
      }
    },
  );

  it('dropout, max-norm and augmentation: 2 and 3 threads give the bits of one (masks keyed by position)', () => {
    const config: TrainConfig = {
      ...base,
      inputDropout: 0.2,
      dropout: 0.5,
      maxNorm: 1.5,
      augment: 'affine+elastic',
    };
    const one = train(config, 12, 1);
    const plain = train(base, 12, 1);
    // They did something: another run than without them.
    expect(one.losses).not.toEqual(plain.losses);
    for (const w of [2, 3]) {
      const many = train(config, 12, w);
      expect(many.losses).toEqual(one.losses);
      expect(bits(many.params)).toEqual(bits(one.params));
    }
    // Max-norm held: every hidden unit's incoming weights within the bound (float32 rounding aside).
    for (const layer of one.session.network.layers.slice(0, -1)) {
      for (let r = 0; r < layer.outSize; r++) {
        const row = layer.weights.subarray(r * layer.inSize, (r + 1) * layer.inSize);
        expect(Math.hypot(...row)).toBeLessThanOrEqual(1.5 * (1 + 1e-6));
      }
    }
  });

  it('the same seed and thread count give the same bits twice', () => {
    const a = train(base, 30, 3);
    const b = train(base, 30, 3);
    expect(a.losses).toEqual(b.losses);
    expect(bits(a.params)).toEqual(bits(b.params));
  });

  it('a last batch with fewer rows than chunks (an epoch of 130 images in batches of 128)', () => {
    const config = { ...base, trainSize: 130 };
    const one = train(config, 4, 1);
    const many = train(config, 4, 3);
    expect(many.session.batchesPerEpoch).toBe(2);
    expect(many.losses).toEqual(one.losses);
    expect(bits(many.params)).toEqual(bits(one.params));
  });

  it('a checkpoint of a parallel run continues alone, and back', () => {
    const parallel = train(base, 10, 2);
    const alone = new TrainingSession(base, data);
    alone.setState(parallel.session.getState());
    const next = alone.trainBatch();
    const again = new TrainingSession(base, data, { pool: pools.get(2) });
    again.setState(parallel.session.getState());
    expect(again.trainBatch().loss).toBe(next.loss);
    expect(bits(again.network.getParams())).toEqual(bits(alone.network.getParams()));
  });

  it('a failing thread stops the step with the reason, and the pool serves the next session', () => {
    const bad = mnistSlice(1000, 100);
    const config = { ...base, batchSize: 64 };
    const session = new TrainingSession(config, bad, { pool: pools.get(2) });
    // Rows 32…63 of the first batch (the second of its two chunks): give them a label no class has. Whichever thread
    // claimed that chunk, the step fails with the reason (a helper's failure is named as such).
    const order = session.epochOrder(0);
    for (let row = 32; row < 64; row++) bad.train.labels[order[row]!] = 99;
    expect(() => session.trainBatch()).toThrow(/^(compute worker 1 failed: )?label 99 out of range/);
    const good = train(base, 3, 2);
    expect(good.losses.every(Number.isFinite)).toBe(true);
  });
});
