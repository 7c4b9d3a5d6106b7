/**
 * The networks the benchmark trains, as app configs (so ours runs exactly what the app and the CLI run),
 * with their labels and FLOPs per sample.
 */
import { DEFAULT_CONFIG, type TrainConfig } from '../src/engine/types.ts';

/** The app's default network: 784-256-128-10 ReLU, Adam, batch 64. */
export const DEFAULT_NET: TrainConfig = DEFAULT_CONFIG;

/** The engine comparison's workload (the one TF.js also trains): 784-128-64-10 ReLU, SGD lr 0.05, batch 64. */
export const SMALL_NET: TrainConfig = {
  ...DEFAULT_CONFIG,
  hidden: [128, 64],
  optimizer: 'sgd',
  learningRate: 0.05,
  schedule: 'constant',
  batchSize: 64,
};

export function layerSizes(c: TrainConfig): number[] {
  return [c.inputSize, ...c.hidden, c.outputSize];
}

/** "784-256-128-10 adam b64". */
export function networkLabel(c: TrainConfig): string {
  return `${layerSizes(c).join('-')} ${c.optimizer} b${c.batchSize}`;
}

/**
 * FLOPs per sample of one training step: forward all layers, weight gradients all layers, input gradients
 * of every layer but the first (the pixels need none) — 2 FLOPs per multiply-add. The optimizer's update
 * (per parameter, not per sample) is left out.
 */
export function flopsPerSample(c: TrainConfig): number {
  const sizes = layerSizes(c);
  let fwd = 0;
  let bwdInput = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const m = sizes[l]! * sizes[l + 1]!;
    fwd += m;
    if (l > 0) bwdInput += m;
  }
  return 2 * (2 * fwd + bwdInput);
}
