/**
 * The numbers behind the inside views and `npm run train -- --stats-every N`, computed once here so the
 * page and the CLI print the same figures:
 * - a fixed, seeded probe batch of training images (the same 64 for the whole run);
 * - each weight layer's activation health on it (hidden layers: a = f(z); the output layer: the logits);
 * - the per-layer stats line: gradient norm (the gradient the optimizer applies, λW included), update
 *   ratio, activation mean/std, dead and saturated fractions.
 */
import type { Split } from '../data/dataset.ts';
import { toFloatPixels, type PerSample } from '../engine/evaluate.ts';
import { layerHealth, type LayerHealth } from '../engine/layerHealth.ts';
import type { Network } from '../engine/network.ts';
import { Rng } from '../engine/rng.ts';
import type { LayerStats } from './session.ts';

/** Probe images for the statistics. */
export const STATS_PROBE_SIZE = 64;
/** Seed of the probe's choice: fixed, so every run (and the CLI) measures on the same images. */
export const STATS_PROBE_SEED = 0x5eed;

export interface StatsProbe {
  /** [count, inputSize] pixels 0..1. */
  x: Float32Array;
  count: number;
  /** Indices in the training split. */
  indices: number[];
}

/** `count` distinct training images drawn with a seeded RNG (all of them when the split is smaller). */
export function buildStatsProbe(train: Split, count = STATS_PROBE_SIZE, seed = STATS_PROBE_SEED): StatsProbe {
  const n = Math.min(count, train.count);
  const px = train.rows * train.cols;
  const rng = new Rng(seed);
  const chosen = new Set<number>();
  const indices: number[] = [];
  while (indices.length < n) {
    const i = rng.nextInt(train.count);
    if (chosen.has(i)) continue;
    chosen.add(i);
    indices.push(i);
  }
  const x = new Float32Array(Math.max(1, n) * px);
  indices.forEach((idx, k) => toFloatPixels(train.images, idx * px, px, x, k * px));
  return { x, count: n, indices };
}

/**
 * Activation health of every weight layer on the probe (the last: the logits, computed from the last
 * hidden layer's outputs as z = W·a + b, since the training path keeps probabilities).
 * Overwrites the network's activation buffers (gradients untouched).
 */
export function probeHealth(net: Network, probe: StatsProbe): LayerHealth[] {
  if (probe.count === 0) return [];
  net.forward(probe.x, probe.count);
  const outs = net.layerOutputs();
  const layers = net.layers;
  const last = layers.length - 1;
  const health: LayerHealth[] = [];
  for (let l = 0; l < last; l++) {
    const layer = layers[l]!;
    health.push(layerHealth(outs[l + 1]!, probe.count, layer.outSize, layer.activation));
  }
  const out = layers[last]!;
  const a = outs[last]!;
  const logits = new Float32Array(probe.count * out.outSize);
  for (let r = 0; r < probe.count; r++) {
    for (let j = 0; j < out.outSize; j++) {
      let s = out.biases[j]!;
      for (let i = 0, w = j * out.inSize, p = r * out.inSize; i < out.inSize; i++)
        s += out.weights[w + i]! * a[p + i]!;
      logits[r * out.outSize + j] = s;
    }
  }
  health.push(layerHealth(logits, probe.count, out.outSize, 'softmax'));
  return health;
}

/** One layer of a `--stats-every` line. */
export interface LayerStatsLine {
  /** From 1: the first weight layer; the last is the output layer (activation figures on the logits). */
  layer: number;
  gradNorm: number;
  updateRatio: number;
  activationMean: number;
  activationStd: number;
  deadFraction: number;
  saturatedFraction: number;
}

/** The per-layer figures the gradient-flow and activation-health views show, as one JSON-ready list. */
export function statsLines(stats: readonly LayerStats[], health: readonly LayerHealth[]): LayerStatsLine[] {
  return stats.map((s, l) => ({
    layer: l + 1,
    gradNorm: s.gradNorm,
    updateRatio: s.updateRatio,
    activationMean: health[l]?.mean ?? 0,
    activationStd: health[l]?.std ?? 0,
    deadFraction: health[l]?.deadFraction ?? 0,
    saturatedFraction: health[l]?.saturatedFraction ?? 0,
  }));
}

/** Activation health goes into at most this many snapshots per second (a 64-image forward each). */
export const HEALTH_PER_SECOND = 4;

/**
 * What the run keeps for the inside views: whether they are open (snapshots then carry activation
 * health, at most HEALTH_PER_SECOND times a second) and every test image's answer at the last epoch-end
 * evaluation (the mistakes gallery draws from the same evaluation as the confusion matrix).
 */
export class Inspection {
  on = false;
  private lastHealthAt = -Infinity;
  /** The last evaluation's answers and how many test images it covered, or null before one. */
  answers: { perSample: PerSample; count: number } | null = null;

  /** True when this snapshot (at time `now`, ms) should carry activation health. */
  healthDue(now: number): boolean {
    if (!this.on || now - this.lastHealthAt < 1000 / HEALTH_PER_SECOND) return false;
    this.lastHealthAt = now;
    return true;
  }

  /** A fresh run: nothing of the last one's evaluation remains; the next snapshot carries health. */
  forget(): void {
    this.answers = null;
    this.lastHealthAt = -Infinity;
  }

  setOn(on: boolean): void {
    this.on = on;
    if (on) this.lastHealthAt = -Infinity;
  }
}

/** Storage for every answer of an evaluation over `count` images of `classes` classes. */
export function newPerSample(count: number, classes: number): PerSample {
  return {
    predicted: new Uint16Array(count),
    confidence: new Float32Array(count),
    probabilities: new Float32Array(count * classes),
  };
}
