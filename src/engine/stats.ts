/**
 * Cheap per-layer statistics for the visualisations: one O(n) pass, no allocation beyond the result.
 */
import { ACTIVATION_TABLE, type LayerActivation } from './activations.ts';

export interface ActivationStats {
  mean: number;
  std: number;
  /** Fraction of values ≤ 0: for ReLU the share of units that did not fire (dead-ReLU proxy). */
  fractionZero: number;
  /** Fraction outside the activation's non-saturated range (activations.ts: sigmoid 0.01..0.99, tanh ±0.99); 0 for others. */
  fractionSaturated: number;
  max: number;
}

/** Population statistics of `values` (all of it: pass a subarray for part). Zeros for an empty array. */
export function activationStats(values: Float32Array, activation: LayerActivation): ActivationStats {
  const n = values.length;
  if (n === 0) return { mean: 0, std: 0, fractionZero: 0, fractionSaturated: 0, max: 0 };
  let sum = 0;
  let sumSq = 0;
  let zeros = 0;
  let saturated = 0;
  let max = -Infinity;
  // No rule (ReLU, softmax): bounds no value crosses, so nothing counts as saturated.
  const rule = activation === 'softmax' ? null : ACTIVATION_TABLE[activation].saturated;
  const below = rule === null ? -Infinity : rule.below;
  const above = rule === null ? Infinity : rule.above;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    sum += v;
    sumSq += v * v;
    if (v <= 0) zeros++;
    if (v > max) max = v;
    if (v > above || v < below) saturated++;
  }
  const mean = sum / n;
  const variance = Math.max(0, sumSq / n - mean * mean);
  return { mean, std: Math.sqrt(variance), fractionZero: zeros / n, fractionSaturated: saturated / n, max };
}

/** Euclidean norm sqrt(Σ a²), accumulated in float64. */
export function l2Norm(a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return Math.sqrt(s);
}

/**
 * Fraction of units (columns) that are ≤ 0 for every row of a [rows, units] activation batch: for ReLU,
 * the units that did not fire for any sample — "dead" for this batch. O(rows·units), no allocation.
 */
export function deadUnitFraction(values: Float32Array, rows: number, units: number): number {
  if (rows <= 0 || units <= 0) return 0;
  let dead = 0;
  for (let u = 0; u < units; u++) {
    let alive = false;
    for (let r = 0, p = u; r < rows; r++, p += units) {
      if (values[p]! > 0) {
        alive = true;
        break;
      }
    }
    if (!alive) dead++;
  }
  return dead / units;
}
