/**
 * Building a `snapshot` event: copies of the weights and biases, each layer's training and activation
 * stats, and the probe's activations layer by layer. Separate from the trainer's pacing (when a snapshot
 * is due, at most one in flight): this only turns a session's current state into an event and the list
 * of buffers to transfer, or refuses when something is not a finite number.
 */
import type { Split } from '../data/dataset';
import { toFloatPixels } from '../engine/evaluate';
import { activationStats } from '../engine/stats';
import type { LayerSnapshot, WorkerEvent } from '../protocol/messages';
import { probeHealth, type StatsProbe } from './inspection';
import type { TrainingSession } from './session';

export type SnapshotEvent = Extract<WorkerEvent, { type: 'snapshot' }>;

/** Probe images: the first test image (shown), then the first test image of every other class. */
export interface Probe {
  x: Float32Array;
  labels: number[];
  count: number;
}

export function allFinite(a: Float32Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return false;
  return true;
}

function finiteOr0(v: number): number {
  return Number.isFinite(v) ? v : 0;
}

/**
 * The snapshot of `session` (running the probe through its network), or null when a weight, a bias or an
 * activation is not finite: such a network is never drawn.
 */
/** What a snapshot reads: a training session, or a kept moment's weights in a replica (moments.ts). */
export type SnapshotSource = Pick<TrainingSession, 'network' | 'layerStats' | 'step' | 'epoch'>;

export function buildSnapshot(
  session: SnapshotSource,
  probe: Probe,
  generation: number,
  seq: number,
  statsProbe?: StatsProbe | null,
): { event: SnapshotEvent; transfer: ArrayBuffer[] } | null {
  const net = session.network;
  const params = net.getParams();
  // Finite weights can still overflow to Inf/NaN activations (|w| ~ 1e30): check both.
  let finite = params.weights.every(allFinite) && params.biases.every(allFinite);
  let outs: readonly Float32Array[] = [];
  if (finite) {
    net.forward(probe.x, probe.count);
    outs = net.layerOutputs();
    finite = outs.every(allFinite);
  }
  if (!finite) return null;
  const transfer: ArrayBuffer[] = [...params.weights, ...params.biases].map((a) => a.buffer as ArrayBuffer);
  const stats = session.layerStats();
  const layers: LayerSnapshot[] = net.layers.map((layer, l) => ({
    inSize: layer.inSize,
    outSize: layer.outSize,
    activation: layer.activation,
    weights: params.weights[l]!,
    biases: params.biases[l]!,
    gradNorm: finiteOr0(stats[l]!.gradNorm),
    weightNorm: finiteOr0(stats[l]!.weightNorm),
    updateRatio: finiteOr0(stats[l]!.updateRatio),
    activationStats: activationStats(outs[l + 1]!, layer.activation),
  }));
  // The shown probe is row 0 of the probe batch.
  const activations = outs.map((o, l) => {
    const size = l === 0 ? net.config.inputSize : net.layers[l - 1]!.outSize;
    return o.slice(0, size);
  });
  for (const a of activations) transfer.push(a.buffer as ArrayBuffer);
  const pixels = activations[0]!.slice();
  transfer.push(pixels.buffer as ArrayBuffer);
  if (statsProbe) {
    // The inside views' activation health (after the copies above: this forward reuses the buffers).
    const health = probeHealth(net, statsProbe);
    if (health.every((h) => Number.isFinite(h.mean) && Number.isFinite(h.std))) {
      layers.forEach((layer, l) => {
        layer.health = health[l];
        transfer.push(health[l]!.histogram.counts.buffer as ArrayBuffer);
      });
    }
  }
  return {
    event: {
      type: 'snapshot',
      generation,
      seq,
      step: session.step,
      epoch: session.epoch,
      layers,
      probe: { pixels, label: probe.labels[0] ?? -1, activations },
    },
    transfer,
  };
}

/** The first test image, then the first test image of every other class, as floats 0..1. */
export function buildProbe(test: Split): Probe {
  const px = test.rows * test.cols;
  const picks: number[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < test.count && seen.size < 256; i++) {
    const label = test.labels[i]!;
    if (seen.has(label)) continue;
    seen.add(label);
    picks.push(i);
  }
  const x = new Float32Array(Math.max(1, picks.length) * px);
  picks.forEach((idx, k) => toFloatPixels(test.images, idx * px, px, x.subarray(k * px, (k + 1) * px)));
  return { x, labels: picks.map((i) => test.labels[i]!), count: Math.max(1, picks.length) };
}
