import { describe, expect, it } from 'vitest';
import { learningRateAt } from '../../src/engine/schedule.ts';
import { DEFAULT_CONFIG, type OptimConfig } from '../../src/engine/types.ts';

const base: OptimConfig = { ...DEFAULT_CONFIG, learningRate: 0.1, lrDecay: 0.5, stepEvery: 3 };

describe('learningRateAt', () => {
  it('constant', () => {
    for (const e of [0, 1, 7]) expect(learningRateAt({ ...base, schedule: 'constant' }, e, 10)).toBe(0.1);
  });
  it('exponential: lr · decay^epoch', () => {
    const c = { ...base, schedule: 'exponential' as const };
    expect(learningRateAt(c, 0, 10)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(c, 1, 10)).toBeCloseTo(0.05, 12);
    expect(learningRateAt(c, 4, 10)).toBeCloseTo(0.00625, 12);
  });
  it('step: lr · decay^floor(epoch / stepEvery)', () => {
    const c = { ...base, schedule: 'step' as const };
    expect([0, 1, 2, 3, 5, 6].map((e) => learningRateAt(c, e, 10))).toEqual([
      0.1, 0.1, 0.1, 0.05, 0.05, 0.025,
    ]);
  });
  it('cosine: lr at 0, the midpoint at half-way, lr/100 at the end and after', () => {
    const c = { ...base, schedule: 'cosine' as const };
    expect(learningRateAt(c, 0, 10)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(c, 5, 10)).toBeCloseTo((0.1 + 0.001) / 2, 12);
    expect(learningRateAt(c, 10, 10)).toBeCloseTo(0.001, 12);
    expect(learningRateAt(c, 20, 10)).toBeCloseTo(0.001, 12);
    // Strictly decreasing in between.
    for (let e = 0; e < 10; e++) expect(learningRateAt(c, e + 1, 10)).toBeLessThan(learningRateAt(c, e, 10));
    // Without a planned end (epochs 0 = until stopped) it stays at lr.
    expect(learningRateAt(c, 3, 0)).toBe(0.1);
  });
});
