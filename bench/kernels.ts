/**
 * Our kernels' GFLOP/s on the engine comparison's shapes (784-128-64-10, batch 64), the first layer on
 * real MNIST pixels (their sparsity decides what the sparse kernels save).
 */
import type { Split } from '../src/data/dataset.ts';
import { gemmAB, gemmABt, gemmAtB } from '../src/engine/kernels/dense.ts';
import {
  buildColumnBlockRows,
  buildRowNonzeros,
  sparseBlocksAtB,
  sparseOuterAtB,
  sparseRowsABt,
} from '../src/engine/kernels/sparse.ts';
import { Rng } from '../src/engine/rng.ts';
import { SMALL_NET } from './workloads.ts';

const BATCH = SMALL_NET.batchSize;
const HIDDEN = SMALL_NET.hidden;

/** GFLOP/s of one kernel call, best of several timed loops of ~0.3 s. */
function kernelGflops(flops: number, fn: () => void): number {
  for (let i = 0; i < 20; i++) fn(); // warm up: let the JIT optimise
  let best = 0;
  for (let rep = 0; rep < 3; rep++) {
    let n = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < 300) {
      for (let i = 0; i < 10; i++) fn();
      n += 10;
      t = performance.now();
    }
    best = Math.max(best, (flops * n) / ((t - t0) / 1000) / 1e9);
  }
  return best;
}

export interface KernelFigure {
  kernel: string;
  /** FLOPs of the dense product ÷ time. */
  denseEquivalentGflops: number;
  /** FLOPs actually performed (non-zero terms only, for the sparse kernels) ÷ time. */
  gflops: number;
}

/** Our kernels on this network's shapes; the first layer on real MNIST pixels (its sparsity matters). */
export function measureKernels(train: Split): KernelFigure[] {
  const rng = new Rng(3);
  const rand = (n: number) => Float32Array.from({ length: n }, () => rng.normal() * 0.1);
  const [n0, n1, n2] = [784, HIDDEN[0]!, HIDDEN[1]!];
  const x = new Float32Array(BATCH * n0);
  for (let i = 0; i < x.length; i++) x[i] = train.images[i]! / 255;
  const w1 = rand(n1 * n0);
  const b1 = rand(n1);
  const z1 = new Float32Array(BATCH * n1);
  const dz1 = rand(BATCH * n1);
  const gw1 = new Float32Array(n1 * n0);
  const h1 = rand(BATCH * n1);
  const w2 = rand(n2 * n1);
  const b2 = rand(n2);
  const z2 = new Float32Array(BATCH * n2);
  const dz2 = rand(BATCH * n2);
  const gw2 = new Float32Array(n2 * n1);
  const dh1 = new Float32Array(BATCH * n1);
  const idx = new Uint16Array(BATCH * n0);
  const cnt = new Int32Array(BATCH);
  const nz = buildRowNonzeros(x, BATCH, n0, idx, cnt);
  const blocks = (n0 + 3) >> 2;
  const list = new Uint16Array(blocks * BATCH);
  const lc = new Int32Array(blocks);
  const pairs = buildColumnBlockRows(x, BATCH, n0, list, lc);
  const packedX = new Float32Array(4 * BATCH);
  const rowOffsets = new Int32Array(BATCH);
  // A ReLU layer's dz is 0 wherever the unit did not fire: ~35 % of entries once training is under way.
  const dzRelu = dz1.map((v) => (rng.next() < 0.35 ? 0 : v));
  const dIdx = new Uint16Array(BATCH * n1);
  const dCnt = new Int32Array(BATCH);
  const packed = new Float32Array(BATCH * n0);
  buildRowNonzeros(dzRelu, BATCH, n1, dIdx, dCnt);
  let outerMacs = 0;
  for (let b = 0; b < BATCH; b++) outerMacs += dCnt[b]! * cnt[b]!;
  const dense1 = 2 * BATCH * n0 * n1;
  const dense2 = 2 * BATCH * n1 * n2;
  const fig = (kernel: string, flops: number, useful: number, fn: () => void): KernelFigure => {
    const g = kernelGflops(flops, fn);
    return { kernel, denseEquivalentGflops: g, gflops: (g * useful) / flops };
  };
  return [
    fig(`layer 1 forward, dense gemmABt ${BATCH}×${n0}·(${n1}×${n0})ᵀ`, dense1, dense1, () =>
      gemmABt(x, w1, z1, BATCH, n1, n0, b1),
    ),
    fig(
      `layer 1 forward, sparse (index + sparseRowsABt), ${(nz / x.length).toFixed(2)} non-zero`,
      dense1,
      2 * nz * n1,
      () => {
        buildRowNonzeros(x, BATCH, n0, idx, cnt);
        sparseRowsABt(x, idx, cnt, w1, z1, BATCH, n1, n0, b1);
      },
    ),
    fig(`layer 1 weight grad, dense gemmAtB (${BATCH}×${n1})ᵀ·${BATCH}×${n0}`, dense1, dense1, () =>
      gemmAtB(dz1, x, gw1, n1, n0, BATCH),
    ),
    fig(
      `layer 1 weight grad, sparse (index + sparseBlocksAtB), ${(pairs / (blocks * BATCH)).toFixed(2)} of blocks`,
      dense1,
      2 * pairs * 4 * n1,
      () => {
        buildColumnBlockRows(x, BATCH, n0, list, lc);
        sparseBlocksAtB(dz1, x, list, lc, gw1, n1, n0, BATCH, packedX, rowOffsets);
      },
    ),
    fig(
      'layer 1 weight grad, sparse outer products (index dz + sparseOuterAtB), dz 35 % zeros',
      dense1,
      2 * outerMacs,
      () => {
        buildRowNonzeros(dzRelu, BATCH, n1, dIdx, dCnt);
        sparseOuterAtB(dzRelu, dIdx, dCnt, x, idx, cnt, packed, gw1, n1, n0, BATCH);
      },
    ),
    fig(`layer 2 forward, gemmABt ${BATCH}×${n1}·(${n2}×${n1})ᵀ`, dense2, dense2, () =>
      gemmABt(h1, w2, z2, BATCH, n2, n1, b2),
    ),
    fig(`layer 2 weight grad, gemmAtB`, dense2, dense2, () => gemmAtB(dz2, h1, gw2, n2, n1, BATCH)),
    fig(`layer 2 input grad, gemmAB ${BATCH}×${n2}·${n2}×${n1}`, dense2, dense2, () =>
      gemmAB(dz2, w2, dh1, BATCH, n1, n2),
    ),
  ];
}
