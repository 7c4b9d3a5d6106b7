/**
 * Typed, plain-language data errors.
 *
 * Every failure on the data path (fetch, gunzip, IDX parse, manifest, hash) becomes a `DataError` that
 * names the file and says what is wrong and what to do next, so the page can show it as is. The worker
 * cannot post an Error subclass intact (structured clone keeps only name/message/stack), so
 * `toData()` gives the plain `{ kind, file, message }` it posts, and `DataError.fromData()` rebuilds one.
 */

export type DataErrorKind =
  /** An HTML page arrived where binary data was expected (a missing file under an SPA fallback). */
  | 'html-not-idx'
  /** The first four bytes are not the IDX magic number for this kind of file. */
  | 'bad-magic'
  /** Fewer bytes than the header (or the manifest) promises. */
  | 'truncated'
  /** More bytes than the header promises, or a size that disagrees with the manifest. */
  | 'size-mismatch'
  /** A label outside 0–9. */
  | 'label-out-of-range'
  /** An image file and its label file hold different numbers of records. */
  | 'count-mismatch'
  /** The bytes start like gzip but do not decompress. */
  | 'bad-gzip'
  /** The decompressed bytes' SHA-256 differs from the manifest. */
  | 'hash-mismatch'
  /** The server answered with an HTTP error status. */
  | 'http'
  /** The request never completed (server down, connection reset, decoding failure). */
  | 'network'
  /** manifest.json is missing, not JSON, or does not describe the dataset. */
  | 'bad-manifest'
  /** A file that should be a zip archive is not one (a collection of my digits). */
  | 'not-zip'
  /** More records than the format allows (a collection of my digits: MAX_MY_DIGITS). */
  | 'too-many';

/** What crosses the worker boundary: structured-clone safe, no prototype needed. */
export interface DataErrorData {
  kind: DataErrorKind;
  /** The file the error is about, as the user would see it (e.g. `train-images-idx3-ubyte.gz`). */
  file: string;
  /** A full sentence that names the file, says what is wrong and the next step. */
  message: string;
}

const KINDS: ReadonlySet<string> = new Set<DataErrorKind>([
  'html-not-idx',
  'bad-magic',
  'truncated',
  'size-mismatch',
  'label-out-of-range',
  'count-mismatch',
  'bad-gzip',
  'hash-mismatch',
  'http',
  'network',
  'bad-manifest',
  'not-zip',
  'too-many',
]);

export class DataError extends Error {
  override readonly name = 'DataError';
  readonly kind: DataErrorKind;
  readonly file: string;

  constructor(kind: DataErrorKind, file: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
    this.file = file;
  }

  /** The plain `{ kind, file, message }` a worker posts. */
  toData(): DataErrorData {
    return { kind: this.kind, file: this.file, message: this.message };
  }

  static fromData(data: DataErrorData): DataError {
    return new DataError(data.kind, data.file, data.message);
  }
}

/** True for a plain object shaped like `DataErrorData` (e.g. received from a worker). */
export function isDataErrorData(value: unknown): value is DataErrorData {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.kind === 'string' &&
    KINDS.has(v.kind) &&
    typeof v.file === 'string' &&
    typeof v.message === 'string'
  );
}

const GROUPED = new Intl.NumberFormat('en-US');

/** 60000 → "60,000" (en-US grouping, as the UI shows counts). */
export function formatCount(n: number): string {
  return GROUPED.format(n);
}

/**
 * A byte count for people, in decimal units as file managers show them:
 * 812 → "812 bytes", 28_881 → "28.9 kB", 9_912_422 → "9.9 MB".
 */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} ${n === 1 ? 'byte' : 'bytes'}`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)} kB`;
  return `${(n / 1_000_000).toFixed(1)} MB`;
}

/**
 * "a of b unit" with one shared unit, so the two numbers compare at a glance:
 * (4_100_000, 9_912_422) → "4.1 of 9.9 MB".
 */
export function formatPart(part: number, whole: number): string {
  if (whole < 1000) return `${part} of ${whole} bytes`;
  if (whole < 1_000_000) return `${(part / 1000).toFixed(1)} of ${(whole / 1000).toFixed(1)} kB`;
  return `${(part / 1_000_000).toFixed(1)} of ${(whole / 1_000_000).toFixed(1)} MB`;
}

/** The next step when data on the server is missing or stale. */
export const PREPARE_HINT = 'run `npm run prepare-data` and reload';
