/**
 * The learner's own handwriting: digits drawn in the page, labelled, kept, and split once into a *teach*
 * half (may be trained on) and a *test* half (never trained on). Pure data, no DOM: the page's store
 * (IndexedDB), the zip file (myDigitsFile.ts) and the CLI share these records and rules.
 *
 * A digit is kept as what the network sees — the MNIST-prepared 28×28 as uint8, so the page, the file and
 * the CLI read the same bits — and as its raw strokes, so a later change of the preprocessing can redo it.
 */
import type { DatasetName } from './dataset';

/** Pixels of a digit: MNIST's 28×28. */
export const DIGIT_SIDE = 28;
export const DIGIT_PIXELS = DIGIT_SIDE * DIGIT_SIDE;
/** More than this many digits in one collection (or file) is refused: far past a drawing session's worth. */
export const MAX_MY_DIGITS = 10_000;

export type Half = 'teach' | 'test';

/** A point of a stroke, in drawing-surface units 0..1 (src/draw/strokes.ts). */
export interface StrokePoint {
  x: number;
  y: number;
}

export interface MyDigit {
  /** Unique within a collection (the store's key). */
  id: string;
  dataset: DatasetName;
  /** The class the learner says it is, 0 … classes − 1. */
  label: number;
  /** Assigned once, when saved; never changed after (a digit trained on never moves into the test half). */
  half: Half;
  /** [784] uint8, 0 = background, 255 = ink: exactly what "network sees" showed. */
  pixels: Uint8Array;
  /** The raw strokes, drawing-surface units. */
  strokes: StrokePoint[][];
  /** ms since the epoch, for ordering. */
  savedAt: number;
}

/**
 * The half a new digit of `label` joins: the half that has fewer of that class, the teach half on a tie —
 * so the first of a class teaches, the second tests, and each half has every class with ≥ 2 examples, even
 * after deletions.
 */
export function assignHalf(existing: readonly Pick<MyDigit, 'label' | 'half'>[], label: number): Half {
  let teach = 0;
  let test = 0;
  for (const d of existing) {
    if (d.label !== label) continue;
    if (d.half === 'teach') teach++;
    else test++;
  }
  return test < teach ? 'test' : 'teach';
}

/** A key equal for two digits with the same pixels (imports skip an image already in the collection). */
export function pixelKey(pixels: Uint8Array): string {
  // FNV-1a over the bytes, then the bytes' sum: short, and a collision only skips an import.
  let h = 0x811c9dc5;
  let sum = 0;
  for (let i = 0; i < pixels.length; i++) {
    h = Math.imul(h ^ pixels[i]!, 0x01000193) >>> 0;
    sum += pixels[i]!;
  }
  return `${h.toString(16)}-${sum.toString(16)}-${pixels.length}`;
}

/** Per class, how many digits each half holds (index = label). */
export function countsByClass(
  digits: readonly Pick<MyDigit, 'label' | 'half'>[],
  classes: number,
): { teach: number[]; test: number[] } {
  const teach = new Array<number>(classes).fill(0);
  const test = new Array<number>(classes).fill(0);
  for (const d of digits) {
    if (d.label < 0 || d.label >= classes) continue;
    (d.half === 'teach' ? teach : test)[d.label]!++;
  }
  return { teach, test };
}

/** The digits of one half, as a split the engine reads (images [n, 784] uint8, labels [n]). */
export function halfSplit(
  digits: readonly Pick<MyDigit, 'label' | 'half' | 'pixels'>[],
  half: Half,
): { images: Uint8Array; labels: Uint8Array; count: number; rows: number; cols: number } {
  const chosen = digits.filter((d) => d.half === half);
  const images = new Uint8Array(chosen.length * DIGIT_PIXELS);
  const labels = new Uint8Array(chosen.length);
  chosen.forEach((d, i) => {
    images.set(d.pixels, i * DIGIT_PIXELS);
    labels[i] = d.label;
  });
  return { images, labels, count: chosen.length, rows: DIGIT_SIDE, cols: DIGIT_SIDE };
}

/**
 * Merges `incoming` into `current`: digits whose pixels are already there are skipped, the others keep
 * their label and half, get fresh ids from `newId`. Returns the merged list and how many were skipped.
 */
export function mergeDigits(
  current: readonly MyDigit[],
  incoming: readonly MyDigit[],
  newId: () => string,
): { digits: MyDigit[]; added: number; skipped: number } {
  const seen = new Set(current.map((d) => pixelKey(d.pixels)));
  const digits = [...current];
  let skipped = 0;
  for (const d of incoming) {
    const key = pixelKey(d.pixels);
    if (seen.has(key)) {
      skipped++;
      continue;
    }
    seen.add(key);
    digits.push({ ...d, id: newId() });
  }
  return { digits, added: digits.length - current.length, skipped };
}
