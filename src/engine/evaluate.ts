/**
 * Evaluation: loss, accuracy and the confusion matrix of a network on (a prefix of) a split.
 */
import type { Split } from '../data/dataset.ts';
import type { Network } from './network.ts';

export interface EvalResult {
  /** Mean cross-entropy. */
  loss: number;
  /** 0..1 */
  accuracy: number;
  count: number;
  /** [outputSize · outputSize], row = true label, column = predicted. */
  confusion: Uint32Array;
}

/** byte → byte/255, so converting a batch is one table lookup per pixel. */
const PIXEL_SCALE = /* @__PURE__ */ (() => {
  const t = new Float32Array(256);
  for (let i = 0; i < 256; i++) t[i] = i / 255;
  return t;
})();

/**
 * Uint8 pixels → floats 0..1 into `out` (no allocation).
 * @param src bytes, e.g. a split's images [n · 784]
 * @param srcOffset index of the first byte to convert
 * @param count number of values (pixels, not images) to convert
 * @param outOffset where in `out` to start writing (default 0): out[outOffset … outOffset+count−1]
 */
export function toFloatPixels(
  src: Uint8Array,
  srcOffset: number,
  count: number,
  out: Float32Array,
  outOffset = 0,
): void {
  const t = PIXEL_SCALE;
  for (let i = 0; i < count; i++) out[outOffset + i] = t[src[srcOffset + i]!]!;
}

/**
 * Index of the largest value of each row (first one on ties).
 * @param p [rows, cols]
 */
export function argmaxRow(p: Float32Array, row: number, cols: number): number {
  const o = row * cols;
  let best = 0;
  let bestV = p[o]!;
  for (let j = 1; j < cols; j++) {
    const v = p[o + j]!;
    if (v > bestV) {
      bestV = v;
      best = j;
    }
  }
  return best;
}

/** Where evaluate() writes each sample's answer: out[i] for sample i (for the mistakes gallery). */
export interface PerSample {
  /** The predicted class. */
  predicted: Uint16Array;
  /** The probability the network gave its predicted class. */
  confidence: Float32Array;
  /** Every class's probability, [samples, classes] (optional: 40 bytes a sample for 10 classes). */
  probabilities?: Float32Array;
}

/**
 * Runs the first `limit` samples of `split` through `net` in batches (overwrites the network's
 * activation buffers; gradients untouched).
 * @param limit samples to use (default all); clamped to split.count
 * @param batchSize rows per forward (default min(256, net.maxBatch))
 * @param perSample when given, receives every sample's prediction and confidence (length ≥ the count)
 */
export function evaluate(
  net: Network,
  split: Split,
  limit?: number,
  batchSize?: number,
  perSample?: PerSample,
): EvalResult {
  const inputSize = net.config.inputSize;
  const classes = net.config.outputSize;
  if (split.rows * split.cols !== inputSize) {
    throw new Error(
      `evaluate: images are ${split.rows}×${split.cols}, the network expects ${inputSize} inputs`,
    );
  }
  const count = Math.max(0, Math.min(split.count, limit ?? split.count));
  const bs = Math.max(1, Math.min(batchSize ?? 256, net.maxBatch));
  const x = new Float32Array(bs * inputSize);
  const confusion = new Uint32Array(classes * classes);
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < count; start += bs) {
    const n = Math.min(bs, count - start);
    toFloatPixels(split.images, start * inputSize, n * inputSize, x);
    const labels = split.labels.subarray(start, start + n);
    const p = net.forward(x, n);
    lossSum += net.dataLoss(labels) * n;
    for (let b = 0; b < n; b++) {
      const y = labels[b]!;
      const k = argmaxRow(p, b, classes);
      if (perSample) {
        perSample.predicted[start + b] = k;
        perSample.confidence[start + b] = p[b * classes + k]!;
        perSample.probabilities?.set(p.subarray(b * classes, (b + 1) * classes), (start + b) * classes);
      }
      if (k === y) correct++;
      confusion[y * classes + k]!++;
    }
  }
  return {
    loss: count > 0 ? lossSum / count : 0,
    accuracy: count > 0 ? correct / count : 0,
    count,
    confusion,
  };
}
