/**
 * Pure helpers of the loss chart (no canvas), unit-tested: the smoothed curve and the accuracy domain.
 * The axes' ticks, labels and margins come from the shared src/components/canvas/axisTicks.ts.
 */

/**
 * Step-aware exponential moving average, debiased (like Adam's bias correction and TensorBoard's smoothing):
 * with a = β^(xᵢ − xᵢ₋₁), num = a·num + (1 − a)·yᵢ, den = a·den + (1 − a), sᵢ = num / den.
 * Points that stand for many steps (the downsampled past) weigh as much as those steps would, and the
 * first values are not dragged towards 0.
 *
 * @param beta decay per training step (0.98 ≈ a window of 50 steps).
 * @returns smoothed y, same length as `y`.
 */
export function smoothSeries(
  x: readonly number[],
  y: readonly number[],
  beta = 0.98,
  out?: Float64Array,
): Float64Array {
  const n = Math.min(x.length, y.length);
  const s = out && out.length >= n ? out : new Float64Array(n);
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const dx = i === 0 ? 1 : Math.max(1, x[i] - x[i - 1]);
    const a = beta ** dx;
    num = a * num + (1 - a) * y[i];
    den = a * den + (1 - a);
    s[i] = num / den;
  }
  return s;
}

/** Index of the point whose x is nearest to `target` in increasing `x`; −1 when empty. Binary search. */
export function nearestIndex(x: readonly number[], target: number): number {
  if (x.length === 0) return -1;
  let lo = 0;
  let hi = x.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= target) lo = mid;
    else hi = mid;
  }
  return Math.abs(x[lo] - target) <= Math.abs(x[hi] - target) ? lo : hi;
}

/**
 * The accuracy axis: from a round 5 % below the lowest value (but spanning at least 10 %) to 100 %, so
 * 96 % vs 98 % is visible instead of every dot sitting on the top edge of a 0–100 % axis.
 */
export function accuracyDomain(values: readonly number[]): [number, number] {
  if (values.length === 0) return [0, 1];
  // A loop, not Math.min(...values): a run on a small training set has an epoch a few times a second,
  // and a spread of tens of thousands of arguments overflows the stack.
  let min = Infinity;
  for (const v of values) if (v < min) min = v;
  const lo = Math.floor((min - 0.01) * 20) / 20;
  return [Math.max(0, Math.min(0.9, lo)), 1];
}
