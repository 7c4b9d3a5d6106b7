/**
 * The representation map's UMAP (McInnes et al. 2018) through umap-js (PAIR's well-kept implementation,
 * pinned): seeded with our Rng, so the same activations give the same picture; the embedding centred and
 * turned to match the one shown before (Procrustes, engine/mapAlign.ts) so the picture moves instead of
 * flipping; a new point (the drawing) placed where UMAP's transform starts it — the mean of its nearest
 * images' places, weighted by UMAP's membership strengths (umap-js's own transform did not finish for a
 * single point here; see placeNew). Runs on a thread
 * of its own (worker/umap.worker.ts): a fit takes seconds, and its neighbour search cannot be cut into
 * the training worker's pieces.
 */
import { UMAP } from 'umap-js';
import { applyToPoints, IDENTITY, procrustes2 } from '../engine/mapAlign';
import { knnAccuracy } from '../engine/mapNeighbours';
import { Rng } from '../engine/rng';
import type { UmapReply, UmapRequest } from '../protocol/umap';

/** UMAP's usual settings: 15 neighbours, min_dist 0.1; 200 epochs (umap-learn's for large sets is 200). */
export const UMAP_NEIGHBOURS = 15;
export const UMAP_MIN_DIST = 0.1;
export const UMAP_EPOCHS = 200;
/** Progress messages every this many epochs. */
const PROGRESS_EVERY = 20;

export class UmapEmbedding {
  /** The last fit: its data and its (centred, turned) places, for placing new points. */
  private fitted: { data: Float32Array; n: number; dim: number; coords: Float32Array } | null = null;

  constructor(private readonly now: () => number) {}

  handle(msg: UmapRequest, post: (reply: UmapReply, transfer?: ArrayBuffer[]) => void): void {
    try {
      if (msg.type === 'fit') this.fit(msg, post);
      else this.place(msg, post);
    } catch (e) {
      post({ type: 'error', seq: msg.seq, message: e instanceof Error ? e.message : String(e) });
    }
  }

  private fit(
    msg: Extract<UmapRequest, { type: 'fit' }>,
    post: (r: UmapReply, t?: ArrayBuffer[]) => void,
  ): void {
    const t0 = this.now();
    const { n, dim, data } = msg;
    const rows = Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * dim, (i + 1) * dim)));
    const rng = new Rng(msg.seed);
    const umap = new UMAP({
      nComponents: 2,
      nNeighbors: Math.min(UMAP_NEIGHBOURS, Math.max(2, n - 1)),
      minDist: UMAP_MIN_DIST,
      nEpochs: UMAP_EPOCHS,
      random: () => rng.next(),
    });
    const epochs = umap.initializeFit(rows);
    for (let e = 0; e < epochs; e++) {
      umap.step();
      if ((e + 1) % PROGRESS_EVERY === 0) post({ type: 'progress', seq: msg.seq, epoch: e + 1, epochs });
    }
    const embedding = umap.getEmbedding();
    const coords = new Float32Array(2 * n);
    let cx = 0;
    let cy = 0;
    embedding.forEach(([x, y]) => {
      cx += x! / n;
      cy += y! / n;
    });
    embedding.forEach(([x, y], i) => {
      coords[2 * i] = x! - cx;
      coords[2 * i + 1] = y! - cy;
    });
    const turn =
      msg.previous && msg.previous.length === coords.length ? procrustes2(coords, msg.previous, n) : IDENTITY;
    applyToPoints(coords, turn);
    this.fitted = { data, n, dim, coords: coords.slice() };
    const knn = knnAccuracy(coords, msg.labels, n);
    post({ type: 'fitted', seq: msg.seq, coords, knn, ms: this.now() - t0 }, [coords.buffer as ArrayBuffer]);
  }

  private place(msg: Extract<UmapRequest, { type: 'place' }>, post: (r: UmapReply) => void): void {
    const fitted = this.fitted;
    if (!fitted) throw new Error('No UMAP has been fitted yet.');
    const [x, y] = placeNew(fitted.data, fitted.n, fitted.dim, fitted.coords, msg.vector, UMAP_NEIGHBOURS);
    post({ type: 'placed', seq: msg.seq, x, y });
  }
}

/**
 * Where a new point goes in an embedding of n points: UMAP's initial placement of transformed points (its
 * `init_transform`): the mean of its k nearest points' places (Euclidean, in the original space), weighted
 * by the membership exp(−(dᵢ − ρ)/σ), ρ the nearest distance and σ their spread beyond it.
 */
export function placeNew(
  data: Float32Array,
  n: number,
  dim: number,
  coords: Float32Array,
  vector: Float32Array,
  k: number,
): [number, number] {
  const kk = Math.max(1, Math.min(k, n));
  const bestD = new Float64Array(kk).fill(Infinity);
  const bestI = new Int32Array(kk).fill(-1);
  for (let i = 0; i < n; i++) {
    let d = 0;
    const o = i * dim;
    for (let j = 0; j < dim; j++) {
      const t = data[o + j]! - vector[j]!;
      d += t * t;
    }
    if (d >= bestD[kk - 1]!) continue;
    let p = kk - 1;
    while (p > 0 && bestD[p - 1]! > d) {
      bestD[p] = bestD[p - 1]!;
      bestI[p] = bestI[p - 1]!;
      p--;
    }
    bestD[p] = d;
    bestI[p] = i;
  }
  const dist = Array.from(bestD, Math.sqrt);
  const rho = dist[0]!;
  const sigma = Math.max(1e-12, dist.reduce((s, v) => s + (v - rho), 0) / kk);
  let wx = 0;
  let wy = 0;
  let w = 0;
  for (let t = 0; t < kk; t++) {
    if (bestI[t]! < 0) continue;
    const weight = Math.exp(-(dist[t]! - rho) / sigma);
    wx += weight * coords[2 * bestI[t]!]!;
    wy += weight * coords[2 * bestI[t]! + 1]!;
    w += weight;
  }
  return w > 0 ? [wx / w, wy / w] : [0, 0];
}
