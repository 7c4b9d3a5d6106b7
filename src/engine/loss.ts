/**
 * The output layer: softmax fused with the cross-entropy loss, over [batch, n] row-major logits.
 * Working from the logits and log Σ exp keeps every value finite, even when a probability underflows
 * float32 to 0.
 */

/**
 * p = exp(z − lse(z)) per row, lse(z) = m + log Σ_j exp(z_j − m), m = max z: no overflow for any finite z.
 * @param z logits [batch, n]  @param p probabilities [batch, n] (overwritten)
 * @param lse [batch] (overwritten): log Σ_j exp(z_j) per row, in float64 for a stable cross-entropy
 */
export function softmaxRows(
  z: Float32Array,
  p: Float32Array,
  lse: Float64Array,
  batch: number,
  n: number,
): void {
  for (let b = 0, o = 0; b < batch; b++, o += n) {
    let m = -Infinity;
    for (let j = 0; j < n; j++) {
      const v = z[o + j]!;
      if (v > m) m = v;
    }
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.exp(z[o + j]! - m);
    const l = m + Math.log(s);
    lse[b] = l;
    for (let j = 0; j < n; j++) p[o + j] = Math.exp(z[o + j]! - l);
  }
}

/**
 * Mean cross-entropy (1/B) Σ_b (lse(z_b) − z_b[y_b]) = mean −log p_b[y_b], from the logits.
 * @param labels [batch] class indices < n (throws a RangeError on one out of range)
 */
export function crossEntropy(
  z: Float32Array,
  lse: Float64Array,
  labels: Uint8Array,
  batch: number,
  n: number,
): number {
  let sum = 0;
  for (let b = 0; b < batch; b++) {
    const y = labels[b]!;
    if (y >= n) throw new RangeError(`label ${y} out of range for ${n} classes`);
    sum += lse[b]! - z[b * n + y]!;
  }
  return sum / batch;
}

/**
 * The gradient of the mean cross-entropy with respect to the logits: dL/dz = (p − onehot(y)) / B.
 * @param p probabilities [batch, n]  @param dz [batch, n] (overwritten)
 */
export function crossEntropyGrad(
  p: Float32Array,
  labels: Uint8Array,
  dz: Float32Array,
  batch: number,
  n: number,
  normaliser: number = batch,
): void {
  const inv = 1 / normaliser;
  for (let b = 0, o = 0; b < batch; b++, o += n) {
    for (let j = 0; j < n; j++) dz[o + j] = p[o + j]! * inv;
    dz[o + labels[b]!] = (p[o + labels[b]!]! - 1) * inv;
  }
}
