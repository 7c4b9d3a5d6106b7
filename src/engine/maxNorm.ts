/**
 * Max-norm (Srivastava et al. 2014, with dropout): after each step every hidden unit's incoming weight
 * vector — a row of its layer's W [out, in] — is scaled back onto the ball ‖w‖ ≤ C when it left it. The
 * output layer is not constrained (as in the paper's MNIST nets), nor are biases.
 *
 * Row-wise, so it cannot run inside the parallel optimizer's slices (cut at cache lines, not rows): the
 * coordinator applies it once every slice is updated (training/parallel/computePool.ts).
 */
import type { DenseLayer } from './network.ts';

/** ‖row‖ of W's row `r` (in float64, as the decision is made). */
export function rowNorm(w: Float32Array, r: number, inSize: number): number {
  let ss = 0;
  const base = r * inSize;
  for (let i = 0; i < inSize; i++) ss += w[base + i]! * w[base + i]!;
  return Math.sqrt(ss);
}

/** The factor row r is scaled by: C/‖w‖ when ‖w‖ > C, else 1. */
export function maxNormScale(norm: number, c: number): number {
  return norm > c ? c / norm : 1;
}

/** Scales every hidden unit's row of weights back to norm ≤ c. Returns how many rows were rescaled. */
export function applyMaxNorm(net: { layers: readonly DenseLayer[] }, c: number): number {
  let rescaled = 0;
  const hidden = net.layers.slice(0, -1);
  for (const layer of hidden) {
    const w = layer.weights;
    for (let r = 0; r < layer.outSize; r++) {
      const scale = maxNormScale(rowNorm(w, r, layer.inSize), c);
      if (scale === 1) continue;
      rescaled++;
      const base = r * layer.inSize;
      for (let i = 0; i < layer.inSize; i++) w[base + i] = w[base + i]! * scale;
    }
  }
  return rescaled;
}
