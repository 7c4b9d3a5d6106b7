import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/engine/types.ts';
import { splitTrainingImages, TrainingSession } from '../../src/training/session.ts';
import { loadMnist, randomSplit, smallConfig } from './helpers.ts';

const data = { train: randomSplit(100, 4, 4, 1), test: randomSplit(30, 4, 4, 2) };

function run(s: TrainingSession, n: number): number[] {
  const losses: number[] = [];
  for (let i = 0; i < n; i++) losses.push(s.trainBatch().loss);
  return losses;
}

describe('TrainingSession', () => {
  it.each(['sgd', 'momentum', 'adam'] as const)(
    'determinism (%s): two sessions, one seed → identical weights bit for bit',
    (optimizer) => {
      const cfg = smallConfig({ optimizer, learningRate: optimizer === 'adam' ? 0.01 : 0.1, l2: 1e-3 });
      const a = new TrainingSession(cfg, data);
      const b = new TrainingSession(cfg, data);
      const la = run(a, 40);
      const lb = run(b, 40);
      expect(la).toEqual(lb);
      expect(a.network.getParams()).toEqual(b.network.getParams());
      expect(a.optimizer.getState()).toEqual(b.optimizer.getState());
      // And a different seed gives different weights.
      const c = new TrainingSession({ ...cfg, seed: cfg.seed + 1 }, data);
      run(c, 40);
      expect(c.network.layers[0]!.weights).not.toEqual(a.network.layers[0]!.weights);
    },
  );

  it('reset() ≡ a new session, bit for bit', () => {
    const cfg = smallConfig({ optimizer: 'adam', learningRate: 0.01 });
    const a = new TrainingSession(cfg, data);
    run(a, 23);
    a.reset();
    expect([a.epoch, a.step, a.batchInEpoch]).toEqual([0, 0, 0]);
    const b = new TrainingSession(cfg, data);
    expect(a.network.getParams()).toEqual(b.network.getParams());
    expect(run(a, 30)).toEqual(run(b, 30));
    expect(a.network.getParams()).toEqual(b.network.getParams());
    expect(a.optimizer.getState()).toEqual(b.optimizer.getState());
  });

  it('getState/setState: a resumed session continues bit for bit; bad states change nothing', () => {
    const cfg = smallConfig({ optimizer: 'adam', learningRate: 0.01, batchSize: 16 });
    const a = new TrainingSession(cfg, data);
    run(a, 9); // mid-epoch 1 (7 batches per epoch)
    const state = a.getState();
    const b = new TrainingSession(cfg, data);
    b.setState(state);
    expect([b.epoch, b.step, b.batchInEpoch]).toEqual([1, 9, 2]);
    expect(run(b, 12)).toEqual(run(a, 12));
    expect(b.network.getParams()).toEqual(a.network.getParams());

    const c = new TrainingSession(cfg, data);
    const before = c.getState();
    expect(() => c.setState({ ...state, batchInEpoch: 99 })).toThrow(/batch/);
    expect(() => c.setState({ ...state, optimizer: { ...state.optimizer, slots: [] } })).toThrow();
    expect(c.getState()).toEqual(before);
  });

  it('epochs: a seeded permutation of the samples that differs per epoch; partial last batch', () => {
    const cfg = smallConfig({ batchSize: 16 });
    const s = new TrainingSession(cfg, data, { trainLimit: 90 });
    expect(s.trainCount).toBe(90);
    expect(s.batchesPerEpoch).toBe(6);
    const o0 = s.epochOrder(0);
    const o1 = s.epochOrder(1);
    const sorted = (o: Uint32Array) => [...o].sort((x, y) => x - y);
    expect(sorted(o0)).toEqual(Array.from({ length: 90 }, (_, i) => i));
    expect(sorted(o1)).toEqual(sorted(o0));
    expect(o1).not.toEqual(o0);
    expect(new TrainingSession(cfg, data, { trainLimit: 90 }).epochOrder(1)).toEqual(o1);

    const results = Array.from({ length: 7 }, () => s.trainBatch());
    expect(results.map((r) => r.batchSize)).toEqual([16, 16, 16, 16, 16, 10, 16]);
    expect(results.map((r) => r.epoch)).toEqual([0, 0, 0, 0, 0, 0, 1]);
    expect(results.map((r) => r.epochEnded)).toEqual([false, false, false, false, false, true, false]);
    expect(results.map((r) => r.step)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect([s.epoch, s.batchInEpoch, s.step]).toEqual([1, 1, 7]);
    for (const r of results) expect(r.correct).toBeLessThanOrEqual(r.batchSize);
  });

  it('the batch is gathered in shuffle order (first batch = samples order[0..n))', () => {
    const cfg = smallConfig({ batchSize: 5, hidden: [] });
    const s = new TrainingSession(cfg, data);
    const order = s.epochOrder(0);
    s.trainBatch();
    const input = s.network.layerOutputs()[0]!;
    for (let i = 0; i < 5; i++) {
      const idx = order[i]!;
      for (let p = 0; p < 16; p++)
        expect(input[i * 16 + p]).toBe(Math.fround(data.train.images[idx * 16 + p]! / 255));
    }
  });

  it('learning rate follows the schedule per epoch', () => {
    const cfg = smallConfig({ batchSize: 50, schedule: 'exponential', lrDecay: 0.5, learningRate: 0.2 });
    const s = new TrainingSession(cfg, data);
    const rates = Array.from({ length: 6 }, () => s.trainBatch().learningRate);
    expect(rates).toEqual([0.2, 0.2, 0.1, 0.1, 0.05, 0.05]);
    expect(s.learningRate).toBeCloseTo(0.025, 12);
  });

  it('a non-finite loss leaves the weights untouched', () => {
    const s = new TrainingSession(smallConfig(), data);
    s.trainBatch();
    s.network.layers[1]!.weights[0] = Infinity;
    s.network.layers[1]!.weights[1] = -Infinity;
    const before = s.network.getParams();
    const r = s.trainBatch();
    expect(Number.isFinite(r.loss)).toBe(false);
    expect(s.network.getParams()).toEqual(before);
  });

  it('layerStats: gradient, weight and update norms per layer', () => {
    const s = new TrainingSession(smallConfig(), data);
    expect(s.layerStats().every((l) => l.gradNorm === 0 && l.weightNorm > 0)).toBe(true);
    s.trainBatch();
    const stats = s.layerStats();
    expect(stats.length).toBe(3);
    for (const [l, st] of stats.entries()) {
      const layer = s.network.layers[l]!;
      expect(st.gradNorm).toBeCloseTo(Math.hypot(...layer.gradWeights), 5);
      expect(st.gradBiasNorm).toBeCloseTo(Math.hypot(...layer.gradBiases), 5);
      expect(st.weightNorm).toBeCloseTo(Math.hypot(...layer.weights), 5);
      // Plain SGD: ‖Δw‖ = lr·‖g‖.
      expect(st.updateRatio).toBeCloseTo((0.1 * st.gradNorm) / st.weightNorm, 5);
    }
  });

  it('rejects unusable configs with a message', () => {
    expect(() => new TrainingSession(smallConfig({ batchSize: 0 }), data)).toThrow(/batchSize/);
    expect(() => new TrainingSession(smallConfig({ learningRate: -1 }), data)).toThrow(/learningRate/);
    expect(() => new TrainingSession(smallConfig({ inputSize: 15 }), data)).toThrow(/expects 15/);
    expect(() => new TrainingSession(smallConfig(), data, { trainLimit: 0 })).toThrow(/samples/);
  });

  it('learns real MNIST: loss falls and 2k-test accuracy > 85 % after a short run', () => {
    const mnist = loadMnist();
    const s = new TrainingSession({ ...DEFAULT_CONFIG }, mnist, { trainLimit: 8000 });
    const first = s.evaluate('test', 2000);
    const losses: number[] = [];
    while (s.epoch < 1) losses.push(s.trainBatch().loss);
    const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    expect(mean(losses.slice(-20))).toBeLessThan(mean(losses.slice(0, 20)) / 3);
    const after = s.evaluate('test', 2000);
    expect(after.count).toBe(2000);
    expect(first.accuracy).toBeLessThan(0.3);
    expect(after.accuracy).toBeGreaterThan(0.85);
    expect(after.loss).toBeLessThan(first.loss);
    expect(s.evaluate('train').count).toBe(8000);
  });

  it('the validation split: disjoint from the training subset, deterministic, seeded, never more than asked', () => {
    const cfg = { seed: 3, trainSize: 1000, validation: 1000 };
    const a = splitTrainingImages(60_000, cfg);
    expect(a.train.length).toBe(1000);
    expect(a.validation.length).toBe(1000);
    const held = new Set(a.validation);
    expect(held.size).toBe(1000);
    expect(a.train.some((i) => held.has(i))).toBe(false);
    // Deterministic: the same config gives the same split; another seed another validation set.
    expect(splitTrainingImages(60_000, cfg)).toEqual(a);
    const other = splitTrainingImages(60_000, { ...cfg, seed: 4 });
    expect(other.validation).not.toEqual(a.validation);
    // Spread over the whole split, not a block at one end.
    expect(Math.max(...a.validation)).toBeGreaterThan(50_000);
    expect(Math.min(...a.validation)).toBeLessThan(10_000);
    // The training subset: the first images not held out, in order; a larger subset only adds images.
    expect([...a.train]).toEqual([...Array(1100).keys()].filter((i) => !held.has(i)).slice(0, 1000));
    const bigger = splitTrainingImages(60_000, { ...cfg, trainSize: 5000 });
    expect(bigger.validation).toEqual(a.validation);
    expect([...bigger.train.subarray(0, 1000)]).toEqual([...a.train]);
    // With no validation the subset is the first N images (what --limit always took).
    expect([...splitTrainingImages(500, { seed: 1, trainSize: 100, validation: 0 }).train]).toEqual([
      ...Array(100).keys(),
    ]);
    // Everything else, when "all" and a validation split leave less than asked.
    expect(splitTrainingImages(100, { seed: 1, trainSize: 60_000, validation: 30 }).train.length).toBe(70);
    expect(() => splitTrainingImages(100, { seed: 1, trainSize: 100, validation: 100 })).toThrow(/none/);
  });

  it('a session trains only on its subset and evaluates the held-out images', () => {
    const cfg = smallConfig({ trainSize: 60, validation: 20, batchSize: 10 });
    const s = new TrainingSession(cfg, data);
    expect(s.trainCount).toBe(60);
    expect(s.batchesPerEpoch).toBe(6);
    expect(s.validationSplit?.count).toBe(20);
    const split = splitTrainingImages(100, cfg);
    // The held-out images are gathered in split order.
    const px = 16;
    const v = split.validation[3]!;
    expect(s.validationSplit!.images.subarray(3 * px, 4 * px)).toEqual(
      data.train.images.subarray(v * px, (v + 1) * px),
    );
    expect(s.validationSplit!.labels[3]).toBe(data.train.labels[v]);
    expect(s.evaluate('validation').count).toBe(20);
    expect(s.evaluate('train').count).toBe(60);
    expect(() => new TrainingSession(smallConfig(), data).evaluate('validation')).toThrow(/no validation/);
  });
});
