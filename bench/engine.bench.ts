/**
 * Engine benchmark, in one process; each part alternates what it compares inside every repetition (the
 * starting one rotated) so machine noise hits all alike, warms every runner up first, and reports samples/s
 * as the median of the repetitions with their min and max. Parts, in the order they run:
 *
 * - engines: 784-128-64-10 (ReLU, batch 64, SGD lr 0.05) on MNIST, ours on one thread against TF.js's
 *   pure-JS `cpu` backend and its WASM backend (SIMD, one thread); the ratios, our step's GFLOP/s and our
 *   kernels' GFLOP/s for these shapes (./enginesPart.ts).
 * - dense: the same workload on Fashion-MNIST (dense inputs), ours on one thread against TF.js WASM-SIMD,
 *   beside the MNIST ratio; and whether TF.js's WASM could run threaded here (not in Node) (./dense.ts).
 * - scaling: ours with N = 1, 2, … threads (the coordinator included) splitting each batch, for the
 *   default network (784-256-128-10, Adam, batch 64) and 784-128-64-10 (SGD, batch 64), on MNIST and
 *   Fashion-MNIST: samples/s, speed-up vs N = 1 in the same run, efficiency = speed-up ÷ N (./scaling.ts).
 * - batch: the default network on MNIST at batch 32, 64, 128, 256, with 1 and with the most threads.
 *
 * What is timed: whole training steps (forward, loss, backward, update) over real batches. Ours runs the
 * app's TrainingSession, so its time also includes gathering each batch from the shuffled dataset and
 * converting bytes to floats, and with N threads the whole data-parallel step; TF.js gets pre-made batch
 * tensors and optimizer.minimize (./tfjsRunner.ts) — if anything, that favours TF.js. Not timed: loading
 * the data, spawning the compute threads (one pool per N, made once), the warm-up runs.
 *
 *   npm run bench                                   # everything: 5 repetitions × ~2 s per runner
 *   npm run bench -- --json                         # one JSON object on stdout, every figure
 *   npm run bench -- --parts scaling --workers 1,2 --datasets mnist
 *   npm run bench -- --parts engines,dense --reps 3 --seconds 3 --engines ours,wasm
 *   npm run bench -- --parts batch --batches 32,256
 *   npx tsx bench/engine.bench.ts --reps 1 --seconds 0.5      # a quick check that it all runs
 *
 * Duration ≈ runners × (reps × seconds + a warm-up of min(1, seconds/2)) + ~10 s of kernel timing: runners
 * are engines 3, dense 2, scaling 2 networks × datasets × thread counts, batch batch sizes × 2. With the
 * defaults on 2 cores that is 21 runners × 11 s ≈ 4 minutes; the scaling part grows with the cores.
 *
 * Every figure comes with the cores this process kept busy (its CPU time ÷ wall time) and a warning when
 * other processes kept cores busy meanwhile: on a shared machine a "speed-up" can measure the neighbours.
 */
import { nodeComputePool, nodeCores } from '../src/cli/computeThreads.ts';
import { sharedMemoryAvailable } from '../src/training/parallel/sharedMemory.ts';
import { loadBenchData } from './benchData.ts';
import { parseArgs, USAGE, type Options } from './benchOptions.ts';
import { runDense, type DenseResult } from './dense.ts';
import { runEngines, type EnginesResult } from './enginesPart.ts';
import { Pools } from './pools.ts';
import { runBatchSizes, runScaling, type ScalingCurve } from './scaling.ts';
import type * as Tfjs from './tfjsRunner.ts';
import type { TfjsThread } from './tfjsThread.ts';

interface BenchResult {
  node: string;
  cores: number;
  options: Options;
  tfjs: Tfjs.TfInfo | null;
  engines: EnginesResult | null;
  dense: DenseResult | null;
  scaling: ScalingCurve[] | null;
  batch: ScalingCurve[] | null;
}

async function main(): Promise<void> {
  const cores = nodeCores();
  const argv = process.argv.slice(2);
  if (argv.includes('--help')) {
    console.log(USAGE);
    return;
  }
  const opts = parseArgs(argv, cores);
  const log = (s: string) => {
    if (!opts.json) console.log(s);
  };
  const has = (p: Options['parts'][number]) => opts.parts.includes(p);
  const threaded = has('scaling') || has('batch');
  if (threaded && opts.workers.at(-1)! > 1 && !sharedMemoryAvailable()) {
    throw new Error('this Node has no SharedArrayBuffer / Atomics: the thread counts cannot be measured');
  }

  const backends: Tfjs.TfBackend[] = [];
  if (has('engines') && opts.engines.includes('tfjs-cpu')) backends.push('cpu');
  if ((has('engines') && opts.engines.includes('tfjs-wasm')) || has('dense')) backends.push('wasm');
  // Started only when a part needs it: loading TF.js takes a while. In a thread of its own, so that loading
  // it cannot slow our runner (./tfjsThread.ts says how it did in this one).
  const started =
    backends.length > 0 ? await (await import('./tfjsThread.ts')).TfjsThread.start(backends) : null;
  const tfjs: TfjsThread | null = started?.thread ?? null;
  const tfInfo = started?.info ?? null;

  log(`Backprop Lab engine benchmark — parts: ${opts.parts.join(', ')}`);
  const tfLine = !tfInfo
    ? ''
    : `; tfjs ${tfInfo.version}${tfInfo.wasmSimd === null ? '' : `, wasm SIMD ${tfInfo.wasmSimd}`}`;
  log(
    `node ${process.version}, ${cores} cores; ${opts.reps} repetitions × ~${opts.seconds} s per runner, alternated${tfLine}`,
  );
  if (threaded && opts.workers.at(-1)! > cores) {
    log(`note: up to ${opts.workers.at(-1)} threads on ${cores} cores — past ${cores}, threads share cores`);
  }

  const result: BenchResult = {
    node: process.version,
    cores,
    options: opts,
    tfjs: tfInfo,
    engines: null,
    dense: null,
    scaling: null,
    batch: null,
  };
  const mnist = () => loadBenchData('mnist');
  const pools = new Pools(nodeComputePool);
  try {
    if (has('engines')) {
      log('');
      result.engines = runEngines(opts, mnist(), tfjs, log);
    }
    if (has('dense')) {
      log('');
      const fashion = loadBenchData('fashion-mnist');
      const mnistRatio = result.engines?.ratios['ours/tfjs-wasm'] ?? null;
      result.dense = runDense(opts, { fashion, mnist: mnist() }, tfjs!, mnistRatio, log);
      log(`  TF.js WASM threads: ${tfInfo!.wasmThreadsNote}`);
    }
    if (has('scaling')) {
      log('');
      result.scaling = await runScaling(opts, pools, log);
    }
    if (has('batch')) {
      log('');
      result.batch = await runBatchSizes(opts, pools, log);
    }
  } finally {
    pools.dispose();
    await tfjs?.close();
  }
  if (opts.json) console.log(JSON.stringify(result));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
