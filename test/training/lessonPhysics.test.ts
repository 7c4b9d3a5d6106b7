/**
 * The inside views' lessons, as physics the engine must show on real MNIST (generous margins; a numpy
 * reference measured the gradient ratio at about 0.002–0.006 for deep sigmoid and 2–3 for ReLU + He).
 */
import { describe, expect, it } from 'vitest';
import { TrainingSession } from '../../src/training/session';
import { buildStatsProbe, probeHealth, statsLines } from '../../src/training/inspection';
import { loadMnist, smallConfig } from '../engine/helpers';

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median over the first `steps` steps of ‖∂L/∂W₁‖ / ‖∂L/∂W_last‖. */
function gradientRatio(overrides: Parameters<typeof smallConfig>[0], steps = 100): number {
  const config = smallConfig({
    inputSize: 784,
    outputSize: 10,
    hidden: [64, 64, 64, 64, 64],
    optimizer: 'sgd',
    learningRate: 0.1,
    batchSize: 64,
    seed: 1,
    ...overrides,
  });
  const session = new TrainingSession(config, loadMnist(), { trainLimit: 10_000 });
  const ratios: number[] = [];
  for (let i = 0; i < steps; i++) {
    session.trainBatch();
    const s = session.layerStats();
    ratios.push(s[0]!.gradNorm / s[s.length - 1]!.gradNorm);
  }
  return median(ratios);
}

describe('vanishing gradients (5 × 64, SGD 0.1, first 100 steps on MNIST)', () => {
  it('sigmoid + Xavier: the first layer’s gradient is ≤ 0.02 of the last layer’s', () => {
    const r = gradientRatio({ activation: 'sigmoid', init: 'xavier' });
    expect(r).toBeLessThanOrEqual(0.02);
  });

  it('ReLU + He: the first layer’s gradient is ≥ 0.3 of the last layer’s', () => {
    const r = gradientRatio({ activation: 'relu', init: 'he' });
    expect(r).toBeGreaterThanOrEqual(0.3);
  });
});

describe('the stats probe and the --stats-every figures', () => {
  it('is a fixed, seeded choice of distinct training images', () => {
    const { train } = loadMnist();
    const a = buildStatsProbe(train);
    const b = buildStatsProbe(train);
    expect(a.count).toBe(64);
    expect(a.indices).toEqual(b.indices);
    expect(new Set(a.indices).size).toBe(64);
    expect(a.x[5 * 784 + 300]).toBe(train.images[a.indices[5]! * 784 + 300]! / 255);
  });

  it('gives one line per weight layer, the output layer measured on the logits', () => {
    const { train } = loadMnist();
    const config = smallConfig({ inputSize: 784, outputSize: 10, hidden: [32, 16], batchSize: 32 });
    const session = new TrainingSession(config, loadMnist(), { trainLimit: 2000 });
    session.trainBatch();
    const health = probeHealth(session.network, buildStatsProbe(train));
    const lines = statsLines(session.layerStats(), health);
    expect(lines.map((l) => l.layer)).toEqual([1, 2, 3]);
    for (const l of lines) {
      expect(l.gradNorm).toBeGreaterThan(0);
      expect(l.updateRatio).toBeGreaterThan(0);
      expect(Number.isFinite(l.activationStd)).toBe(true);
    }
    // Logits can be negative; ReLU outputs cannot.
    expect(health[0]!.histogram.lo).toBeGreaterThanOrEqual(0);
    expect(health[2]!.histogram.lo).toBeLessThan(0);
  });
});
