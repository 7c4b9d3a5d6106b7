/**
 * PCA to 2-D against the definition (the axes are the covariance's top eigenvectors: Σa = λa, the variance
 * along each is λ, λ₀ ≥ λ₁ ≥ every other direction's), on data with a known structure and on MNIST pixels,
 * where the 5-NN accuracy in the map is the numpy reference (0.39 on the first 2,000 test images).
 */
import { describe, expect, it } from 'vitest';
import { knnAccuracy } from '../../src/engine/mapNeighbours';
import { pca2, projectPoint } from '../../src/engine/pca';
import { Rng } from '../../src/engine/rng';
import { mnistSlice } from '../training/harness';

/** Σ·v for the data's covariance, without forming Σ (float64). */
function covTimes(
  data: Float32Array,
  n: number,
  d: number,
  mean: Float32Array,
  v: Float32Array,
): Float64Array {
  const out = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    let p = 0;
    for (let j = 0; j < d; j++) p += (data[r * d + j]! - mean[j]!) * v[j]!;
    for (let j = 0; j < d; j++) out[j]! += ((data[r * d + j]! - mean[j]!) * p) / n;
  }
  return out;
}

/** Points spread σ = 5, 3, 1, 0.5 along four orthogonal directions of a 6-D space, plus an offset. */
function knownData(n: number): { data: Float32Array; dirs: number[][] } {
  const rng = new Rng(7);
  const s = Math.SQRT1_2;
  const dirs = [
    [s, s, 0, 0, 0, 0],
    [0, 0, 1, 0, 0, 0],
    [s, -s, 0, 0, 0, 0],
    [0, 0, 0, 0, 1, 0],
  ];
  const sigma = [5, 3, 1, 0.5];
  const data = new Float32Array(n * 6);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < 6; j++) data[r * 6 + j] = 10 + j;
    for (let k = 0; k < 4; k++) {
      const c = rng.normal() * sigma[k]!;
      for (let j = 0; j < 6; j++) data[r * 6 + j]! += c * dirs[k]![j]!;
    }
  }
  return { data, dirs };
}

describe('pca2', () => {
  it('finds the two directions of largest spread, their variances, and coordinates that are the projections', () => {
    const n = 3000;
    const { data, dirs } = knownData(n);
    const p = pca2(data, n, 6);
    const dot = (a: ArrayLike<number>, b: ArrayLike<number>) =>
      Array.from(a).reduce((s, v, i) => s + v * b[i]!, 0);
    expect(Math.abs(dot(p.axes[0], dirs[0]!))).toBeGreaterThan(0.999);
    expect(Math.abs(dot(p.axes[1], dirs[1]!))).toBeGreaterThan(0.999);
    expect(Math.abs(dot(p.axes[0], p.axes[1]))).toBeLessThan(1e-6);
    expect(p.variance[0]).toBeGreaterThan(p.variance[1]);
    expect(p.variance[0]).toBeCloseTo(25, -0.5);
    expect(p.variance[1]).toBeCloseTo(9, -0.3);
    // Σa = λa for both axes, λ the variance reported.
    for (const k of [0, 1] as const) {
      const sa = covTimes(data, n, 6, p.mean, p.axes[k]);
      for (let j = 0; j < 6; j++) expect(sa[j]!).toBeCloseTo(p.variance[k] * p.axes[k][j]!, 3);
    }
    // Each point's coordinates are its projection (the drawing is placed the same way).
    for (const r of [0, 1, 1234, n - 1]) {
      const [x, y] = projectPoint(p, data.subarray(r * 6, (r + 1) * 6));
      expect(p.coords[2 * r]).toBeCloseTo(x, 4);
      expect(p.coords[2 * r + 1]).toBeCloseTo(y, 4);
    }
    expect(p.totalVariance).toBeCloseTo(25 + 9 + 1 + 0.25, -0.5);
  });

  it('a warm start from the answer converges at once to the same map', () => {
    const { data } = knownData(500);
    const a = pca2(data, 500, 6);
    const b = pca2(data, 500, 6, { start: a.axes });
    expect(b.iterations).toBeLessThanOrEqual(2);
    for (let i = 0; i < 20; i++) expect(Math.abs(b.coords[i]!)).toBeCloseTo(Math.abs(a.coords[i]!), 4);
  });

  it('data of rank one or zero still gives two orthonormal axes', () => {
    const n = 50;
    const flat = new Float32Array(n * 4).fill(3);
    const line = new Float32Array(n * 4);
    for (let r = 0; r < n; r++) line.set([r, 2 * r, 0, 0], r * 4);
    for (const data of [flat, line]) {
      const p = pca2(data, n, 4);
      const norm = (v: Float32Array) => Math.hypot(...v);
      expect(norm(p.axes[0])).toBeCloseTo(1, 5);
      expect(norm(p.axes[1])).toBeCloseTo(1, 5);
      expect(Array.from(p.coords).every(Number.isFinite)).toBe(true);
    }
    expect(() => pca2(new Float32Array(3), 2, 2)).toThrow(RangeError);
  });

  it('MNIST pixels, the first 2,000 test images: 5-NN in the PCA map ≈ 0.39 (numpy’s figure)', () => {
    const test = mnistSlice(10, 2000).test;
    const n = 2000;
    const x = Float32Array.from(test.images, (v) => v / 255);
    const p = pca2(x, n, 784);
    // MNIST's first two components keep ~17 % of the pixels' variance (9.7 % and 7.1 % on the training set).
    const kept = (p.variance[0] + p.variance[1]) / p.totalVariance;
    expect(kept).toBeGreaterThan(0.14);
    expect(kept).toBeLessThan(0.2);
    expect(knnAccuracy(p.coords, test.labels, n)).toBeCloseTo(0.39, 1);
  });
});
