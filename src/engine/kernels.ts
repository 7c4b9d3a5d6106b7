/**
 * The hot loops: three dense matrix products over flat row-major Float32Arrays, and sparse variants
 * for the first layer (below). No allocation anywhere.
 *
 * Every product is register-blocked: a 4×4 tile of outputs is accumulated in 16 local variables while
 * the shared dimension is streamed, so each loaded value feeds four multiply-adds. Measured here for
 * 784→128 at batch 64 (same process, interleaved): ~3.4× the textbook i-k-j loop order (which re-reads
 * and re-writes a whole output row per multiply-add) and ~3× a plain dot-product loop. Accumulation is in
 * float64 (JS numbers), rounded once when stored.
 *
 * Shapes are given as [rows, cols]; callers guarantee the arrays are at least that long.
 * Every kernel is checked against the naive float64 references of test/engine/reference.ts.
 */

/**
 * C = A · Bᵀ (+ bias broadcast over rows): the forward pass of a dense layer with weights stored
 * [out, in]: z[b, o] = bias[o] + Σ_k x[b, k] · W[o, k]. Both operands are read along contiguous rows.
 * @param a [m, k]  @param b [n, k]  @param c [m, n] (overwritten)  @param bias [n] or null
 */
export function gemmABt(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  m: number,
  n: number,
  k: number,
  bias: Float32Array | null,
): void {
  const m4 = m - (m & 3);
  const n4 = n - (n & 3);
  for (let i = 0; i < m4; i += 4) {
    const a0 = i * k;
    const a1 = a0 + k;
    const a2 = a1 + k;
    const a3 = a2 + k;
    for (let j = 0; j < n4; j += 4) {
      const b0 = j * k;
      const b1 = b0 + k;
      const b2 = b1 + k;
      const b3 = b2 + k;
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
      for (let p = 0; p < k; p++) {
        const x0 = a[a0 + p]!;
        const x1 = a[a1 + p]!;
        const x2 = a[a2 + p]!;
        const x3 = a[a3 + p]!;
        const w0 = b[b0 + p]!;
        const w1 = b[b1 + p]!;
        const w2 = b[b2 + p]!;
        const w3 = b[b3 + p]!;
        c00 += x0 * w0;
        c01 += x0 * w1;
        c02 += x0 * w2;
        c03 += x0 * w3;
        c10 += x1 * w0;
        c11 += x1 * w1;
        c12 += x1 * w2;
        c13 += x1 * w3;
        c20 += x2 * w0;
        c21 += x2 * w1;
        c22 += x2 * w2;
        c23 += x2 * w3;
        c30 += x3 * w0;
        c31 += x3 * w1;
        c32 += x3 * w2;
        c33 += x3 * w3;
      }
      const z0 = bias === null ? 0 : bias[j]!;
      const z1 = bias === null ? 0 : bias[j + 1]!;
      const z2 = bias === null ? 0 : bias[j + 2]!;
      const z3 = bias === null ? 0 : bias[j + 3]!;
      let o = i * n + j;
      c[o] = c00 + z0;
      c[o + 1] = c01 + z1;
      c[o + 2] = c02 + z2;
      c[o + 3] = c03 + z3;
      o += n;
      c[o] = c10 + z0;
      c[o + 1] = c11 + z1;
      c[o + 2] = c12 + z2;
      c[o + 3] = c13 + z3;
      o += n;
      c[o] = c20 + z0;
      c[o + 1] = c21 + z1;
      c[o + 2] = c22 + z2;
      c[o + 3] = c23 + z3;
      o += n;
      c[o] = c30 + z0;
      c[o + 1] = c31 + z1;
      c[o + 2] = c32 + z2;
      c[o + 3] = c33 + z3;
    }
    // Leftover columns (n not a multiple of 4): one output column, four rows at a time.
    for (let j = n4; j < n; j++) {
      const b0 = j * k;
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      for (let p = 0; p < k; p++) {
        const w = b[b0 + p]!;
        s0 += a[a0 + p]! * w;
        s1 += a[a1 + p]! * w;
        s2 += a[a2 + p]! * w;
        s3 += a[a3 + p]! * w;
      }
      const z = bias === null ? 0 : bias[j]!;
      c[i * n + j] = s0 + z;
      c[(i + 1) * n + j] = s1 + z;
      c[(i + 2) * n + j] = s2 + z;
      c[(i + 3) * n + j] = s3 + z;
    }
  }
  // Leftover rows (m not a multiple of 4): plain dot products.
  for (let i = m4; i < m; i++) {
    const a0 = i * k;
    for (let j = 0; j < n; j++) {
      const b0 = j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[a0 + p]! * b[b0 + p]!;
      c[i * n + j] = s + (bias === null ? 0 : bias[j]!);
    }
  }
}

/**
 * C = Aᵀ · B: the weight gradient of a dense layer, dW[o, k] = Σ_b dz[b, o] · x[b, k], written in the
 * weights' own [out, in] layout. Streams the batch dimension; each step reads 4 contiguous values of
 * each operand.
 * @param a [r, m]  @param b [r, n]  @param c [m, n] (overwritten)
 */
export function gemmAtB(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  r: number,
  m: number,
  n: number,
): void {
  const m4 = m - (m & 3);
  const n4 = n - (n & 3);
  for (let i = 0; i < m4; i += 4) {
    for (let j = 0; j < n4; j += 4) {
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
      let ap = i;
      let bp = j;
      for (let p = 0; p < r; p++) {
        const x0 = a[ap]!;
        const x1 = a[ap + 1]!;
        const x2 = a[ap + 2]!;
        const x3 = a[ap + 3]!;
        const y0 = b[bp]!;
        const y1 = b[bp + 1]!;
        const y2 = b[bp + 2]!;
        const y3 = b[bp + 3]!;
        c00 += x0 * y0;
        c01 += x0 * y1;
        c02 += x0 * y2;
        c03 += x0 * y3;
        c10 += x1 * y0;
        c11 += x1 * y1;
        c12 += x1 * y2;
        c13 += x1 * y3;
        c20 += x2 * y0;
        c21 += x2 * y1;
        c22 += x2 * y2;
        c23 += x2 * y3;
        c30 += x3 * y0;
        c31 += x3 * y1;
        c32 += x3 * y2;
        c33 += x3 * y3;
        ap += m;
        bp += n;
      }
      let o = i * n + j;
      c[o] = c00;
      c[o + 1] = c01;
      c[o + 2] = c02;
      c[o + 3] = c03;
      o += n;
      c[o] = c10;
      c[o + 1] = c11;
      c[o + 2] = c12;
      c[o + 3] = c13;
      o += n;
      c[o] = c20;
      c[o + 1] = c21;
      c[o + 2] = c22;
      c[o + 3] = c23;
      o += n;
      c[o] = c30;
      c[o + 1] = c31;
      c[o + 2] = c32;
      c[o + 3] = c33;
    }
    for (let j = n4; j < n; j++) {
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      for (let p = 0; p < r; p++) {
        const y = b[p * n + j]!;
        const ap = p * m + i;
        s0 += a[ap]! * y;
        s1 += a[ap + 1]! * y;
        s2 += a[ap + 2]! * y;
        s3 += a[ap + 3]! * y;
      }
      c[i * n + j] = s0;
      c[(i + 1) * n + j] = s1;
      c[(i + 2) * n + j] = s2;
      c[(i + 3) * n + j] = s3;
    }
  }
  for (let i = m4; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < r; p++) s += a[p * m + i]! * b[p * n + j]!;
      c[i * n + j] = s;
    }
  }
}

/**
 * C = A · B: the input gradient of a dense layer, dx[b, k] = Σ_o dz[b, o] · W[o, k], with W in its
 * [out, in] layout (rows of B contiguous).
 * @param a [m, k]  @param b [k, n]  @param c [m, n] (overwritten)
 */
export function gemmAB(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  m: number,
  k: number,
  n: number,
): void {
  const m4 = m - (m & 3);
  const n4 = n - (n & 3);
  for (let i = 0; i < m4; i += 4) {
    const a0 = i * k;
    const a1 = a0 + k;
    const a2 = a1 + k;
    const a3 = a2 + k;
    for (let j = 0; j < n4; j += 4) {
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
      let bp = j;
      for (let p = 0; p < k; p++) {
        const x0 = a[a0 + p]!;
        const x1 = a[a1 + p]!;
        const x2 = a[a2 + p]!;
        const x3 = a[a3 + p]!;
        const y0 = b[bp]!;
        const y1 = b[bp + 1]!;
        const y2 = b[bp + 2]!;
        const y3 = b[bp + 3]!;
        c00 += x0 * y0;
        c01 += x0 * y1;
        c02 += x0 * y2;
        c03 += x0 * y3;
        c10 += x1 * y0;
        c11 += x1 * y1;
        c12 += x1 * y2;
        c13 += x1 * y3;
        c20 += x2 * y0;
        c21 += x2 * y1;
        c22 += x2 * y2;
        c23 += x2 * y3;
        c30 += x3 * y0;
        c31 += x3 * y1;
        c32 += x3 * y2;
        c33 += x3 * y3;
        bp += n;
      }
      let o = i * n + j;
      c[o] = c00;
      c[o + 1] = c01;
      c[o + 2] = c02;
      c[o + 3] = c03;
      o += n;
      c[o] = c10;
      c[o + 1] = c11;
      c[o + 2] = c12;
      c[o + 3] = c13;
      o += n;
      c[o] = c20;
      c[o + 1] = c21;
      c[o + 2] = c22;
      c[o + 3] = c23;
      o += n;
      c[o] = c30;
      c[o + 1] = c31;
      c[o + 2] = c32;
      c[o + 3] = c33;
    }
    for (let j = n4; j < n; j++) {
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      for (let p = 0; p < k; p++) {
        const y = b[p * n + j]!;
        s0 += a[a0 + p]! * y;
        s1 += a[a1 + p]! * y;
        s2 += a[a2 + p]! * y;
        s3 += a[a3 + p]! * y;
      }
      c[i * n + j] = s0;
      c[(i + 1) * n + j] = s1;
      c[(i + 2) * n + j] = s2;
      c[(i + 3) * n + j] = s3;
    }
  }
  for (let i = m4; i < m; i++) {
    const a0 = i * k;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[a0 + p]! * b[p * n + j]!;
      c[i * n + j] = s;
    }
  }
}

/**
 * out[j] = Σ_i a[i, j]: the bias gradient, column sums of dz, accumulated in float64.
 * @param a [m, n]  @param out [n] (overwritten)
 */
export function columnSums(a: Float32Array, out: Float32Array, m: number, n: number): void {
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0, p = j; i < m; i++, p += n) s += a[p]!;
    out[j] = s;
  }
}

/*
 * Sparse-input kernels for the first layer. MNIST pixels are 0 for ~81 % of the input, and a dense
 * layer's first two products (forward, weight gradient) are ~88 % of a training step's FLOPs for
 * 784-128-64-10, so visiting only non-zero inputs is the largest single speed-up available. Skipped
 * terms are exact zeros (0·w = ±0), so for finite weights the results are bit-identical to the dense
 * kernels above: the remaining terms are added in the same order.
 */

/**
 * Per row, the columns holding a non-zero value: idx[r·k + 0 … count[r]−1] (ascending).
 * @param a [m, k]  @param idx [m·k] (k ≤ 65 536)  @param count [m]
 * @returns the total number of non-zeros
 */
export function buildRowNonzeros(
  a: Float32Array,
  m: number,
  k: number,
  idx: Uint16Array,
  count: Int32Array,
): number {
  let total = 0;
  for (let r = 0; r < m; r++) {
    const base = r * k;
    let c = base;
    for (let p = 0; p < k; p++) {
      if (a[base + p] !== 0) idx[c++] = p;
    }
    count[r] = c - base;
    total += c - base;
  }
  return total;
}

/**
 * C = A · Bᵀ + bias, visiting only A's non-zeros (from buildRowNonzeros): z[r, o] = bias[o] + Σ_{p ∈ nz(r)}
 * a[r, p] · B[o, p]. Eight outputs per pass over a row's non-zeros: each (index, value) pair feeds eight
 * multiply-adds (the eight weight loads are gathers, one per weight row).
 * @param a [m, k]  @param b [n, k]  @param c [m, n] (overwritten)  @param bias [n] or null
 */
export function sparseRowsABt(
  a: Float32Array,
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
        const v = a[base + p]!;
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
        const p = idx[j]!;
        s += a[base + p]! * b[w0 + p]!;
      }
      c[cr + o] = s + (bias === null ? 0 : bias[o]!);
    }
  }
}

/**
 * Per block of 4 columns (the last may be narrower), the rows with any non-zero in that block:
 * list[blk·r + 0 … count[blk]−1] (ascending). Blocks = ceil(n / 4).
 * @param a [r, n]  @param list [ceil(n/4)·r] (r ≤ 65 536)  @param count [ceil(n/4)]
 * @returns the total number of (row, block) pairs listed
 */
export function buildColumnBlockRows(
  a: Float32Array,
  r: number,
  n: number,
  list: Uint16Array,
  count: Int32Array,
): number {
  const blocks = (n + 3) >> 2;
  let total = 0;
  for (let blk = 0; blk < blocks; blk++) {
    const j = blk << 2;
    const w = Math.min(4, n - j);
    const lb = blk * r;
    let c = lb;
    if (w === 4) {
      for (let p = 0, q = j; p < r; p++, q += n) {
        if (a[q] !== 0 || a[q + 1] !== 0 || a[q + 2] !== 0 || a[q + 3] !== 0) list[c++] = p;
      }
    } else {
      for (let p = 0, q = j; p < r; p++, q += n) {
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
 * dW[o, k] = Σ_{b : x[b, block(k)] ≠ 0} dz[b, o] · x[b, k]. Same 4×4 register tiles as gemmAtB.
 * @param a [r, m]  @param b [r, n]  @param c [m, n] (overwritten)
 */
export function sparseBlocksAtB(
  a: Float32Array,
  b: Float32Array,
  list: Uint16Array,
  count: Int32Array,
  c: Float32Array,
  r: number,
  m: number,
  n: number,
): void {
  const blocks = (n + 3) >> 2;
  const m4 = m - (m & 3);
  for (let blk = 0; blk < blocks; blk++) {
    const j = blk << 2;
    const lb = blk * r;
    const end = lb + count[blk]!;
    if (j + 4 > n) {
      // Narrow last block: one output at a time.
      for (let i = 0; i < m; i++) {
        for (let jj = j; jj < n; jj++) {
          let s = 0;
          for (let t = lb; t < end; t++) {
            const p = list[t]!;
            s += a[p * m + i]! * b[p * n + jj]!;
          }
          c[i * n + jj] = s;
        }
      }
      continue;
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
      for (let t = lb; t < end; t++) {
        const p = list[t]!;
        const ap = p * m + i;
        const bp = p * n + j;
        const x0 = a[ap]!;
        const x1 = a[ap + 1]!;
        const x2 = a[ap + 2]!;
        const x3 = a[ap + 3]!;
        const y0 = b[bp]!;
        const y1 = b[bp + 1]!;
        const y2 = b[bp + 2]!;
        const y3 = b[bp + 3]!;
        c00 += x0 * y0;
        c01 += x0 * y1;
        c02 += x0 * y2;
        c03 += x0 * y3;
        c10 += x1 * y0;
        c11 += x1 * y1;
        c12 += x1 * y2;
        c13 += x1 * y3;
        c20 += x2 * y0;
        c21 += x2 * y1;
        c22 += x2 * y2;
        c23 += x2 * y3;
        c30 += x3 * y0;
        c31 += x3 * y1;
        c32 += x3 * y2;
        c33 += x3 * y3;
      }
      let o = i * n + j;
      c[o] = c00;
      c[o + 1] = c01;
      c[o + 2] = c02;
      c[o + 3] = c03;
      o += n;
      c[o] = c10;
      c[o + 1] = c11;
      c[o + 2] = c12;
      c[o + 3] = c13;
      o += n;
      c[o] = c20;
      c[o + 1] = c21;
      c[o + 2] = c22;
      c[o + 3] = c23;
      o += n;
      c[o] = c30;
      c[o + 1] = c31;
      c[o + 2] = c32;
      c[o + 3] = c33;
    }
    for (let i = m4; i < m; i++) {
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      for (let t = lb; t < end; t++) {
        const p = list[t]!;
        const x = a[p * m + i]!;
        const bp = p * n + j;
        s0 += x * b[bp]!;
        s1 += x * b[bp + 1]!;
        s2 += x * b[bp + 2]!;
        s3 += x * b[bp + 3]!;
      }
      const o = i * n + j;
      c[o] = s0;
      c[o + 1] = s1;
      c[o + 2] = s2;
      c[o + 3] = s3;
    }
  }
}

/**
 * C = Aᵀ · B as a sum of sparse outer products: for each row p, C[i, j] += a[p, i] · b[p, j] over the
 * non-zeros of both rows only (index lists from buildRowNonzeros). With ReLU (dz ≈ half zeros) and MNIST
 * pixels (≈ 81 % zeros) that is ~10× fewer multiply-adds than the dense product; each one is a
 * read-modify-write of C (float32 accumulation), so it pays when the work drops below ~half of the
 * tiled kernel's. Two rows of C per pass share each (index, value) load.
 * @param a [r, m], non-zeros aIdx/aCount  @param b [r, n], non-zeros bIdx/bCount  @param c [m, n] (overwritten)
 * @param bVals scratch [r·n]: the packed non-zero values of b
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
  r: number,
  m: number,
  n: number,
): void {
  c.fill(0, 0, m * n);
  for (let p = 0; p < r; p++) {
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
        const k = bIdx[j]!;
        const v = bVals[j]!;
        c[r0 + k] += d0 * v;
        c[r1 + k] += d1 * v;
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
