/**
 * How fast this machine trains, measured: a few timed batches of a network on synthetic MNIST-like input
 * (about a fifth of the pixels non-zero, as MNIST's), through the engine's own forward, backward and
 * optimizer step. The result is FLOP/s in engine/cost.ts's counting, so it converts to a time for any
 * other configuration. The worker runs it once at startup on a small fixed network (CALIBRATION_CONFIG);
 * the CLI on the configuration it is asked about when that is cheap.
 *
 * Synchronous (blocks for about `targetMs`); no DOM.
 */
import { flopsPerBatch, type CostConfig } from '../engine/cost';
import { Network } from '../engine/network';
import { createOptimizer } from '../engine/optimizer';
import { Rng } from '../engine/rng';
import { DEFAULT_CONFIG, type TrainConfig } from '../engine/types';

/** A small fixed network whose speed stands for the engine's (the app's default shape, batch 64). */
export const CALIBRATION_CONFIG: TrainConfig = { ...DEFAULT_CONFIG, hidden: [256, 128], batchSize: 64 };

/** Fraction of MNIST pixels that are not zero (~0.19). */
const PIXEL_DENSITY = 0.19;

export interface Calibration {
  flopsPerSecond: number;
  /** Batches timed (after one untimed warm-up batch). */
  batches: number;
  ms: number;
}

/**
 * Times batches of `config` until `targetMs` has passed (at least `minBatches`, at most `maxBatches`).
 * @param now monotonic milliseconds
 */
export function calibrate(
  now: () => number,
  config: TrainConfig = CALIBRATION_CONFIG,
  opts: { targetMs?: number; minBatches?: number; maxBatches?: number } = {},
): Calibration {
  const targetMs = opts.targetMs ?? 80;
  const minBatches = opts.minBatches ?? 2;
  const maxBatches = opts.maxBatches ?? 1000;
  const batch = config.batchSize;
  const net = Network.create(config, batch);
  const optimizer = createOptimizer(net, config);
  const rng = new Rng(0xca11b);
  const x = new Float32Array(batch * config.inputSize);
  for (let i = 0; i < x.length; i++) x[i] = rng.next() < PIXEL_DENSITY ? rng.next() : 0;
  const y = new Uint8Array(batch);
  for (let i = 0; i < batch; i++) y[i] = rng.nextInt(config.outputSize);
  const one = () => {
    net.forward(x, batch);
    net.backward(y, config.l2);
    optimizer.step(1e-6);
  };
  one(); // warm-up: the JIT, first touch of the buffers
  const t0 = now();
  let n = 0;
  let t = t0;
  const times: number[] = [];
  while (n < maxBatches && (n < minBatches || t - t0 < targetMs)) {
    one();
    n++;
    const t1 = now();
    times.push(t1 - t);
    t = t1;
  }
  // The median batch: at startup the page competes for the cores (parsing, first paint), and a burst of
  // that should not make the machine look several times slower than it is.
  times.sort((a, b) => a - b);
  const median = Math.max(times[times.length >> 1]!, 1e-3);
  return { flopsPerSecond: flopsPerBatch(config as CostConfig) / (median / 1000), batches: n, ms: t - t0 };
}
