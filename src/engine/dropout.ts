/**
 * Inverted dropout's masks (Srivastava et al. 2014): in training each unit is kept with probability 1 − p
 * and, when kept, scaled by 1/(1 − p), so a layer's expected output is the same as at evaluation, where
 * nothing is dropped and nothing scaled.
 *
 * A mask is a pure function of its key — (seed, epoch, the row's position in the epoch, layer, unit), hashed
 * by engine/keyedRandom.ts — never the next draws of a stream: a batch cut into chunks on any number of
 * threads gets the same masks, and One step recomputes the mask of the row it explains.
 */
import { keyedFromPrefix, keyPrefix } from './keyedRandom.ts';

/** The layer word of a mask's key: 0 for the input pixels, l + 1 for hidden layer l's outputs. */
export const INPUT_MASK_LAYER = 0;

/** Where a training batch's rows sit: the key of their masks and augmentations. */
export interface RowKey {
  seed: number;
  epoch: number;
  /** The position in the epoch's order of the first row (row r: firstPosition + r). */
  firstPosition: number;
}

/** What a training forward adds: the drop rates, keyed by the rows' positions (absent at evaluation). */
export interface TrainingNoise extends RowKey {
  inputDropout: number;
  dropout: number;
}

/** 2^32 · p: a unit is kept when its keyed uint32 is at least this (so P(keep) = 1 − p to 2^-32). */
function threshold(rate: number): number {
  return Math.ceil(rate * 4294967296);
}

/** The scale of a kept unit, as the float32 that multiplies it. */
export function keepScale(rate: number): number {
  return Math.fround(1 / (1 - rate));
}

/** Whether unit `unit` of mask layer `layer` is kept at `position` of `epoch` (One step's question). */
export function isKept(key: RowKey, row: number, layer: number, unit: number, rate: number): boolean {
  if (rate <= 0) return true;
  const prefix = keyPrefix(key.seed, key.epoch, key.firstPosition + row, layer);
  return keyedFromPrefix(prefix, unit) >= threshold(rate);
}

/**
 * Fills mask[r·units + u] for rows [0, rows) with 0 (dropped) or 1/(1 − rate) (kept).
 * @param layer INPUT_MASK_LAYER, or l + 1 for hidden layer l
 */
export function fillMask(
  mask: Float32Array,
  rows: number,
  units: number,
  rate: number,
  key: RowKey,
  layer: number,
): void {
  const cut = threshold(rate);
  const scale = keepScale(rate);
  for (let r = 0; r < rows; r++) {
    const prefix = keyPrefix(key.seed, key.epoch, key.firstPosition + r, layer);
    const base = r * units;
    for (let u = 0; u < units; u++) mask[base + u] = keyedFromPrefix(prefix, u) >= cut ? scale : 0;
  }
}

/** out[i] = a[i] · mask[i] for i < n (out may be a). */
export function applyMask(a: Float32Array, mask: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = a[i]! * mask[i]!;
}

/**
 * One row's masks, as a training forward fills them: [input, hidden 1, …] for layers of `sizes` (the input
 * size, then each hidden layer's), null where that rate is 0. `key.firstPosition` is the row's position.
 */
export function rowMasks(sizes: readonly number[], noise: TrainingNoise): (Float32Array | null)[] {
  return sizes.map((units, l) => {
    const rate = l === 0 ? noise.inputDropout : noise.dropout;
    if (rate <= 0) return null;
    const mask = new Float32Array(units);
    fillMask(mask, 1, units, rate, noise, l === 0 ? INPUT_MASK_LAYER : l);
    return mask;
  });
}
