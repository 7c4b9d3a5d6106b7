/**
 * Which images a hidden unit responds to most: the "what does this unit look for" view. Runs a split
 * through the network in batches (the training path's fast forward) and keeps, for one unit, the k
 * largest activations with a small sorted list — no sort of the whole split.
 */
import type { Split } from '../data/dataset.ts';
import { toFloatPixels } from './evaluate.ts';
import type { Network } from './network.ts';

export interface TopImage {
  /** Index in the split. */
  index: number;
  /** The unit's output for that image. */
  activation: number;
}

/**
 * The `k` images of `split` (its first `limit`) that excite unit `unit` of weight layer `layer` most,
 * largest first. Overwrites the network's activation buffers (gradients untouched).
 * @param layer weight layer of the unit, 0 = first hidden layer (the output layer is allowed: its values
 *   are the probabilities)
 */
export function topActivatingImages(
  net: Network,
  split: Split,
  layer: number,
  unit: number,
  k = 9,
  limit = split.count,
): TopImage[] {
  const sizes = net.layers.map((l) => l.outSize);
  if (!(layer >= 0 && layer < sizes.length)) throw new RangeError(`no weight layer ${layer}`);
  const units = sizes[layer]!;
  if (!(unit >= 0 && unit < units)) throw new RangeError(`layer ${layer} has no unit ${unit}`);
  const inputSize = net.config.inputSize;
  const count = Math.max(0, Math.min(limit, split.count));
  const bs = Math.min(256, net.maxBatch);
  const x = new Float32Array(bs * inputSize);
  const top: TopImage[] = [];
  for (let start = 0; start < count; start += bs) {
    const n = Math.min(bs, count - start);
    toFloatPixels(split.images, start * inputSize, n * inputSize, x);
    net.forward(x, n);
    const out = net.layerOutputs()[layer + 1]!;
    for (let b = 0; b < n; b++) {
      const v = out[b * units + unit]!;
      if (top.length === k && v <= top[k - 1]!.activation) continue;
      // Insert in order (k is small): the list stays sorted, largest first; ties keep the earlier image.
      let i = top.length < k ? top.length : k - 1;
      while (i > 0 && top[i - 1]!.activation < v) i--;
      top.splice(i, 0, { index: start + b, activation: v });
      if (top.length > k) top.pop();
    }
  }
  return top;
}
