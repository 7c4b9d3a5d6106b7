/**
 * Engine benchmark: trains 784-128-64-10 (ReLU, batch 64, plain SGD) on MNIST with our engine and with
 * TensorFlow.js on its pure-JS `cpu` backend and its WASM backend (SIMD on, one thread), in one process,
 * alternating engines, several repetitions; prints samples/s (median, min, max), the ratios, and our
 * kernels' GFLOP/s for this shape.
 *
 *   npm run bench                       # 5 repetitions × ~3 s per engine
 *   npm run bench -- --json             # one JSON object on stdout
 *   npm run bench -- --reps 3 --seconds 2 --engines ours,wasm
 *
 * What is timed, per engine: whole training steps (forward, loss, backward, SGD update) over real MNIST
 * batches. Ours runs the app's TrainingSession, so its time also includes gathering each batch from the
 * shuffled dataset and converting bytes to floats; TF.js gets pre-made batch tensors (reused
 * round-robin) and `optimizer.minimize` (faster than model.trainOnBatch, which adds an async round trip
 * per batch) — if anything, that favours TF.js.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gemmAB, gemmABt, gemmAtB } from '../src/engine/kernels/dense.ts';
import {
  buildColumnBlockRows,
  buildRowNonzeros,
  sparseBlocksAtB,
  sparseOuterAtB,
  sparseRowsABt,
} from '../src/engine/kernels/sparse.ts';
import { Rng } from '../src/engine/rng.ts';
import { DEFAULT_CONFIG, type TrainConfig } from '../src/engine/types.ts';
import { TrainingSession } from '../src/training/session.ts';
import type { Split } from '../src/data/dataset.ts';
import { loadMnistNode } from './mnistNode.ts';

type EngineName = 'ours' | 'tfjs-cpu' | 'tfjs-wasm';

interface Options {
  reps: number;
  seconds: number;
  json: boolean;
  engines: EngineName[];
}

function parseArgs(argv: string[]): Options {
  const o: Options = { reps: 5, seconds: 3, json: false, engines: ['ours', 'tfjs-cpu', 'tfjs-wasm'] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--json') o.json = true;
    else if (a === '--reps') o.reps = Math.max(1, Number.parseInt(next(), 10));
    else if (a === '--seconds') o.seconds = Math.max(0.2, Number.parseFloat(next()));
    else if (a === '--engines') {
      const alias: Record<string, EngineName> = { ours: 'ours', cpu: 'tfjs-cpu', wasm: 'tfjs-wasm' };
      o.engines = next()
        .split(',')
        .map((s) => {
          const e = alias[s] ?? (s as EngineName);
          if (!['ours', 'tfjs-cpu', 'tfjs-wasm'].includes(e)) throw new Error(`unknown engine ${s}`);
          return e;
        });
    } else
      throw new Error(`unknown option ${a} (use --json, --reps N, --seconds S, --engines ours,cpu,wasm)`);
  }
  return o;
}

const BATCH = 64;
const HIDDEN = [128, 64];
const LR = 0.05;
/** Multiply-adds per sample of one training step: forward all layers, weight gradients all layers, input
 *  gradients of every layer but the first (the pixels need none). ×2 = FLOPs. */
const SIZES = [784, ...HIDDEN, 10];
const MACS_PER_SAMPLE = (() => {
  let fwd = 0;
  let bwdInput = 0;
  for (let l = 0; l + 1 < SIZES.length; l++) {
    const m = SIZES[l]! * SIZES[l + 1]!;
    fwd += m;
    if (l > 0) bwdInput += m;
  }
  return 2 * fwd + bwdInput;
})();

interface Runner {
  /** Trains batches until `seconds` have passed; returns { samples, seconds, loss (mean of the last 20) }. */
  run(seconds: number): { samples: number; seconds: number; loss: number };
  /** Ours only: how often each first-layer kernel was chosen so far ("forward:weightGrad" → batches). */
  kernelChoices?: () => Record<string, number>;
}

function oursRunner(data: { train: Split; test: Split }): Runner {
  const config: TrainConfig = {
    ...DEFAULT_CONFIG,
    hidden: HIDDEN,
    optimizer: 'sgd',
    learningRate: LR,
    schedule: 'constant',
    batchSize: BATCH,
  };
  const session = new TrainingSession(config, data);
  const choices: Record<string, number> = {};
  const note = (): void => {
    const k = session.network.firstLayerKernels();
    const key = `forward ${k.forward}, weight grad ${k.weightGrad}`;
    choices[key] = (choices[key] ?? 0) + 1;
  };
  return {
    kernelChoices: () => ({ ...choices }),
    run(seconds) {
      const losses: number[] = [];
      let samples = 0;
      const t0 = performance.now();
      let t = t0;
      const end = t0 + seconds * 1000;
      while (t < end) {
        // Check the clock every 8 batches (~5 ms): performance.now() is cheap but not free.
        for (let i = 0; i < 8; i++) {
          const r = session.trainBatch();
          if ((r.step & 63) === 0) note(); // sample the kernel choice now and then
          samples += r.batchSize;
          losses.push(r.loss);
        }
        t = performance.now();
      }
      return { samples, seconds: (t - t0) / 1000, loss: mean(losses.slice(-20)) };
    },
  };
}

/** Pre-made batches for TF.js: `count` batches of BATCH shuffled samples, floats 0..1, one-hot labels. */
function makeTfBatches(train: Split, count: number): { x: tf.Tensor2D; y: tf.Tensor2D }[] {
  const rng = new Rng(1);
  const order = Uint32Array.from({ length: train.count }, (_, i) => i);
  rng.shuffle(order);
  const batches: { x: tf.Tensor2D; y: tf.Tensor2D }[] = [];
  for (let b = 0; b < count; b++) {
    const x = new Float32Array(BATCH * 784);
    const y = new Float32Array(BATCH * 10);
    for (let i = 0; i < BATCH; i++) {
      const s = order[b * BATCH + i]!;
      for (let p = 0; p < 784; p++) x[i * 784 + p] = train.images[s * 784 + p]! / 255;
      y[i * 10 + train.labels[s]!] = 1;
    }
    batches.push({ x: tf.tensor2d(x, [BATCH, 784]), y: tf.tensor2d(y, [BATCH, 10]) });
  }
  return batches;
}

function tfRunner(backend: 'cpu' | 'wasm', train: Split): Runner {
  tf.setBackend(backend); // initialised in main() before any runner is built, so this switch is synchronous
  const model = tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [784],
        units: HIDDEN[0]!,
        activation: 'relu',
        kernelInitializer: 'heNormal',
      }),
      tf.layers.dense({ units: HIDDEN[1]!, activation: 'relu', kernelInitializer: 'heNormal' }),
      tf.layers.dense({ units: 10, kernelInitializer: 'heNormal' }), // logits; softmax inside the loss
    ],
  });
  const optimizer = tf.train.sgd(LR);
  const batches = makeTfBatches(train, 200);
  let next = 0;
  return {
    run(seconds) {
      tf.setBackend(backend);
      const losses: number[] = [];
      let samples = 0;
      const t0 = performance.now();
      let t = t0;
      const end = t0 + seconds * 1000;
      while (t < end) {
        const { x, y } = batches[next]!;
        next = (next + 1) % batches.length;
        const loss = optimizer.minimize(
          () => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor2D) as tf.Scalar,
          true,
        )!;
        // Reading the loss forces the step to finish (and is what a UI would do anyway).
        losses.push(loss.dataSync()[0]!);
        loss.dispose();
        samples += BATCH;
        t = performance.now();
      }
      return { samples, seconds: (t - t0) / 1000, loss: mean(losses.slice(-20)) };
    },
  };
}

function mean(a: number[]): number {
  return a.length === 0 ? NaN : a.reduce((s, v) => s + v, 0) / a.length;
}

function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

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

interface KernelFigure {
  kernel: string;
  /** FLOPs of the dense product ÷ time. */
  denseEquivalentGflops: number;
  /** FLOPs actually performed (non-zero terms only, for the sparse kernels) ÷ time. */
  gflops: number;
}

/** Our kernels on this network's shapes; the first layer on real MNIST pixels (its sparsity matters). */
function measureKernels(train: Split): KernelFigure[] {
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
        sparseBlocksAtB(dz1, x, list, lc, gw1, n1, n0, BATCH);
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

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const log = (s: string) => {
    if (!opts.json) console.log(s);
  };
  const data = loadMnistNode();

  const runners = new Map<EngineName, Runner>();
  const wantTf = opts.engines.some((e) => e !== 'ours');
  if (wantTf) {
    // TF.js prints a hint about tfjs-node on import in Node; it is irrelevant here.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false); // one thread
    const require = createRequire(import.meta.url);
    const wasmDist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
    // In Node, Emscripten reads the .wasm with fs from this prefix (a directory path, trailing slash).
    setWasmPaths(`${wasmDist}/`);
    for (const b of ['cpu', 'wasm'] as const) {
      if (opts.engines.includes(`tfjs-${b}`) && !(await tf.setBackend(b))) {
        throw new Error(`TF.js backend ${b} failed to initialise`);
      }
    }
    await tf.ready();
  }
  for (const e of opts.engines) {
    runners.set(e, e === 'ours' ? oursRunner(data) : tfRunner(e === 'tfjs-cpu' ? 'cpu' : 'wasm', data.train));
  }
  const wantWasm = opts.engines.includes('tfjs-wasm');
  const wasmSimd = wantWasm ? Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) : null;
  const wasmThreads = wantWasm ? Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) : null;

  log(`Backprop Lab engine benchmark — 784-${HIDDEN.join('-')}-10 ReLU, batch ${BATCH}, SGD lr ${LR}, MNIST`);
  log(`node ${process.version}, ${opts.reps} repetitions × ~${opts.seconds} s per engine, alternating`);
  if (wantTf) {
    log(`tfjs ${tf.version.tfjs}${wantWasm ? `; wasm SIMD ${wasmSimd}, multithread ${wasmThreads}` : ''}`);
  }

  // Warm-up: JIT / wasm compilation, first allocations.
  for (const [, r] of runners) r.run(Math.min(1, opts.seconds / 2));

  const samplesPerSecond = new Map<EngineName, number[]>(opts.engines.map((e) => [e, []]));
  const finalLoss = new Map<EngineName, number>();
  for (let rep = 0; rep < opts.reps; rep++) {
    // Rotate the starting engine so none always runs first (thermal / GC effects).
    const order = opts.engines.map((_, i) => opts.engines[(i + rep) % opts.engines.length]!);
    const line: string[] = [];
    for (const e of order) {
      const r = runners.get(e)!.run(opts.seconds);
      const sps = r.samples / r.seconds;
      samplesPerSecond.get(e)!.push(sps);
      finalLoss.set(e, r.loss);
      line.push(`${e} ${Math.round(sps).toLocaleString('en-US')}`);
    }
    log(`  rep ${rep + 1}: ${line.join(' · ')} samples/s`);
  }

  const summary = opts.engines.map((e) => {
    const v = samplesPerSecond.get(e)!;
    return {
      engine: e,
      median: median(v),
      min: Math.min(...v),
      max: Math.max(...v),
      samples: v,
      lastLoss: finalLoss.get(e)!,
    };
  });
  const ours = summary.find((s) => s.engine === 'ours');
  const ratios: Record<string, number> = {};
  if (ours) {
    for (const s of summary) if (s.engine !== 'ours') ratios[`ours/${s.engine}`] = ours.median / s.median;
  }
  const kernels = measureKernels(data.train);
  const oursChoices = runners.get('ours')?.kernelChoices?.() ?? null;
  const stepGflops = ours ? (ours.median * MACS_PER_SAMPLE * 2) / 1e9 : null;

  if (opts.json) {
    console.log(
      JSON.stringify({
        workload: { layers: SIZES, batch: BATCH, optimizer: 'sgd', learningRate: LR, activation: 'relu' },
        node: process.version,
        tfjs: wantTf ? tf.version.tfjs : null,
        wasmSimd,
        wasmThreads,
        reps: opts.reps,
        seconds: opts.seconds,
        samplesPerSecond: summary,
        ratios,
        flopsPerSample: MACS_PER_SAMPLE * 2,
        oursEffectiveGflops: stepGflops,
        oursFirstLayerKernels: oursChoices,
        kernelsGflops: kernels,
      }),
    );
    return;
  }
  log('');
  log('engine        median     min        max   (samples/s)   loss (last 20 batches)');
  for (const s of summary) {
    const f = (v: number) => Math.round(v).toLocaleString('en-US').padStart(9);
    log(
      `${s.engine.padEnd(10)} ${f(s.median)} ${f(s.min)} ${f(s.max)}   ${s.lastLoss.toFixed(3).padStart(8)}`,
    );
  }
  for (const [k, v] of Object.entries(ratios)) log(`${k}: ${v.toFixed(2)}×`);
  log('');
  log(
    `ours, whole step: ${(MACS_PER_SAMPLE * 2) / 1000} kFLOP/sample → ${stepGflops?.toFixed(2) ?? '–'} GFLOP/s dense-equivalent (this many FLOP per sample ÷ time per sample)`,
  );
  if (oursChoices) {
    const total = Object.values(oursChoices).reduce((a, b) => a + b, 0);
    for (const [k, n] of Object.entries(oursChoices)) {
      log(`ours, first layer: ${k} in ${((100 * n) / total).toFixed(0)} % of sampled batches`);
    }
  }
  log('kernels, GFLOP/s performed (dense-equivalent = FLOPs of the dense product ÷ time):');
  for (const k of kernels) {
    const same = Math.abs(k.gflops - k.denseEquivalentGflops) < 1e-9 * k.gflops;
    const dense = same ? '' : ` (dense-equivalent ${k.denseEquivalentGflops.toFixed(2)})`;
    log(`  ${k.kernel}: ${k.gflops.toFixed(2)}${dense}`);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
