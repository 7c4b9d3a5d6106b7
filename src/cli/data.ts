/**
 * Loads a prepared dataset from disk for the CLI: `<dataDir>/<dataset>/{train,t10k}-*-ubyte.gz`, as written
 * by `npm run prepare-data` (the same files the app serves). Gunzip with node:zlib when the bytes start
 * with the gzip signature, then the same strict IDX parser the browser uses (src/data/idx.ts).
 */

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { DatasetName, Split } from '../data/dataset.ts';
import { DataError } from '../data/errors.ts';
import { isGzip, makeSplit, parseIdxImages, parseIdxLabels } from '../data/idx.ts';
import { IDX_FILE_NAMES } from '../data/manifest.ts';

/** A data problem the user can fix (missing or damaged files): printed as is, exit status 1. */
export class DataMissingError extends Error {
  override readonly name = 'DataMissingError';
}

function readIdx(dir: string, name: string): Uint8Array {
  const path = join(dir, name);
  const raw = readFileSync(path);
  const bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  if (!isGzip(bytes)) return bytes;
  try {
    const out = gunzipSync(bytes);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (e) {
    throw new DataError(
      'bad-gzip',
      name,
      `${name} starts like gzip but does not decompress (${(e as Error).message}) — run \`npm run prepare-data\`.`,
    );
  }
}

/** Train and test splits of `dataset` from `dataDir` (relative paths resolve against the working directory). */
export function loadDatasetFromDisk(dataDir: string, dataset: DatasetName): { train: Split; test: Split } {
  const dir = resolve(dataDir, dataset);
  const names = Object.values(IDX_FILE_NAMES);
  const missing = names.filter((n) => !existsSync(join(dir, n)));
  if (missing.length > 0) {
    throw new DataMissingError(
      `The ${dataset} data is not prepared: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing ` +
        `in ${dir}. Run \`npm run prepare-data\` first (it runs on \`npm install\`).`,
    );
  }
  const split = (images: string, labels: string): Split =>
    makeSplit(parseIdxImages(readIdx(dir, images), images), parseIdxLabels(readIdx(dir, labels), labels), {
      images,
      labels,
    });
  return {
    train: split(IDX_FILE_NAMES['train-images'], IDX_FILE_NAMES['train-labels']),
    test: split(IDX_FILE_NAMES['test-images'], IDX_FILE_NAMES['test-labels']),
  };
}
