/**
 * Drawing many points in few pixels: what a chart actually needs of a long series. Pure (no canvas),
 * unit-tested.
 *
 * Why: a canvas path of N points costs the browser N segments to stroke, however few pixels they cover.
 * The loss chart holds up to 4,000 points per series in ~400 px, and one epoch mark and two dots per
 * epoch — a run on a small training set ends several epochs a second, so after a minute the chart
 * stroked hundreds of dashed lines and dots on every repaint. Measured in WebKitGTK 2.50 under Xvfb
 * while training (the engines smoke's network, ~60 epochs in): the chart's paint took ~12 ms, an eighth
 * of the page's main thread at 15 repaints a second, and it grew with every epoch.
 */

/** Reduced points in pixel space: the first `count` entries of `x` and `y`. */
export interface ColumnPoints {
  x: Float64Array;
  y: Float64Array;
  count: number;
}

/**
 * The points of a polyline that a stroke at one-pixel columns can show (the M4 reduction of Jugel et al.,
 * VLDB 2014): per column of integer x, the first and last point and the lowest and highest, in their
 * original order. A line through these spans, in every column, the same vertical extent as the line through
 * all `n` points, and joins the columns where that line does — so the stroke looks the same.
 *
 * @param px the i-th point's x in CSS pixels (increasing in i)  @param py its y
 * @param perPixel columns per CSS pixel (the device pixel ratio: columns are device pixels)
 * @param into reused between calls (grown when needed)
 */
export function columnPoints(
  n: number,
  px: (i: number) => number,
  py: (i: number) => number,
  perPixel = 1,
  into?: ColumnPoints,
): ColumnPoints {
  const out = into ?? { x: new Float64Array(0), y: new Float64Array(0), count: 0 };
  out.count = 0;
  let i = 0;
  while (i < n) {
    const column = Math.floor(px(i) * perPixel);
    const first = i;
    let lo = i;
    let hi = i;
    let loY = py(i);
    let hiY = loY;
    let last = i;
    for (i++; i < n && Math.floor(px(i) * perPixel) === column; i++) {
      const v = py(i);
      if (v < loY) {
        loY = v;
        lo = i;
      }
      if (v > hiY) {
        hiY = v;
        hi = i;
      }
      last = i;
    }
    // first ≤ min(lo, hi) ≤ max(lo, hi) ≤ last, each once.
    const a = Math.min(lo, hi);
    const b = Math.max(lo, hi);
    push(out, px, py, first);
    if (a !== first) push(out, px, py, a);
    if (b !== a && b !== first) push(out, px, py, b);
    if (last !== b && last !== first) push(out, px, py, last);
  }
  return out;
}

function push(out: ColumnPoints, px: (i: number) => number, py: (i: number) => number, i: number): void {
  if (out.count === out.x.length) {
    const size = Math.max(64, 2 * out.x.length);
    const x = new Float64Array(size);
    const y = new Float64Array(size);
    x.set(out.x);
    y.set(out.y);
    out.x = x;
    out.y = y;
  }
  out.x[out.count] = px(i);
  out.y[out.count] = py(i);
  out.count++;
}

/**
 * Which of the marks at increasing pixel positions `pos` to draw so that drawn marks are at least `gap`
 * pixels apart: the last one always (the newest epoch's dot), then, walking back, each that is `gap` from
 * the one kept after it. Marks closer than that would overlap into a smear, and each costs a stroke.
 * @returns the indices to draw, increasing.
 */
export function spacedMarks(pos: readonly number[], gap: number): number[] {
  const kept: number[] = [];
  let next = Infinity;
  for (let i = pos.length - 1; i >= 0; i--) {
    if (next - pos[i] >= gap) {
      kept.push(i);
      next = pos[i];
    }
  }
  return kept.reverse();
}
