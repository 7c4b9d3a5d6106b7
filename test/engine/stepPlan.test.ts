/** The step's plan: a pure function of the batch and the network, rows and parameters covered once. */
import { describe, expect, it } from 'vitest';
import {
  chunkBounds,
  CHUNK_GRADIENT_BYTES,
  MAX_CHUNKS,
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
    expect(stepPlan(100, 235_146)).toEqual({ chunks: 3, slices: 16, chunkCapacity: 34 });
  });

  it('gives a very large network fewer gradient buffers', () => {
    const params = Math.floor(CHUNK_GRADIENT_BYTES / 4 / 2); // room for two
    expect(stepPlan(1024, params).chunks).toBe(2);
    expect(stepPlan(1024, 4 * params).chunks).toBe(1);
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
