import { describe, expect, it } from 'vitest';
import { columnSums, gemmAB, gemmABt, gemmAtB } from '../../src/engine/kernels/dense.ts';
import {
  buildColumnBlockRows,
  buildRowNonzeros,
  sparseBlocksAtB,
  sparseOuterAtB,
  sparseRowsABt,
} from '../../src/engine/kernels/sparse.ts';
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

  it.each(SHAPES)('gemmAtB m=%i n=%i k=%i', (m, n, k) => {
    const a = randomArray(k * m, rng);
    const b = randomArray(k * n, rng);
    const c = new Float32Array(m * n).fill(NaN);
    gemmAtB(a, b, c, m, n, k);
    expect(worstError(c, refAtB(a, b, m, n, k), 1e-6, 1e-6)).toBeLessThanOrEqual(1);
  });

  it.each(SHAPES)('gemmAB m=%i n=%i k=%i', (m, n, k) => {
    const a = randomArray(m * k, rng);
    const b = randomArray(k * n, rng);
    const c = new Float32Array(m * n).fill(NaN);
    gemmAB(a, b, c, m, n, k);
    expect(worstError(c, refAB(a, b, m, n, k), 1e-6, 1e-6)).toBeLessThanOrEqual(1);
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
    columnSums(a, out, 3, 2); // out [3] = Σ over 2 rows
    expect([...out]).toEqual([5, 7, 9]);
  });
});

/** Values with a given fraction of exact zeros, some whole rows zero, like MNIST's background. */
function sparseArray(rows: number, cols: number, density: number, rng: Rng): Float32Array {
  const a = new Float32Array(rows * cols);
  for (let i = 0; i < a.length; i++) if (rng.next() < density) a[i] = rng.next();
  if (rows > 2) a.fill(0, cols, 2 * cols); // row 1 all zero
  return a;
}

/** [batch, outSize, inSize] of a first layer: forward is (m, n, k) = (batch, out, in), dW is (out, in, batch). */
const SPARSE_SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 7],
  [4, 8, 16],
  [6, 9, 13],
  [64, 128, 784],
  [5, 17, 30],
];

describe('sparse first-layer kernels vs naive references and vs the dense kernels', () => {
  const rng = new Rng(8);
  it.each(SPARSE_SHAPES)('sparseRowsABt batch=%i out=%i in=%i at densities 0, 0.2, 1', (m, n, k) => {
    for (const density of [0, 0.2, 1]) {
      const a = sparseArray(m, k, density, rng);
      const b = randomArray(n * k, rng);
      const bias = randomArray(n, rng);
      const idx = new Uint16Array(m * k);
      const count = new Int32Array(m);
      const values = new Float32Array(m * k).fill(NaN);
      const nz = buildRowNonzeros(a, m, k, idx, count, values);
      expect(nz).toBe(a.filter((v) => v !== 0).length);
      for (let r = 0; r < m; r++) {
        const cols = [...idx.subarray(r * k, r * k + count[r]!)];
        const row = [...a.subarray(r * k, (r + 1) * k)];
        expect(cols).toEqual(row.flatMap((v, p) => (v !== 0 ? [p] : [])));
        // The values packed at the same places as their columns.
        expect([...values.subarray(r * k, r * k + count[r]!)]).toEqual(row.filter((v) => v !== 0));
      }
      // Without a values buffer the same columns.
      const idxOnly = new Uint16Array(m * k);
      const countOnly = new Int32Array(m);
      expect(buildRowNonzeros(a, m, k, idxOnly, countOnly)).toBe(nz);
      expect(countOnly).toEqual(count);
      expect(idxOnly).toEqual(idx);
      const c = new Float32Array(m * n).fill(NaN);
      sparseRowsABt(values, idx, count, b, c, m, n, k, bias);
      expect(worstError(c, refABt(a, b, m, n, k, bias), 1e-6, 1e-6)).toBeLessThanOrEqual(1);
      // Skipped terms are exact zeros: bit-identical to the dense kernel.
      const dense = new Float32Array(m * n);
      gemmABt(a, b, dense, m, n, k, bias);
      expect(c).toEqual(dense);
      sparseRowsABt(values, idx, count, b, c, m, n, k, null);
      expect(worstError(c, refABt(a, b, m, n, k), 1e-6, 1e-6)).toBeLessThanOrEqual(1);
    }
  });

  it.each(SPARSE_SHAPES)('sparseBlocksAtB batch=%i out=%i in=%i at densities 0, 0.2, 1', (k, m, n) => {
    for (const density of [0, 0.2, 1]) {
      const a = randomArray(k * m, rng);
      const b = sparseArray(k, n, density, rng);
      const blocks = Math.ceil(n / 4);
      const list = new Uint16Array(blocks * k);
      const count = new Int32Array(blocks);
      const pairs = buildColumnBlockRows(b, k, n, list, count);
      let expectedPairs = 0;
      for (let blk = 0; blk < blocks; blk++) {
        const rows: number[] = [];
        for (let p = 0; p < k; p++) {
          if (b.subarray(p * n + 4 * blk, p * n + Math.min(n, 4 * blk + 4)).some((v) => v !== 0))
            rows.push(p);
        }
        expect([...list.subarray(blk * k, blk * k + count[blk]!)]).toEqual(rows);
        expectedPairs += rows.length;
      }
      expect(pairs).toBe(expectedPairs);
      const c = new Float32Array(m * n).fill(NaN);
      sparseBlocksAtB(a, b, list, count, c, m, n, k, new Float32Array(4 * k), new Int32Array(k));
      expect(worstError(c, refAtB(a, b, m, n, k), 1e-6, 1e-6)).toBeLessThanOrEqual(1);
      const dense = new Float32Array(m * n);
      gemmAtB(a, b, dense, m, n, k);
      expect(c).toEqual(dense);
    }
  });
});

describe('sparseOuterAtB (sparse outer products)', () => {
  const rng = new Rng(12);
  it.each(SPARSE_SHAPES)('batch=%i out=%i in=%i, both operands sparse or dense', (k, m, n) => {
    for (const [da, db] of [
      [0.5, 0.2],
      [1, 1],
      [0, 0.5],
      [0.3, 0],
    ] as const) {
      const a = sparseArray(k, m, da, rng);
      const b = sparseArray(k, n, db, rng);
      const aIdx = new Uint16Array(k * m);
      const aCount = new Int32Array(k);
      const bIdx = new Uint16Array(k * n);
      const bCount = new Int32Array(k);
      buildRowNonzeros(a, k, m, aIdx, aCount);
      buildRowNonzeros(b, k, n, bIdx, bCount);
      const c = new Float32Array(m * n).fill(NaN);
      sparseOuterAtB(a, aIdx, aCount, b, bIdx, bCount, new Float32Array(k * n), c, m, n, k);
      // float32 accumulation in memory: a looser relative tolerance than the float64-accumulating tiles.
      expect(
        worstError(c, refAtB(a, b, m, n, k), 2e-6 * Math.max(1, Math.sqrt(k)), 1e-6),
      ).toBeLessThanOrEqual(1);
    }
  });
});
