import { describe, expect, it } from 'vitest';
import { appendSeries, createSeries, MAX_POINTS, RECENT_POINTS, type Series } from '../../src/store/series';

/** A deterministic noisy loss curve: decaying mean + LCG noise, with rare spikes. */
function lossCurve(n: number, seed = 12345): { xs: Float64Array; ys: Float64Array } {
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const noise = s / 4294967296 - 0.5;
    xs[i] = i + 1;
    ys[i] = 2.3 * Math.exp(-i / 50_000) + 0.1 + 0.2 * noise;
  }
  return { xs, ys };
}

function checkIncreasing(s: Series): void {
  for (let i = 1; i < s.x.length; i++) {
    if (!(s.x[i]! > s.x[i - 1]!)) throw new Error(`x not increasing at ${i}: ${s.x[i - 1]} then ${s.x[i]}`);
  }
}

describe('appendSeries', () => {
  it('keeps everything exactly while small', () => {
    const s = createSeries();
    appendSeries(s, [1, 2, 3], [0.5, 0.25, 0.125]);
    appendSeries(s, [4], [1]);
    expect(s.x).toEqual([1, 2, 3, 4]);
    expect(s.y).toEqual([0.5, 0.25, 0.125, 1]);
  });

  it('never stores non-finite values nor non-increasing x', () => {
    const s = createSeries();
    appendSeries(s, [1, 2, 3, 4, 5, 5, 4], [0.5, NaN, Infinity, -Infinity, 0.3, 0.2, 0.1]);
    expect(s.x).toEqual([1, 5]);
    expect(s.y).toEqual([0.5, 0.3]);
  });

  it('an hour-long run of 1M points stays ≤ MAX_POINTS, recent exact, min/max preserved', () => {
    const n = 1_000_000;
    const { xs, ys } = lossCurve(n);
    // Plant spikes in the far past and the middle, and a minimum early on.
    ys[1234] = 50;
    ys[400_000] = 9;
    ys[777] = -3;
    const s = createSeries();
    let maxLen = 0;
    // Arrive in metric-event-sized chunks, checking the bound after each one.
    for (let i = 0; i < n; i += 97) {
      const end = Math.min(n, i + 97);
      appendSeries(s, xs.subarray(i, end), ys.subarray(i, end));
      maxLen = Math.max(maxLen, s.x.length);
    }
    expect(maxLen).toBeLessThanOrEqual(MAX_POINTS);
    expect(s.x.length).toBe(s.y.length);
    // Worth drawing: not collapsed to a handful of points.
    expect(s.x.length).toBeGreaterThan(MAX_POINTS / 2);
    checkIncreasing(s);

    // The last RECENT_POINTS raw points are stored exactly, in order, at the end.
    const tailX = s.x.slice(-RECENT_POINTS);
    const tailY = s.y.slice(-RECENT_POINTS);
    expect(tailX).toEqual(Array.from(xs.subarray(n - RECENT_POINTS)));
    expect(tailY).toEqual(Array.from(ys.subarray(n - RECENT_POINTS)));

    // The global min and max (and the mid-run spike) survive downsampling, at their exact x.
    const iMax = s.y.indexOf(50);
    expect(iMax).toBeGreaterThanOrEqual(0);
    expect(s.x[iMax]).toBe(1235);
    expect(s.x[s.y.indexOf(-3)]).toBe(778);
    expect(s.x[s.y.indexOf(9)]).toBe(400_001);
    expect(Math.min(...s.y)).toBe(-3);
    expect(Math.max(...s.y)).toBe(50);

    // Every stored point is a real point of the input (x → y matches).
    for (let i = 0; i < s.x.length; i += 37) expect(s.y[i]).toBe(ys[s.x[i]! - 1]);

    // The old part has uniform resolution: the first half of the run holds roughly as many points as
    // the second half's old part (no exponential thinning of the distant past).
    const half = n / 2;
    const firstHalf = s.x.filter((x) => x <= half).length;
    const secondHalfOld = s.x.filter((x) => x > half && x <= n - 2 * RECENT_POINTS).length;
    expect(firstHalf).toBeGreaterThan(0.7 * secondHalfOld);
    expect(firstHalf).toBeLessThan(1.3 * secondHalfOld);

    // The first point of the run is still the first drawn point's bucket (the curve starts at the start).
    expect(s.x[0]).toBeLessThanOrEqual(1 + 2 * 1024);
  });

  it('is bounded for a constant series too, and keeps spanning the whole run', () => {
    const s = createSeries();
    const n = 200_000;
    const xs = new Float64Array(n).map((_, i) => i + 1);
    const ys = new Float64Array(n).fill(0.5);
    appendSeries(s, xs, ys);
    expect(s.x.length).toBeLessThanOrEqual(MAX_POINTS);
    checkIncreasing(s);
    expect(s.x[0]).toBe(1);
    expect(s.x[s.x.length - 1]).toBe(n);
    expect(new Set(s.y)).toEqual(new Set([0.5]));
  });
});
