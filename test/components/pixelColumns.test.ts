import { describe, expect, it } from 'vitest';
import { columnPoints, spacedMarks } from '../../src/components/canvas/pixelColumns';

/** Per integer column: the [min, max] of y over the segments of the polyline within it (sampled finely). */
function extents(xs: ArrayLike<number>, ys: ArrayLike<number>, n: number): Map<number, [number, number]> {
  const m = new Map<number, [number, number]>();
  const note = (x: number, y: number) => {
    const c = Math.floor(x);
    const e = m.get(c);
    if (!e) m.set(c, [y, y]);
    else m.set(c, [Math.min(e[0], y), Math.max(e[1], y)]);
  };
  for (let i = 0; i < n; i++) {
    note(xs[i]!, ys[i]!);
    if (i + 1 < n) {
      for (let t = 1; t < 64; t++) {
        const f = t / 64;
        note(xs[i]! + f * (xs[i + 1]! - xs[i]!), ys[i]! + f * (ys[i + 1]! - ys[i]!));
      }
    }
  }
  return m;
}

describe('columnPoints (M4: first, min, max, last per pixel column)', () => {
  it('keeps at most four points a column, in their order, with every extreme, first and last', () => {
    // 4,000 noisy points over 300 px: what the loss chart holds when full.
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const n = 4000;
    const xs = Array.from({ length: n }, (_, i) => 20 + (i * 300) / n);
    const ys = Array.from({ length: n }, (_, i) => 200 - 150 * Math.exp(-i / 800) + 30 * rand());
    const c = columnPoints(
      n,
      (i) => xs[i]!,
      (i) => ys[i]!,
    );
    expect(c.count).toBeLessThanOrEqual(4 * 301);
    expect(c.count).toBeGreaterThan(2 * 300);
    // In order, each an original point.
    for (let i = 1; i < c.count; i++) expect(c.x[i]!).toBeGreaterThanOrEqual(c.x[i - 1]!);
    expect([c.x[0], c.y[0]]).toEqual([xs[0], ys[0]]);
    expect([c.x[c.count - 1], c.y[c.count - 1]]).toEqual([xs[n - 1], ys[n - 1]]);
    // Every column spans what the full polyline spans there.
    const full = extents(xs, ys, n);
    const reduced = extents(c.x, c.y, c.count);
    for (const [col, [lo, hi]] of full) {
      const r = reduced.get(col)!;
      expect(r[0]).toBeCloseTo(lo, 6);
      expect(r[1]).toBeCloseTo(hi, 6);
    }
  });

  it('leaves a sparse line alone; columns are device pixels at a ratio of 2', () => {
    const xs = [0, 10, 20.2, 20.7, 30];
    const ys = [5, 1, 9, 2, 4];
    const one = columnPoints(
      xs.length,
      (i) => xs[i]!,
      (i) => ys[i]!,
    );
    expect(Array.from(one.x.subarray(0, one.count))).toEqual([0, 10, 20.2, 20.7, 30]);
    // At ratio 1, 20.2 and 20.7 share a column (kept: both, as its first/max and last/min); at 2 they do not.
    const two = columnPoints(
      xs.length,
      (i) => xs[i]!,
      (i) => ys[i]!,
      2,
    );
    expect(two.count).toBe(5);
    const many = [0, 0.1, 0.2, 0.3, 0.4];
    const vs = [3, 1, 4, 1, 5];
    const c = columnPoints(
      5,
      (i) => many[i]!,
      (i) => vs[i]!,
    );
    // first (3), min (1, the first one at 0.1), max (5, also the last): three points.
    expect(Array.from(c.y.subarray(0, c.count))).toEqual([3, 1, 5]);
    expect(
      columnPoints(
        0,
        () => 0,
        () => 0,
      ).count,
    ).toBe(0);
  });

  it('reuses its buffers', () => {
    const into = { x: new Float64Array(0), y: new Float64Array(0), count: 0 };
    const a = columnPoints(
      100,
      (i) => i,
      (i) => i % 3,
      1,
      into,
    );
    expect(a).toBe(into);
    expect(a.count).toBe(100);
    const b = columnPoints(
      3,
      (i) => i,
      () => 1,
      1,
      into,
    );
    expect(b.count).toBe(3);
  });
});

describe('spacedMarks', () => {
  it('keeps the newest mark and marks at least the gap apart, walking back', () => {
    expect(spacedMarks([0, 2, 4, 6, 8, 10], 4)).toEqual([1, 3, 5]);
    expect(spacedMarks([0, 10, 20], 6)).toEqual([0, 1, 2]);
    expect(spacedMarks([], 6)).toEqual([]);
    const pos = Array.from({ length: 500 }, (_, i) => i * 0.6);
    const kept = spacedMarks(pos, 6);
    expect(kept.at(-1)).toBe(499);
    for (let k = 1; k < kept.length; k++)
      expect(pos[kept[k]!]! - pos[kept[k - 1]!]!).toBeGreaterThanOrEqual(6);
    expect(kept.length).toBe(50);
  });
});
