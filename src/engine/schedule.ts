/**
 * Learning-rate schedules, evaluated per epoch (epoch counted from 0); formulas as in types.ts:
 * - constant:    lr
 * - exponential: lr · lrDecay^epoch
 * - step:        lr · lrDecay^floor(epoch / stepEvery)
 * - cosine:      minLr + (lr − minLr) · (1 + cos(π · epoch / totalEpochs)) / 2,  minLr = lr / 100
 */
import type { OptimConfig } from './types.ts';

/** Cosine's floor as a fraction of the base rate. */
export const COSINE_MIN_FRACTION = 0.01;

/**
 * @param epoch current epoch from 0
 * @param totalEpochs planned epochs; cosine needs an end, so with totalEpochs ≤ 0 ("until stopped") it
 *   stays at lr. Past the end cosine stays at minLr.
 */
export function learningRateAt(cfg: OptimConfig, epoch: number, totalEpochs: number): number {
  const lr = cfg.learningRate;
  const e = Math.max(0, Math.floor(epoch));
  switch (cfg.schedule) {
    case 'constant':
      return lr;
    case 'exponential':
      return lr * Math.pow(cfg.lrDecay, e);
    case 'step':
      return lr * Math.pow(cfg.lrDecay, Math.floor(e / Math.max(1, Math.floor(cfg.stepEvery))));
    case 'cosine': {
      if (!(totalEpochs > 0)) return lr;
      const minLr = lr * COSINE_MIN_FRACTION;
      const t = Math.min(e, totalEpochs) / totalEpochs;
      return minLr + ((lr - minLr) * (1 + Math.cos(Math.PI * t))) / 2;
    }
    default:
      throw new Error(`unknown schedule "${String((cfg as { schedule: unknown }).schedule)}"`);
  }
}
