import { describe, expect, it } from 'vitest';
import { activationStats, deadUnitFraction, l2Norm } from '../../src/engine/stats.ts';

describe('stats', () => {
  it('activationStats: mean, std, zeros, max', () => {
    const s = activationStats(Float32Array.from([0, 0, 1, 3]), 'relu');
    expect(s.mean).toBeCloseTo(1, 12);
    expect(s.std).toBeCloseTo(Math.sqrt((1 + 1 + 0 + 4) / 4), 6);
    expect(s.fractionZero).toBe(0.5);
    expect(s.fractionSaturated).toBe(0);
    expect(s.max).toBe(3);
  });
  it('saturation: sigmoid beyond 0.01/0.99, tanh beyond ±0.99', () => {
    const sig = activationStats(Float32Array.from([0.005, 0.5, 0.995, 0.98]), 'sigmoid');
    expect(sig.fractionSaturated).toBe(0.5);
    const tanh = activationStats(Float32Array.from([-0.999, 0, 0.995, 0.5, -0.2]), 'tanh');
    expect(tanh.fractionSaturated).toBeCloseTo(0.4, 12);
    expect(tanh.fractionZero).toBeCloseTo(0.6, 12);
  });
  it('empty input gives zeros, not NaN', () => {
    expect(activationStats(new Float32Array(0), 'relu')).toEqual({
      mean: 0,
      std: 0,
      fractionZero: 0,
      fractionSaturated: 0,
      max: 0,
    });
  });
  it('l2Norm', () => {
    expect(l2Norm(Float32Array.from([3, 4]))).toBe(5);
    expect(l2Norm(new Float32Array(3))).toBe(0);
  });
});

describe('deadUnitFraction', () => {
  it('counts units that are ≤ 0 in every row', () => {
    // 3 rows × 4 units: unit 0 fires once, unit 1 never, unit 2 always, unit 3 only negative values.
    const a = Float32Array.from([0, 0, 1, -1, 2, 0, 1, -2, 0, 0, 3, 0]);
    expect(deadUnitFraction(a, 3, 4)).toBe(0.5);
    expect(deadUnitFraction(a, 1, 4)).toBe(0.75);
    expect(deadUnitFraction(new Float32Array(0), 0, 4)).toBe(0);
  });
});
