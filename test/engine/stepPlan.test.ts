/** The step's plan: a pure function of the batch and the network, rows and parameters covered once. */
import { describe, expect, it } from 'vitest';
import {
  chunkBounds,
  MAX_CHUNKS,
  MICRO_BATCH_WORK,
  microBounds,
  microsOf,
  MIN_CHUNK_ROWS,
  sliceBounds,
  stepPlan,
} from '../../src/engine/stepPlan';

describe('stepPlan', () => {
  it('cuts batches into chunks of at least MIN_CHUNK_ROWS rows, at most MAX_CHUNKS', () => {
    const chunks = (b: number) => stepPlan(b, 235_146).chunks;
    expect(chunks(1)).toBe(1);
    expect(chunks(MIN_CHUNK_ROWS - 1)).toBe(1);
    expect(chunks(32)).toBe(1);
    expect(chunks(64)).toBe(2);
    expect(chunks(128)).toBe(4);
    expect(chunks(4096)).toBe(MAX_CHUNKS);
    expect(stepPlan(128, 235_146).chunkCapacity).toBe(32);
    expect(stepPlan(100, 235_146)).toEqual({
      micros: 1,
      microCapacity: 100,
      chunks: 3,
      slices: 16,
      chunkCapacity: 34,
    });
  });

  it('trains the default batch whole, and larger batches as micro-batches of bounded work', () => {
    const params = 235_146; // 784-256-128-10
    const whole = Math.floor(MICRO_BATCH_WORK / params);
    expect(whole).toBe(142);
    expect(stepPlan(128, params).micros).toBe(1);
    expect(stepPlan(whole, params).micros).toBe(1);
    expect(stepPlan(whole + 1, params)).toMatchObject({ micros: 2, microCapacity: 72 });
    expect(stepPlan(256, params)).toMatchObject({ micros: 2, microCapacity: 128, chunks: 4 });
    // Full batch: 60,000 rows in 423 micro-batches of ≤ 142, never more work than the bound.
    const all = stepPlan(60_000, params);
    expect(all.micros).toBe(423);
    expect(all.microCapacity * params).toBeLessThanOrEqual(MICRO_BATCH_WORK);
    // A network too large for even one row of the bound still trains, a row at a time, in one chunk.
    expect(stepPlan(64, 2 * MICRO_BATCH_WORK)).toMatchObject({ micros: 64, microCapacity: 1, chunks: 1 });
  });

  it('micro-batch bounds cover every row once, each ≤ microCapacity, for full and short batches', () => {
    const plan = stepPlan(60_000, 235_146);
    for (const n of [60_000, 55_000, 143, 142, 1]) {
      const m = microsOf(n, plan);
      let next = 0;
      for (let k = 0; k < m; k++) {
        const [lo, hi] = microBounds(k, n, m);
        expect(lo).toBe(next);
        expect(hi - lo).toBeGreaterThan(0);
        expect(hi - lo).toBeLessThanOrEqual(plan.microCapacity);
        next = hi;
      }
      expect(next).toBe(n);
    }
  });

  it('refuses a batch that is not a positive integer', () => {
    expect(() => stepPlan(0, 10)).toThrow(/batchSize/);
    expect(() => stepPlan(1.5, 10)).toThrow(/batchSize/);
  });

  it('chunk bounds cover every row once, in order, for full and short batches', () => {
    for (const [n, c] of [
      [128, 4],
      [96, 4],
      [3, 4],
      [1, 1],
      [100, 3],
    ] as const) {
      let next = 0;
      for (let k = 0; k < c; k++) {
        const [lo, hi] = chunkBounds(k, n, c);
        expect(lo).toBe(next);
        expect(hi).toBeGreaterThanOrEqual(lo);
        next = hi;
      }
      expect(next).toBe(n);
    }
  });

  it('slice bounds cover every parameter once, cut at 16-float lines', () => {
    for (const count of [5, 300, 235_146]) {
      let next = 0;
      for (let s = 0; s < 16; s++) {
        const [lo, hi] = sliceBounds(s, count, 16);
        expect(lo).toBe(next);
        if (hi < count) expect(hi % 16).toBe(0);
        next = hi;
      }
      expect(next).toBe(count);
    }
  });
});
