/**
 * How healthy a layer's activations are on a probe batch: their spread, a histogram, the share of dead
 * and of saturated units. The activation-health view and `npm run train -- --stats-every N` both print
 * these, so the rules live here once.
 */
import { ACTIVATION_TABLE, type LayerActivation } from './activations.ts';

/** Histogram of a layer's values: `counts[i]` values fell in [lo + i·w, lo + (i+1)·w), w = (hi − lo)/bins. */
export interface Histogram {
  lo: number;
  hi: number;
  counts: Uint32Array;
}

export interface LayerHealth {
  mean: number;
  std: number;
  /** mean |a|: the growth factor from layer to layer in the init lab is the ratio of these. */
  meanAbs: number;
  /** Units whose output is ≤ 0 for every probe example (a ReLU that never fires: it gets no gradient). */
  deadFraction: number;
  /** Outputs pinned near a limit, where f′ ≈ 0: sigmoid a < 0.01 or a > 0.99; tanh |a| > 0.99. */
  saturatedFraction: number;
  histogram: Histogram;
}

/** Bins of the activation-health histograms. */
export const HISTOGRAM_BINS = 24;

/** The saturation rule of the activation table: true where the derivative has (nearly) vanished. */
export function isSaturated(a: number, activation: LayerActivation): boolean {
  const rule = activation === 'softmax' ? null : ACTIVATION_TABLE[activation].saturated;
  return rule !== null && (a < rule.below || a > rule.above);
}

/** Only units that output exactly 0 (or less) for a whole batch are dead: ReLU-family layers. */
function canDie(activation: LayerActivation): boolean {
  return activation === 'relu' || activation === 'leaky-relu';
}

/**
 * Statistics of one layer's outputs over a batch, and their histogram.
 * @param values [rows, units] row-major (a subarray of a larger buffer is fine)
 * @param range histogram range; default: the natural range of the activation (sigmoid [0, 1], tanh
 *   [−1, 1]), else [min, max] of the values
 */
export function layerHealth(
  values: ArrayLike<number>,
  rows: number,
  units: number,
  activation: LayerActivation,
  bins = HISTOGRAM_BINS,
  range?: { lo: number; hi: number },
): LayerHealth {
  const n = rows * units;
  let sum = 0;
  let sumSq = 0;
  let sumAbs = 0;
  let saturated = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    sum += v;
    sumSq += v * v;
    sumAbs += Math.abs(v);
    if (v < min) min = v;
    if (v > max) max = v;
    if (isSaturated(v, activation)) saturated++;
  }
  let dead = 0;
  if (canDie(activation)) {
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
  }
  const natural =
    activation === 'sigmoid' ? { lo: 0, hi: 1 } : activation === 'tanh' ? { lo: -1, hi: 1 } : undefined;
  const r = range ?? natural ?? { lo: n > 0 ? min : 0, hi: n > 0 ? max : 1 };
  const lo = r.lo;
  const hi = r.hi > r.lo ? r.hi : r.lo + 1;
  const counts = new Uint32Array(bins);
  const scale = bins / (hi - lo);
  for (let i = 0; i < n; i++) {
    const b = Math.floor((values[i]! - lo) * scale);
    counts[b < 0 ? 0 : b >= bins ? bins - 1 : b]!++;
  }
  const mean = n > 0 ? sum / n : 0;
  return {
    mean,
    std: n > 0 ? Math.sqrt(Math.max(0, sumSq / n - mean * mean)) : 0,
    meanAbs: n > 0 ? sumAbs / n : 0,
    deadFraction: units > 0 ? dead / units : 0,
    saturatedFraction: n > 0 ? saturated / n : 0,
    histogram: { lo, hi, counts },
  };
}
