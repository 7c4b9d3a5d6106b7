/**
 * Pure helpers of the confusion matrix: rows normalised to the share of each true class, and the text a
 * cell reads out.
 */

/** fractions[t·k + p] = confusion[t·k + p] / (images of class t); 0 for a class with no image. */
export function rowNormalise(confusion: ArrayLike<number>, classes: number): Float64Array {
  const out = new Float64Array(classes * classes);
  for (let t = 0; t < classes; t++) {
    let sum = 0;
    for (let p = 0; p < classes; p++) sum += confusion[t * classes + p]!;
    if (sum === 0) continue;
    for (let p = 0; p < classes; p++) out[t * classes + p] = confusion[t * classes + p]! / sum;
  }
  return out;
}

/** Total count and correct count of a confusion matrix. */
export function accuracyOf(
  confusion: ArrayLike<number>,
  classes: number,
): { total: number; correct: number } {
  let total = 0;
  let correct = 0;
  for (let t = 0; t < classes; t++) {
    for (let p = 0; p < classes; p++) {
      const c = confusion[t * classes + p]!;
      total += c;
      if (t === p) correct += c;
    }
  }
  return { total, correct };
}

/** "412 of 1,032 images of '7' (39.9 %) were read as '1'" — the cell's hover text. */
export function cellText(count: number, rowTotal: number, trueName: string, predictedName: string): string {
  const pct = rowTotal > 0 ? ((100 * count) / rowTotal).toFixed(1) : '0.0';
  const verb = trueName === predictedName ? 'were read correctly' : `were read as ${predictedName}`;
  return `${count.toLocaleString('en-US')} of ${rowTotal.toLocaleString('en-US')} images of ${trueName} (${pct} %) ${verb}`;
}
