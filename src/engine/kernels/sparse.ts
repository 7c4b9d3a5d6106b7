/**
 * Sparse-input kernels for the first layer. MNIST pixels are 0 for ~81 % of the input, and a dense
 * layer's first two products (forward, weight gradient) are ~88 % of a training step's FLOPs for
 * 784-128-64-10, so visiting only non-zero inputs is the largest single speed-up available. Skipped
 * terms are exact zeros (0·w = ±0), so for finite weights the results are bit-identical to the dense
 * kernels of dense.ts: the remaining terms are added in the same order.
 *
 * Sizes follow dense.ts' one convention: a product's sizes are (m, n, k) = (rows of C, columns of C,
 * shared dimension). The index builders take the (rows, cols) of the matrix they index. Which kernel
 * runs for a batch is decided in layerKernels.ts. No allocation: index buffers are the caller's.
 */
import { put } from './dense.ts';

/**
 * Per row, the columns holding a non-zero value: idx[r·cols + 0 … count[r]−1] (ascending) — and, given
 * `values`, those values at the same places, packed (sparseRowsABt reads them so).
 * @param a [rows, cols]  @param idx [rows·cols] (cols ≤ 65 536)  @param count [rows]  @param values [rows·cols]
 * @returns the total number of non-zeros
 */
export function buildRowNonzeros(
  a: Float32Array,
  rows: number,
  cols: number,
  idx: Uint16Array,
  count: Int32Array,
  values: Float32Array | null = null,
): number {
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let c = base;
    if (values) {
      for (let p = 0; p < cols; p++) {
        const v = a[base + p]!;
        if (v !== 0) {
          idx[c] = p;
          values[c++] = v;
        }
      }
    } else {
      for (let p = 0; p < cols; p++) {
        if (a[base + p] !== 0) idx[c++] = p;
      }
    }
    count[r] = c - base;
    total += c - base;
  }
  return total;
}

/**
 * C = A · Bᵀ + bias, visiting only A's non-zeros (from buildRowNonzeros, with their values packed):
 * z[r, o] = bias[o] + Σ_{p ∈ nz(r)} a[r, p] · B[o, p]. Eight outputs per pass over a row's non-zeros: each
 * (index, value) pair feeds eight multiply-adds (the eight weight loads are gathers, one per weight row).
 * The packed values spare each pass a load that waits for the index — measured 784→128 at batch 64 on
 * Fashion-MNIST pixels, the index build included: 2.74 ms against 2.83 ms reading a[r, p].
 * @param values [m, k]: row r's non-zeros at r·k + 0 … count[r]−1  @param b [n, k]  @param c [m, n]
 *   (overwritten)  @param bias [n] or null
 */
export function sparseRowsABt(
  values: Float32Array,
  idx: Uint16Array,
  count: Int32Array,
  b: Float32Array,
  c: Float32Array,
  m: number,
  n: number,
  k: number,
  bias: Float32Array | null,
): void {
  const n8 = n - (n & 7);
  for (let r = 0; r < m; r++) {
    const base = r * k;
    const end = base + count[r]!;
    const cr = r * n;
    for (let o = 0; o < n8; o += 8) {
      const w0 = o * k;
      const w1 = w0 + k;
      const w2 = w1 + k;
      const w3 = w2 + k;
      const w4 = w3 + k;
      const w5 = w4 + k;
      const w6 = w5 + k;
      const w7 = w6 + k;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let s4 = 0;
      let s5 = 0;
      let s6 = 0;
      let s7 = 0;
      for (let j = base; j < end; j++) {
        const p = idx[j]!;
        const v = values[j]!;
        s0 += v * b[w0 + p]!;
        s1 += v * b[w1 + p]!;
        s2 += v * b[w2 + p]!;
        s3 += v * b[w3 + p]!;
        s4 += v * b[w4 + p]!;
        s5 += v * b[w5 + p]!;
        s6 += v * b[w6 + p]!;
        s7 += v * b[w7 + p]!;
      }
      const q = cr + o;
      if (bias === null) {
        c[q] = s0;
        c[q + 1] = s1;
        c[q + 2] = s2;
        c[q + 3] = s3;
        c[q + 4] = s4;
        c[q + 5] = s5;
        c[q + 6] = s6;
        c[q + 7] = s7;
      } else {
        c[q] = s0 + bias[o]!;
        c[q + 1] = s1 + bias[o + 1]!;
        c[q + 2] = s2 + bias[o + 2]!;
        c[q + 3] = s3 + bias[o + 3]!;
        c[q + 4] = s4 + bias[o + 4]!;
        c[q + 5] = s5 + bias[o + 5]!;
        c[q + 6] = s6 + bias[o + 6]!;
        c[q + 7] = s7 + bias[o + 7]!;
      }
    }
    for (let o = n8; o < n; o++) {
      const w0 = o * k;
      let s = 0;
      for (let j = base; j < end; j++) {
        s += values[j]! * b[w0 + idx[j]!]!;
      }
      c[cr + o] = s + (bias === null ? 0 : bias[o]!);
    }
  }
}

/**
 * Per block of 4 columns (the last may be narrower), the rows with any non-zero in that block:
 * list[blk·rows + 0 … count[blk]−1] (ascending). Blocks = ceil(cols / 4).
 * @param a [rows, cols]  @param list [ceil(cols/4)·rows] (rows ≤ 65 536)  @param count [ceil(cols/4)]
 * @returns the total number of (row, block) pairs listed
 */
export function buildColumnBlockRows(
  a: Float32Array,
  rows: number,
  cols: number,
  list: Uint16Array,
  count: Int32Array,
): number {
  const blocks = (cols + 3) >> 2;
  let total = 0;
  for (let blk = 0; blk < blocks; blk++) {
    const j = blk << 2;
    const w = Math.min(4, cols - j);
    const lb = blk * rows;
    let c = lb;
    if (w === 4) {
      for (let p = 0, q = j; p < rows; p++, q += cols) {
        if (a[q] !== 0 || a[q + 1] !== 0 || a[q + 2] !== 0 || a[q + 3] !== 0) list[c++] = p;
      }
    } else {
      for (let p = 0, q = j; p < rows; p++, q += cols) {
        let any = false;
        for (let t = 0; t < w; t++) if (a[q + t] !== 0) any = true;
        if (any) list[c++] = p;
      }
    }
    count[blk] = c - lb;
    total += c - lb;
  }
  return total;
}

/**
 * C = Aᵀ · B visiting, for each 4-column block of B, only the rows listed by buildColumnBlockRows:
 * dW[o, i] = Σ_{b : x[b, block(i)] ≠ 0} dz[b, o] · x[b, i]. Same 4×4 register tiles as gemmAtB, same
 * order of the terms, so the same bits. Per block, the listed rows' four values of B and their row
 * offsets into A are first packed side by side (`packedB`, `rowOffsets`): the tiles of that block (one
 * per 4 rows of C) then read one offset and 4 + 4 values per listed row, no index arithmetic — measured
 * 784→128 at batch 64 on Fashion-MNIST pixels (62 % of the (row, block) pairs listed): 2.39 ms against
 * 2.52 ms unpacked, the dense gemmAtB 3.30 ms.
 * @param a [k, m]  @param b [k, n]  @param c [m, n] (overwritten)
 * @param packedB scratch [4·k]  @param rowOffsets scratch [k]  @param add see dense.ts' put
 */
export function sparseBlocksAtB(
  a: Float32Array,
  b: Float32Array,
  list: Uint16Array,
  count: Int32Array,
  c: Float32Array,
  m: number,
  n: number,
  k: number,
  packedB: Float32Array,
  rowOffsets: Int32Array,
  add = false,
): void {
  const blocks = (n + 3) >> 2;
  const m4 = m - (m & 3);
  for (let blk = 0; blk < blocks; blk++) {
    const j = blk << 2;
    const lb = blk * k;
    const listed = count[blk]!;
    if (j + 4 > n) {
      // Narrow last block: one output at a time.
      const end = lb + listed;
      for (let i = 0; i < m; i++) {
        for (let jj = j; jj < n; jj++) {
          let s = 0;
          for (let t = lb; t < end; t++) {
            const p = list[t]!;
            s += a[p * m + i]! * b[p * n + jj]!;
          }
          put(c, i * n + jj, s, add);
        }
      }
      continue;
    }
    for (let t = 0; t < listed; t++) {
      const p = list[lb + t]!;
      rowOffsets[t] = p * m;
      const q = p * n + j;
      const o = t << 2;
      packedB[o] = b[q]!;
      packedB[o + 1] = b[q + 1]!;
      packedB[o + 2] = b[q + 2]!;
      packedB[o + 3] = b[q + 3]!;
    }
    for (let i = 0; i < m4; i += 4) {
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0;
      let c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0;
      let c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0;
      let c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      for (let t = 0; t < listed; t++) {
        const ap = rowOffsets[t]! + i;
        const o = t << 2;
        const y0 = packedB[o]!;
        const y1 = packedB[o + 1]!;
        const y2 = packedB[o + 2]!;
        const y3 = packedB[o + 3]!;
        // One value of A live at a time (the form the 2.39 ms above was measured with).
        let x = a[ap]!;
        c00 += x * y0;
        c01 += x * y1;
        c02 += x * y2;
        c03 += x * y3;
        x = a[ap + 1]!;
        c10 += x * y0;
        c11 += x * y1;
        c12 += x * y2;
        c13 += x * y3;
        x = a[ap + 2]!;
        c20 += x * y0;
        c21 += x * y1;
        c22 += x * y2;
        c23 += x * y3;
        x = a[ap + 3]!;
        c30 += x * y0;
        c31 += x * y1;
        c32 += x * y2;
        c33 += x * y3;
      }
      let o = i * n + j;
      put(c, o, c00, add);
      put(c, o + 1, c01, add);
      put(c, o + 2, c02, add);
      put(c, o + 3, c03, add);
      o += n;
      put(c, o, c10, add);
      put(c, o + 1, c11, add);
      put(c, o + 2, c12, add);
      put(c, o + 3, c13, add);
      o += n;
      put(c, o, c20, add);
      put(c, o + 1, c21, add);
      put(c, o + 2, c22, add);
      put(c, o + 3, c23, add);
      o += n;
      put(c, o, c30, add);
      put(c, o + 1, c31, add);
      put(c, o + 2, c32, add);
      put(c, o + 3, c33, add);
    }
    for (let i = m4; i < m; i++) {
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      for (let t = 0; t < listed; t++) {
        const x = a[rowOffsets[t]! + i]!;
        const o = t << 2;
        s0 += x * packedB[o]!;
        s1 += x * packedB[o + 1]!;
        s2 += x * packedB[o + 2]!;
        s3 += x * packedB[o + 3]!;
      }
      const o = i * n + j;
      put(c, o, s0, add);
      put(c, o + 1, s1, add);
      put(c, o + 2, s2, add);
      put(c, o + 3, s3, add);
    }
  }
}

/**
 * C = Aᵀ · B as a sum of sparse outer products: for each row p, C[i, j] += a[p, i] · b[p, j] over the
 * non-zeros of both rows only (index lists from buildRowNonzeros). With ReLU (dz ≈ half zeros) and MNIST
 * pixels (≈ 81 % zeros) that is ~10× fewer multiply-adds than the dense product; each one is a
 * read-modify-write of C (float32 accumulation), so it pays when the work drops below ~half of the
 * tiled kernel's. Two rows of C per pass share each (index, value) load.
 * @param a [k, m], non-zeros aIdx/aCount  @param b [k, n], non-zeros bIdx/bCount  @param c [m, n] (overwritten)
 * @param bVals scratch [k·n]: the packed non-zero values of b
 */
export function sparseOuterAtB(
  a: Float32Array,
  aIdx: Uint16Array,
  aCount: Int32Array,
  b: Float32Array,
  bIdx: Uint16Array,
  bCount: Int32Array,
  bVals: Float32Array,
  c: Float32Array,
  m: number,
  n: number,
  k: number,
): void {
  c.fill(0, 0, m * n);
  for (let p = 0; p < k; p++) {
    const ab = p * m;
    const aEnd = ab + aCount[p]!;
    const bb = p * n;
    const bEnd = bb + bCount[p]!;
    for (let j = bb; j < bEnd; j++) bVals[j] = b[bb + bIdx[j]!]!;
    let t = ab;
    for (; t + 1 < aEnd; t += 2) {
      const i0 = aIdx[t]!;
      const i1 = aIdx[t + 1]!;
      const d0 = a[ab + i0]!;
      const d1 = a[ab + i1]!;
      const r0 = i0 * n;
      const r1 = i1 * n;
      for (let j = bb; j < bEnd; j++) {
        const col = bIdx[j]!;
        const v = bVals[j]!;
        c[r0 + col] += d0 * v;
        c[r1 + col] += d1 * v;
      }
    }
    if (t < aEnd) {
      const i0 = aIdx[t]!;
      const d0 = a[ab + i0]!;
      const r0 = i0 * n;
      for (let j = bb; j < bEnd; j++) c[r0 + bIdx[j]!] += d0 * bVals[j]!;
    }
  }
}
