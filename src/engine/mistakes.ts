/**
 * Picking test images for the confusion-matrix view: those of one (true, predicted) cell, or the most
 * confident mistakes overall, most confident first.
 */
import type { PerSample } from './evaluate.ts';

export interface CellQuery {
  /** The true class, or undefined for any. */
  trueClass?: number;
  /** The predicted class, or undefined for any other than the true one (a mistake). */
  predicted?: number;
}

/**
 * Indices of the samples whose label is `q.trueClass` and prediction `q.predicted` (when given), or every
 * mistake (prediction ≠ label) when neither is given; at most `k`, by the network's confidence in its
 * (wrong or right) answer, highest first; ties keep the split's order.
 * @param count samples evaluated (the first `count` of the split)
 */
export function selectSamples(
  labels: ArrayLike<number>,
  answers: PerSample,
  count: number,
  q: CellQuery,
  k: number,
): number[] {
  const picked: number[] = [];
  for (let i = 0; i < count; i++) {
    const y = labels[i]!;
    const p = answers.predicted[i]!;
    if (q.trueClass !== undefined && y !== q.trueClass) continue;
    if (q.predicted !== undefined ? p !== q.predicted : p === y) continue;
    picked.push(i);
  }
  picked.sort((a, b) => answers.confidence[b]! - answers.confidence[a]! || a - b);
  return picked.slice(0, k);
}
