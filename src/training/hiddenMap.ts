/**
 * The representation map: one layer's activations for a fixed, seeded set of test images, projected to 2-D
 * by PCA (engine/pca.ts), aligned to the previous map of that layer (engine/mapAlign.ts) so the picture moves
 * instead of flipping, and scored by the 5-NN accuracy in the map (engine/mapNeighbours.ts).
 *
 * The weights are copied into a replica network when the job starts, so training steps that run between its
 * pieces (training/backgroundWork.ts) do not mix two moments into one map. Each piece forwards a number of
 * rows fixed by the network's size (≈ MAP_PIECE_FLOPS of work), then yields.
 */
import type { Split } from '../data/dataset.ts';
import { argmaxRow, toFloatPixels } from '../engine/evaluate.ts';
import { applyToAxes, applyToPoints, procrustes2 } from '../engine/mapAlign.ts';
import { knnAccuracy } from '../engine/mapNeighbours.ts';
import { Network, layerSizes, type NetworkParams } from '../engine/network.ts';
import { pca2, type Pca2 } from '../engine/pca.ts';
import { Rng } from '../engine/rng.ts';
import type { HiddenMap, MapLayer, WorkerEvent } from '../protocol/messages.ts';
import type { BackgroundJob } from './backgroundWork.ts';
import type { Clock } from './clock.ts';
import type { TrainingSession } from './session.ts';
import type { Moment } from './timeline.ts';

/** Test images on the map (the 2,000): enough for clusters to show, a few ms of 5-NN. */
export const MAP_IMAGES = 2000;
/** Seed of their choice: fixed, so every run and every layer shows the same images. */
export const MAP_SEED = 0x3a9;
/** Multiply-adds ×2 per piece of the forward: ~10 ms on one core at 3 GFLOP/s. */
export const MAP_PIECE_FLOPS = 30e6;

/** `count` distinct test indices drawn with a seeded RNG, ascending (all of them for a smaller split). */
export function mapIndices(testCount: number, count = MAP_IMAGES, seed = MAP_SEED): Int32Array {
  const n = Math.min(count, testCount);
  const rng = new Rng(seed);
  const chosen = new Set<number>();
  while (chosen.size < n) chosen.add(rng.nextInt(testCount));
  return Int32Array.from([...chosen].sort((a, b) => a - b));
}

/** The layer's width: pixels, a hidden layer's units, or the classes. Throws a RangeError for none. */
export function mapLayerSize(sizes: readonly number[], layer: MapLayer): number {
  if (layer === 'input') return sizes[0]!;
  if (layer === 'output') return sizes[sizes.length - 1]!;
  if (!(Number.isInteger(layer) && layer >= 0 && layer < sizes.length - 2)) {
    throw new RangeError(`There is no hidden layer ${String(layer)}.`);
  }
  return sizes[layer + 1]!;
}

const layerKey = (layer: MapLayer) => String(layer);

/** What the worker keeps between maps: the last map of each layer (warm start, alignment) and the replica. */
export class MapMemory {
  private readonly last = new Map<string, { pca: Pca2; indices: Int32Array }>();
  private replica: Network | null = null;

  /** Forgets every map (a new dataset: other images). */
  clear(): void {
    this.last.clear();
    this.replica = null;
  }

  previous(layer: MapLayer, size: number, indices: Int32Array): Pca2 | null {
    const p = this.last.get(layerKey(layer));
    if (!p || p.pca.mean.length !== size || p.indices.length !== indices.length) return null;
    return p.indices.every((v, i) => v === indices[i]) ? p.pca : null;
  }

  remember(layer: MapLayer, indices: Int32Array, pca: Pca2): void {
    this.last.set(layerKey(layer), { pca, indices });
  }

  /**
   * A network of `session`'s shape holding a copy of its weights now (or of `params`, a kept moment's),
   * `rows` rows at a time.
   */
  replicaOf(session: TrainingSession, rows: number, params?: NetworkParams): Network {
    const c = session.network.config;
    const r = this.replica;
    const same =
      r &&
      r.maxBatch === rows &&
      r.config.activation === c.activation &&
      layerSizes(r.config).join() === layerSizes(c).join();
    const net = same ? r : Network.create(c, rows);
    net.setParams(params ?? session.network.getParams());
    this.replica = net;
    return net;
  }
}

/** Rows per piece: a fixed bound on the work (never the clock), 8 to 256. */
export function mapPieceRows(sizes: readonly number[]): number {
  let perRow = 0;
  for (let l = 0; l + 1 < sizes.length; l++) perRow += 2 * sizes[l]! * sizes[l + 1]!;
  return Math.max(8, Math.min(256, Math.floor(MAP_PIECE_FLOPS / perRow)));
}

export interface MapJobSpec {
  id: number;
  layer: MapLayer;
  withImages: boolean;
  withActivations?: boolean;
  /** A kept moment to map instead of now (the timeline): its weights, step and epoch. */
  moment?: Moment;
}

/**
 * One map, computed piece by piece. `stillValid` says whether the run it was asked of still exists (a
 * rebuild ends the job with an error the page ignores); `post` sends the answer.
 */
export class MapJob implements BackgroundJob {
  private readonly net: Network;
  private readonly rows: number;
  private readonly size: number;
  private readonly data: Float32Array;
  private readonly predicted: Uint8Array;
  private readonly labels: Uint8Array;
  private readonly x: Float32Array;
  private readonly step: number;
  private readonly epoch: number;
  private cursor = 0;
  private spentMs = 0;

  constructor(
    private readonly spec: MapJobSpec,
    session: TrainingSession,
    private readonly test: Split,
    private readonly indices: Int32Array,
    private readonly memory: MapMemory,
    private readonly clock: Clock,
    private readonly generation: number,
    private readonly stillValid: () => boolean,
    private readonly post: (event: WorkerEvent, transfer?: ArrayBuffer[]) => void,
  ) {
    const sizes = layerSizes(session.network.config);
    this.size = mapLayerSize(sizes, spec.layer);
    this.rows = mapPieceRows(sizes);
    this.net = memory.replicaOf(session, this.rows, spec.moment?.params);
    const n = indices.length;
    this.data = new Float32Array(n * this.size);
    this.predicted = new Uint8Array(n);
    this.labels = Uint8Array.from(indices, (i) => test.labels[i]!);
    this.x = new Float32Array(this.rows * sizes[0]!);
    this.step = spec.moment?.step ?? session.step;
    this.epoch = spec.moment?.epoch ?? session.epoch;
  }

  work(deadline: number): boolean {
    if (!this.stillValid()) throw new Error('The network changed while its map was computed.');
    const t0 = this.clock.now();
    const n = this.indices.length;
    const px = this.test.rows * this.test.cols;
    const classes = this.net.config.outputSize;
    do {
      const rows = Math.min(this.rows, n - this.cursor);
      for (let r = 0; r < rows; r++) {
        toFloatPixels(this.test.images, this.indices[this.cursor + r]! * px, px, this.x, r * px);
      }
      const probabilities = this.net.forward(this.x, rows);
      const layer = this.spec.layer;
      const source =
        layer === 'input'
          ? this.x
          : layer === 'output'
            ? this.net.lastLogits()
            : this.net.layerOutputs()[layer + 1]!;
      this.data.set(source.subarray(0, rows * this.size), this.cursor * this.size);
      for (let r = 0; r < rows; r++) this.predicted[this.cursor + r] = argmaxRow(probabilities, r, classes);
      this.cursor += rows;
    } while (this.cursor < n && this.clock.now() < deadline);
    this.spentMs += this.clock.now() - t0;
    if (this.cursor < n) return false;
    this.finish();
    return true;
  }

  private finish(): void {
    const t0 = this.clock.now();
    const { layer } = this.spec;
    const n = this.indices.length;
    const previous = this.memory.previous(layer, this.size, this.indices);
    // The pixels never change: their map is computed once per dataset.
    let pca: Pca2;
    if (layer === 'input' && previous) pca = previous;
    else {
      pca = pca2(this.data, n, this.size, previous ? { start: previous.axes } : {});
      if (previous) {
        const r = procrustes2(pca.coords, previous.coords, n);
        applyToPoints(pca.coords, r);
        pca.axes = applyToAxes(pca.axes, r);
      }
      this.memory.remember(layer, this.indices, pca);
    }
    const knn = knnAccuracy(pca.coords, this.labels, n);
    this.spentMs += this.clock.now() - t0;
    const answer: HiddenMap = {
      layer,
      step: this.step,
      epoch: this.epoch,
      size: this.size,
      indices: this.indices.slice(),
      labels: this.labels,
      predicted: this.predicted,
      coords: pca.coords.slice(),
      mean: pca.mean.slice(),
      axes: [pca.axes[0].slice(), pca.axes[1].slice()],
      variance: pca.variance,
      totalVariance: pca.totalVariance,
      knn,
      computeMs: this.spentMs,
      rows: this.test.rows,
      cols: this.test.cols,
    };
    const transfer = [
      answer.indices.buffer,
      answer.labels.buffer,
      answer.predicted.buffer,
      answer.coords.buffer,
      answer.mean.buffer,
      answer.axes[0].buffer,
      answer.axes[1].buffer,
    ] as ArrayBuffer[];
    if (this.spec.withActivations) {
      answer.activations = this.data;
      transfer.push(this.data.buffer as ArrayBuffer);
    }
    if (this.spec.withImages) {
      const px = this.test.rows * this.test.cols;
      const images = new Uint8Array(n * px);
      this.indices.forEach((idx, k) =>
        images.set(this.test.images.subarray(idx * px, (idx + 1) * px), k * px),
      );
      answer.images = images;
      transfer.push(images.buffer as ArrayBuffer);
    }
    this.post(
      { type: 'hidden-map-result', id: this.spec.id, generation: this.generation, ...answer },
      transfer,
    );
  }

  fail(error: unknown): void {
    const message =
      error === undefined
        ? 'A newer map was asked for.'
        : error instanceof Error
          ? error.message
          : String(error);
    this.post({ type: 'error', id: this.spec.id, error: { kind: 'map-cancelled', message } });
  }
}
