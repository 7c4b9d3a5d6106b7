/**
 * Dense matrix products over flat row-major Float32Arrays: the hot loops of every layer. No allocation.
 *
 * ONE SIZE CONVENTION for every kernel here and in sparse.ts: the size arguments come last and are
 * always (m, n, k) = (rows of the output C, columns of the output C, the shared dimension summed over):
 *
 *   gemmABt(a, b, c, m, n, k, bias)   C[m, n] = A[m, k] · B[n, k]ᵀ (+ bias)   forward:      z = x·Wᵀ + b
 *   gemmAtB(a, b, c, m, n, k)         C[m, n] = A[k, m]ᵀ · B[k, n]            weight grad:  dW = dzᵀ·x
 *   gemmAB(a, b, c, m, n, k)          C[m, n] = A[m, k] · B[k, n]             input grad:   dx = dz·W
 *   columnSums(a, out, n, k)          out[n]  = Σ_k A[k, n]                   bias grad:    db = Σ_b dz
 *
 * So in a layer with weights [out, in] and a batch of B rows, a forward call ends (B, out, in), a
 * weight gradient (out, in, B), an input gradient (B, in, out): a swapped size reads wrong at a glance.
 *
 * Every product is register-blocked: a 4×4 tile of outputs is accumulated in 16 local variables while
 * the shared dimension is streamed, so each loaded value feeds four multiply-adds. Measured here for
 * 784→128 at batch 64 (same process, interleaved): ~3.4× the textbook i-k-j loop order (which re-reads
 * and re-writes a whole output row per multiply-add) and ~3× a plain dot-product loop. Accumulation is in
 * float64 (JS numbers), rounded once when stored.
 *
 * Callers guarantee the arrays are at least as long as their shapes. Every kernel is checked against
 * the naive float64 references of test/engine/reference.ts.
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
 * C = Aᵀ · B: the weight gradient of a dense layer, dW[o, i] = Σ_b dz[b, o] · x[b, i], written in the
 * weights' own [out, in] layout. Streams the batch dimension; each step reads 4 contiguous values of
 * each operand.
 * @param a [k, m]  @param b [k, n]  @param c [m, n] (overwritten; with `add`, added to — see put)
 */
export function gemmAtB(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  m: number,
  n: number,
  k: number,
  add = false,
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
      for (let p = 0; p < k; p++) {
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
    for (let j = n4; j < n; j++) {
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      for (let p = 0; p < k; p++) {
        const y = b[p * n + j]!;
        const ap = p * m + i;
        s0 += a[ap]! * y;
        s1 += a[ap + 1]! * y;
        s2 += a[ap + 2]! * y;
        s3 += a[ap + 3]! * y;
      }
      put(c, i * n + j, s0, add);
      put(c, (i + 1) * n + j, s1, add);
      put(c, (i + 2) * n + j, s2, add);
      put(c, (i + 3) * n + j, s3, add);
    }
  }
  for (let i = m4; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[p * m + i]! * b[p * n + j]!;
      put(c, i * n + j, s, add);
    }
  }
}

/**
 * C = A · B: the input gradient of a dense layer, dx[b, i] = Σ_o dz[b, o] · W[o, i], with W in its
 * [out, in] layout (rows of B contiguous).
 * @param a [m, k]  @param b [k, n]  @param c [m, n] (overwritten)
 */
export function gemmAB(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  m: number,
  n: number,
  k: number,
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
 * @param a [k, n]  @param out [n] (overwritten; with `add`, added to — see put)
 */
export function columnSums(a: Float32Array, out: Float32Array, n: number, k: number, add = false): void {
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0, p = j; i < k; i++, p += n) s += a[p]!;
    put(out, j, s, add);
  }
}

/**
 * Stores a product's sum v at c[o]: rounded to float32 — or, with `add`, v rounded to float32 and then
 * added to what c[o] holds, rounded again: the very bits of storing v in a buffer of its own and adding
 * that buffer in afterwards. A thread that trains a step's chunks alone adds each chunk's weight gradient
 * into the first chunk's as it computes it, instead of writing a buffer per chunk and summing them
 * (training/parallel/computeShares.ts): the same sum, one pass over the parameters less.
 */
export function put(c: Float32Array, o: number, v: number, add: boolean): void {
  c[o] = add ? c[o]! + Math.fround(v) : v;
}
