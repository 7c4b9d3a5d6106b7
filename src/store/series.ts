/**
 * A bounded time series for long runs: the recent past at full resolution, older points downsampled
 * (min/max per bucket, so spikes survive), so an hour-long run holds at most a few thousand points.
 *
 * CONTRACT:
 * - `appendSeries(s, xs, ys)` appends points in increasing x, in amortised O(1) per point, no unbounded growth:
 *   s.x.length ≤ MAX_POINTS at all times.
 * - Non-finite y values are never stored (nothing non-finite is drawn).
 *
 * Layout of `x`/`y` (what a chart draws, in increasing x):
 *
 * ```
 * [ old buckets: 2 points each (min and max, in x order) | pending bucket: ≤ 2 points | recent: raw points ]
 *   uniform width W raw points per bucket                   the bucket being filled      ≤ RECENT + SLACK
 * ```
 *
 * Why this shape:
 * - Uniform resolution over the old part (every bucket covers the same number W of raw points) keeps a
 *   linear x axis honest; halving the resolution of ever older data (the naive "compact the front half
 *   again") would leave the first half of an hour-long run with a handful of points.
 * - When the old part is full, neighbouring buckets merge pairwise (min of mins, max of maxes) and W doubles.
 *   Merging never loses an extreme value, so the global min and max of y are always drawn.
 * - Raw points leave the recent window SLACK at a time, so the O(MAX_POINTS) rebuild of the arrays happens
 *   once per SLACK appends: amortised O(MAX_POINTS / SLACK) = O(1) per point.
 *
 * Mutates the series in place (the arrays may be replaced by new ones on a rebuild): consumers re-read
 * `s.x`/`s.y` when the telemetry store's `version` changes.
 */
export const MAX_POINTS = 4000;

/** Raw points kept at full resolution, at least (the last RECENT appended points are always exact). */
export const RECENT_POINTS = 1500;
/** Raw points moved into buckets at once (the recent window holds RECENT..RECENT+SLACK points). */
const SLACK = 500;
/** Completed buckets before a pairwise merge; even, so merging pairs never leaves a half bucket. */
const MAX_BUCKETS = 998;

/** The downsampler's bookkeeping; not for drawing. */
export interface SeriesState {
  /** Raw points per completed bucket (a power of two, from 2). */
  bucketWidth: number;
  /** Completed buckets, 2 points each: [x of the earlier extreme, x of the later extreme] per bucket. */
  oldX: number[];
  oldY: number[];
  /** The bucket being filled: how many raw points, and its extremes (index into `pending*` below). */
  pendingCount: number;
  pendingMinX: number;
  pendingMinY: number;
  pendingMaxX: number;
  pendingMaxY: number;
  /** Index in x/y where the raw recent points start. */
  recentStart: number;
  /** Total finite points ever appended. */
  appended: number;
}

export interface Series {
  /** x values (training step), increasing. */
  x: number[];
  /** y values, same length. */
  y: number[];
  /** Downsampler state (internal). */
  state: SeriesState;
}

export function createSeries(): Series {
  return {
    x: [],
    y: [],
    state: {
      bucketWidth: 2,
      oldX: [],
      oldY: [],
      pendingCount: 0,
      pendingMinX: 0,
      pendingMinY: 0,
      pendingMaxX: 0,
      pendingMaxY: 0,
      recentStart: 0,
      appended: 0,
    },
  };
}

/**
 * Appends points (xs[i], ys[i]) in increasing x. Points with a non-finite y, and points whose x is not
 * greater than the last stored x, are skipped.
 */
export function appendSeries(s: Series, xs: ArrayLike<number>, ys: ArrayLike<number>): void {
  const n = Math.min(xs.length, ys.length);
  for (let i = 0; i < n; i++) {
    const x = xs[i]!;
    const y = ys[i]!;
    if (!Number.isFinite(y) || !Number.isFinite(x)) continue;
    const len = s.x.length;
    if (len > 0 && !(x > s.x[len - 1]!)) continue;
    s.x.push(x);
    s.y.push(y);
    s.state.appended++;
    if (s.x.length - s.state.recentStart > RECENT_POINTS + SLACK) fold(s);
  }
}

/** Number of raw points appended so far (finite ones). */
export function seriesAppended(s: Series): number {
  return s.state.appended;
}

/** Moves the oldest SLACK raw points into buckets and rebuilds x/y. O(MAX_POINTS). */
function fold(s: Series): void {
  const st = s.state;
  const end = st.recentStart + SLACK;
  for (let i = st.recentStart; i < end; i++) addToPending(st, s.x[i]!, s.y[i]!);

  const x = st.oldX.slice();
  const y = st.oldY.slice();
  pushPending(st, x, y);
  const recentStart = x.length;
  for (let i = end; i < s.x.length; i++) {
    x.push(s.x[i]!);
    y.push(s.y[i]!);
  }
  s.x = x;
  s.y = y;
  st.recentStart = recentStart;
}

function addToPending(st: SeriesState, x: number, y: number): void {
  if (st.pendingCount === 0) {
    st.pendingMinX = st.pendingMaxX = x;
    st.pendingMinY = st.pendingMaxY = y;
  } else {
    // Strict comparisons keep the earliest point among equal extremes.
    if (y < st.pendingMinY) {
      st.pendingMinX = x;
      st.pendingMinY = y;
    }
    if (y > st.pendingMaxY) {
      st.pendingMaxX = x;
      st.pendingMaxY = y;
    }
  }
  st.pendingCount++;
  // A constant bucket has min and max at the same point: use the bucket's last point as its "max" so the
  // bucket still spans its width with two distinct points.
  if (st.pendingCount === st.bucketWidth) {
    if (st.pendingMinX === st.pendingMaxX) {
      st.pendingMaxX = x;
      st.pendingMaxY = y;
    }
    pushPending(st, st.oldX, st.oldY);
    st.pendingCount = 0;
    if (st.oldX.length >= 2 * MAX_BUCKETS) mergeBuckets(st);
  }
}

/** Writes the pending bucket (≤ 2 points, in x order) to the end of x/y. */
function pushPending(st: SeriesState, x: number[], y: number[]): void {
  if (st.pendingCount === 0) return;
  if (st.pendingMinX === st.pendingMaxX) {
    x.push(st.pendingMinX);
    y.push(st.pendingMinY);
  } else if (st.pendingMinX < st.pendingMaxX) {
    x.push(st.pendingMinX, st.pendingMaxX);
    y.push(st.pendingMinY, st.pendingMaxY);
  } else {
    x.push(st.pendingMaxX, st.pendingMinX);
    y.push(st.pendingMaxY, st.pendingMinY);
  }
}

/**
 * Merges completed buckets pairwise: every 4 points (two buckets) → the min and max of the four, in x order
 * (the first and last of them when all four are equal). Halves the old part; W doubles.
 */
function mergeBuckets(st: SeriesState): void {
  const { oldX, oldY } = st;
  let w = 0;
  for (let r = 0; r + 3 < oldX.length; r += 4) {
    let lo = r;
    let hi = r;
    for (let k = r + 1; k < r + 4; k++) {
      if (oldY[k]! < oldY[lo]!) lo = k;
      if (oldY[k]! > oldY[hi]!) hi = k;
    }
    if (lo === hi) hi = r + 3;
    const a = Math.min(lo, hi);
    const b = Math.max(lo, hi);
    const ax = oldX[a]!;
    const ay = oldY[a]!;
    const bx = oldX[b]!;
    const by = oldY[b]!;
    oldX[w] = ax;
    oldY[w] = ay;
    oldX[w + 1] = bx;
    oldY[w + 1] = by;
    w += 2;
  }
  oldX.length = w;
  oldY.length = w;
  st.bucketWidth *= 2;
}
