/**
 * Naive float64 references: the maths written the plainest way, to check the engine's fast kernels and
 * its backward pass. Slow on purpose — nothing here is blocked, fused or clever. Sizes in the kernels'
 * order (src/engine/kernels/dense.ts): (m, n, k) = (rows of C, columns of C, shared dimension).
 */
import type { Activation } from '../../src/engine/types.ts';

/** C[m,n] = A[m,k] · B[n,k]ᵀ + bias */
export function refABt(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  n: number,
  k: number,
  bias?: ArrayLike<number>,
): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = bias ? bias[j]! : 0;
      for (let p = 0; p < k; p++) s += a[i * k + p]! * b[j * k + p]!;
      c[i * n + j] = s;
    }
  return c;
}

/** C[m,n] = A[k,m]ᵀ · B[k,n] */
export function refAtB(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  n: number,
  k: number,
): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[p * m + i]! * b[p * n + j]!;
      c[i * n + j] = s;
    }
  return c;
}

/** C[m,n] = A[m,k] · B[k,n] */
export function refAB(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  n: number,
  k: number,
): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * n + j]!;
      c[i * n + j] = s;
    }
  return c;
}

export function refActivation(z: number, act: Activation): number {
  switch (act) {
    case 'relu':
      return z > 0 ? z : 0;
    case 'leaky-relu':
      return z > 0 ? z : 0.01 * z;
    case 'sigmoid':
      return 1 / (1 + Math.exp(-z));
    case 'tanh':
      return Math.tanh(z);
  }
}

export interface RefParams {
  /** per layer [out, in] row-major, float64 */
  weights: Float64Array[];
  biases: Float64Array[];
}

/** Float64 forward: every layer's output (post-activation; the last is softmax probabilities). */
export function refForward(
  params: RefParams,
  x: ArrayLike<number>,
  batch: number,
  act: Activation,
): Float64Array[] {
  const outs: Float64Array[] = [];
  let input: ArrayLike<number> = x;
  const last = params.weights.length - 1;
  for (let l = 0; l <= last; l++) {
    const nOut = params.biases[l]!.length;
    const nIn = params.weights[l]!.length / nOut;
    const z = refABt(input, params.weights[l]!, batch, nOut, nIn, params.biases[l]!);
    if (l < last) {
      for (let i = 0; i < z.length; i++) z[i] = refActivation(z[i]!, act);
    } else {
      for (let b = 0; b < batch; b++) {
        const row = z.subarray(b * nOut, (b + 1) * nOut);
        const m = Math.max(...row);
        let s = 0;
        for (const v of row) s += Math.exp(v - m);
        for (let j = 0; j < nOut; j++) row[j] = Math.exp(row[j]! - m) / s;
      }
    }
    outs.push(z);
    input = z;
  }
  return outs;
}

/**
 * Float64 loss: mean cross-entropy −log p_y computed by log-sum-exp from the logits, plus λ/2·Σw².
 * `masks` (dropout): [input, hidden 1, …], each multiplying that layer's output element-wise, null = none.
 */
export function refLoss(
  params: RefParams,
  x: ArrayLike<number>,
  labels: ArrayLike<number>,
  batch: number,
  act: Activation,
  l2: number,
  masks?: readonly (ArrayLike<number> | null)[],
): number {
  const masked = (a: ArrayLike<number>, m: ArrayLike<number> | null | undefined): ArrayLike<number> =>
    m ? Float64Array.from(a, (v, i) => v * m[i]!) : a;
  let input: ArrayLike<number> = masked(x, masks?.[0]);
  const last = params.weights.length - 1;
  let loss = 0;
  for (let l = 0; l <= last; l++) {
    const nOut = params.biases[l]!.length;
    const nIn = params.weights[l]!.length / nOut;
    const z = refABt(input, params.weights[l]!, batch, nOut, nIn, params.biases[l]!);
    if (l < last) {
      for (let i = 0; i < z.length; i++) z[i] = refActivation(z[i]!, act);
      input = masked(z, masks?.[l + 1]);
    } else {
      for (let b = 0; b < batch; b++) {
        const row = z.subarray(b * nOut, (b + 1) * nOut);
        const m = Math.max(...row);
        let s = 0;
        for (const v of row) s += Math.exp(v - m);
        loss += m + Math.log(s) - row[labels[b]!]!;
      }
    }
  }
  loss /= batch;
  if (l2 > 0) {
    let ss = 0;
    for (const w of params.weights) for (const v of w) ss += v * v;
    loss += (l2 / 2) * ss;
  }
  return loss;
}

/** Float64 copies of float32 parameters (exact: every float32 is a float64). */
export function toRefParams(p: { weights: Float32Array[]; biases: Float32Array[] }): RefParams {
  return {
    weights: p.weights.map((w) => Float64Array.from(w)),
    biases: p.biases.map((b) => Float64Array.from(b)),
  };
}

/** Max over i of |a_i − b_i| / (abs + rel·max(|a_i|, |b_i|)): ≤ 1 means "within tolerance". */
export function worstError(a: ArrayLike<number>, b: ArrayLike<number>, rel: number, abs: number): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} ≠ ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const e = Math.abs(a[i]! - b[i]!) / (abs + rel * Math.max(Math.abs(a[i]!), Math.abs(b[i]!)));
    if (Number.isNaN(e)) return Infinity;
    if (e > worst) worst = e;
  }
  return worst;
}
