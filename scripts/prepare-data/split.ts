/**
 * A seeded, class-balanced train/test split, for packages that ship one file per class and no split
 * of their own (Fashion-MNIST). The recipe, step by step:
 *   1. rng = mulberry32(split.seed) — one stream, used in this exact order;
 *   2. for class c = 0…9: the class's valid rows in file order, Fisher–Yates shuffled with rng
 *      (for i = n−1 … 1: j = ⌊rng()·(i+1)⌋, swap i and j); the first `testPerClass` → test, the next
 *      `trainPerClass` → train;
 *   3. all train rows, then all test rows, each Fisher–Yates shuffled with the same rng, so the files
 *      are not sorted by class and any prefix of the test set is a fair sample of all classes.
 * The PRNG lives here, not in src/engine, on purpose: the split must never change when the training
 * RNG does. Same package + same seed → byte-identical files (the manifest hashes prove it).
 */

import { formatCount } from '../../src/data/errors';

import { PrepareError } from './types';

export interface SeededSplit {
  seed: number;
  trainPerClass: number;
  testPerClass: number;
}

/** A row of the source: its class and its index among that class's valid rows. */
export interface ClassRow {
  cls: number;
  row: number;
}

/**
 * The seeded split (steps 1–3 above).
 * @param classSizes valid rows per class, class 0 first
 * @param title the dataset's name in an error message
 * @returns train and test as (class, row-within-class) pairs, in the order they are written
 */
export function splitByClass(
  classSizes: readonly number[],
  split: SeededSplit,
  title = 'the dataset',
): { train: ClassRow[]; test: ClassRow[] } {
  const rng = mulberry32(split.seed);
  const train: ClassRow[] = [];
  const test: ClassRow[] = [];
  classSizes.forEach((size, cls) => {
    const need = split.trainPerClass + split.testPerClass;
    if (size < need) {
      throw new PrepareError(
        `prepare-data: ${title} class ${cls} has ${formatCount(size)} images; the split needs ${formatCount(need)}.`,
      );
    }
    const rows = Array.from({ length: size }, (_, i) => i);
    shuffle(rows, rng);
    for (let k = 0; k < split.testPerClass; k++) test.push({ cls, row: rows[k] });
    for (let k = split.testPerClass; k < need; k++) train.push({ cls, row: rows[k] });
  });
  shuffle(train, rng);
  shuffle(test, rng);
  return { train, test };
}

/** Fisher–Yates, from the end: for i = n−1 … 1, j = ⌊rng()·(i+1)⌋, swap(i, j). */
function shuffle<T>(items: T[], rng: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = items[i];
    items[i] = items[j];
    items[j] = t;
  }
}

/**
 * mulberry32 (Tommy Ettinger, public domain): a 32-bit state PRNG, uniform in [0, 1). Small, fast and
 * fully specified by these lines, which is what a reproducible data split needs.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
