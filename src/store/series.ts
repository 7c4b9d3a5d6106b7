/**
 * A bounded time series for long runs: the recent past at full resolution, older points downsampled
 * (min/max per bucket, so spikes survive), so an hour-long run holds at most a few thousand points.
 *
 * CONTRACT (implementation by the trainer/stream engineer):
 * - `appendSeries(s, xs, ys)` appends points in increasing x, in amortised O(1) per point, no unbounded growth:
 *   s.x.length ≤ MAX_POINTS at all times.
 * - Non-finite y values are never stored (nothing non-finite is drawn).
 */
export const MAX_POINTS = 4000;

export interface Series {
  /** x values (training step), increasing. */
  x: number[];
  /** y values, same length. */
  y: number[];
}

export function createSeries(): Series {
  return { x: [], y: [] };
}
