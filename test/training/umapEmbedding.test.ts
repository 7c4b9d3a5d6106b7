/**
 * The map's UMAP (umap-js, seeded): the same activations and seed give the same embedding, bit for bit;
 * it separates MNIST's pixels far better than their PCA does (the point of a neighbour embedding); a second
 * fit is turned to match the first; a new point lands among its own kind.
 */
import { describe, expect, it } from 'vitest';
import { toFloatPixels } from '../../src/engine/evaluate';
import { knnAccuracy } from '../../src/engine/mapNeighbours';
import { pca2 } from '../../src/engine/pca';
import type { UmapReply } from '../../src/protocol/umap';
import { UmapEmbedding } from '../../src/training/umapEmbedding';
import { mnistSlice } from './harness';

const N = 400;
const test = mnistSlice(10, N).test;
const x = new Float32Array(N * 784);
toFloatPixels(test.images, 0, N * 784, x);
const labels = test.labels.slice(0, N);

function fit(previous: Float32Array | null = null, seed = 7) {
  const replies: UmapReply[] = [];
  const u = new UmapEmbedding(() => performance.now());
  u.handle({ type: 'fit', seq: 1, data: x, n: N, dim: 784, labels, seed, previous }, (r) => replies.push(r));
  const fitted = replies.find((r) => r.type === 'fitted');
  if (!fitted || fitted.type !== 'fitted')
    throw new Error(JSON.stringify(replies.find((r) => r.type === 'error')));
  return { u, fitted, progress: replies.filter((r) => r.type === 'progress') };
}

describe('the map’s UMAP', () => {
  it('is seeded, separates the pixels far better than PCA, and places a new point among its kind', () => {
    const a = fit();
    const b = fit();
    expect(Array.from(b.fitted.coords)).toEqual(Array.from(a.fitted.coords));
    expect(a.progress.length).toBeGreaterThan(2);
    const pca = knnAccuracy(pca2(x, N, 784).coords, labels, N);
    expect(a.fitted.knn).toBeGreaterThan(pca + 0.2);
    // The first image, placed anew: nearer the centroid of its own class than of most others.
    const placed: UmapReply[] = [];
    a.u.handle({ type: 'place', seq: 2, vector: x.subarray(0, 784) }, (r) => placed.push(r));
    const p = placed[0]!;
    if (p.type !== 'placed') throw new Error(JSON.stringify(p));
    const dist = (c: number) => {
      let sx = 0;
      let sy = 0;
      let k = 0;
      for (let i = 0; i < N; i++)
        if (labels[i] === c) {
          sx += a.fitted.coords[2 * i]!;
          sy += a.fitted.coords[2 * i + 1]!;
          k++;
        }
      return Math.hypot(p.x - sx / k, p.y - sy / k);
    };
    const own = dist(labels[0]!);
    expect(Array.from({ length: 10 }, (_, c) => dist(c)).filter((d) => d < own).length).toBeLessThanOrEqual(
      2,
    );
  });

  it('a fit from another seed is turned to match the one shown before', () => {
    const a = fit();
    const other = fit(null, 8).fitted.coords;
    const turned = fit(a.fitted.coords, 8).fitted.coords;
    const gap = (c: Float32Array) => c.reduce((s, v, i) => s + (v - a.fitted.coords[i]!) ** 2, 0);
    expect(gap(turned)).toBeLessThanOrEqual(gap(other));
  });
});
