import { describe, expect, it } from 'vitest';
import { columnSums, gemmAB, gemmABt, gemmAtB } from '../../src/engine/kernels.ts';
import { Rng } from '../../src/engine/rng.ts';
import { refAB, refABt, refAtB, worstError } from './reference.ts';

function randomArray(n: number, rng: Rng): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.normal();
  return a;
}

// Shapes that exercise the 4×4 tiles and every leftover path (rows, columns, both, tiny).
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 7],
  [4, 4, 4],
  [5, 4, 9],
  [8, 12, 16],
  [9, 10, 13],
  [64, 10, 64],
  [7, 128, 33],
];

describe('kernels vs naive float64 references', () => {
  const rng = new Rng(42);
  it.each(SHAPES)('gemmABt m=%i n=%i k=%i, with and without bias', (m, n, k) => {
    const a = randomArray(m * k, rng);
    const b = randomArray(n * k, rng);
    const bias = randomArray(n, rng);
    const c = new Float32Array(m * n).fill(NaN);
    gemmABt(a, b, c, m, n, k, bias);
    expect(worstError(c, refABt(a, b, m, n, k, bias), 1e-6, 1e-6)).toBeLessThanOrEqual(1);
    gemmABt(a, b, c, m, n, k, null);
    expect(worstError(c, refABt(a, b, m, n, k), 1e-6, 1e-6)).toBeLessThanOrEqual(1);
  });

  it.each(SHAPES)('gemmAtB r=%i m=%i n=%i', (r, m, n) => {
    const a = randomArray(r * m, rng);
    const b = randomArray(r * n, rng);
    const c = new Float32Array(m * n).fill(NaN);
    gemmAtB(a, b, c, r, m, n);
    expect(worstError(c, refAtB(a, b, r, m, n), 1e-6, 1e-6)).toBeLessThanOrEqual(1);
  });

  it.each(SHAPES)('gemmAB m=%i k=%i n=%i', (m, k, n) => {
    const a = randomArray(m * k, rng);
    const b = randomArray(k * n, rng);
    const c = new Float32Array(m * n).fill(NaN);
    gemmAB(a, b, c, m, k, n);
    expect(worstError(c, refAB(a, b, m, k, n), 1e-6, 1e-6)).toBeLessThanOrEqual(1);
  });

  it('gemmABt only writes its m×n outputs (buffers may be larger than the batch)', () => {
    const a = randomArray(6 * 5, rng);
    const b = randomArray(3 * 5, rng);
    const c = new Float32Array(6 * 3 + 4).fill(-7);
    gemmABt(a, b, c, 6, 3, 5, null);
    expect([...c.subarray(18)]).toEqual([-7, -7, -7, -7]);
  });

  it('columnSums', () => {
    const a = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const out = new Float32Array(3);
    columnSums(a, out, 2, 3);
    expect([...out]).toEqual([5, 7, 9]);
  });
});
