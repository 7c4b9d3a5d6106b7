/**
 * Compute workers for Node (the CLI, the benchmarks, the tests): worker threads running compute.thread.ts.
 * The file is TypeScript, so each thread registers tsx's loader first (as `npm run train` does for the main
 * thread; Node 20 does not carry `--import tsx` over to a worker's execArgv), through a two-line bootstrap.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { resolveWorkers } from '../settings/workerCount.ts';
import { ComputePool, type ComputeThread } from '../training/parallel/computePool.ts';
import { COMPUTE_READY, NODE_SPIN_MS } from '../training/parallel/computeShares.ts';

const THREAD_FILE = new URL('./compute.thread.ts', import.meta.url).href;
// tsx's ESM API (its `import` export; require.resolve would name the CommonJS build).
const TSX_API = pathToFileURL(
  join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs'),
).href;
/** The source of a worker (`eval: true`) that registers tsx's loader, then runs the TypeScript file at `url`. */
export function tsxBootstrap(url: string): string {
  return `import(${JSON.stringify(TSX_API)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}); });`;
}
const BOOTSTRAP = tsxBootstrap(THREAD_FILE);
/** A thread that has not loaded after this long is given up (tsx compiles the engine on first load: ~1 s). */
const START_TIMEOUT_MS = 30_000;

export function spawnNodeCompute(): ComputeThread {
  const worker = new Worker(BOOTSTRAP, { eval: true });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer after 30 s')), START_TIMEOUT_MS);
    worker.once('message', (m) => {
      clearTimeout(timer);
      if (m === COMPUTE_READY) resolve();
      else reject(new Error(`unexpected first message ${JSON.stringify(m)}`));
    });
    worker.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    worker.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with code ${code}`));
    });
  });
  ready.then(
    // A thread blocked in Atomics.wait must not keep the process alive once the CLI is done.
    () => worker.unref(),
    () => undefined,
  );
  worker.on('error', (e) => {
    process.stderr.write(`compute worker: ${e instanceof Error ? e.message : String(e)}\n`);
  });
  return {
    post: (message) => worker.postMessage(message),
    terminate: () => void worker.terminate(),
    ready,
  };
}

/** Cores this process may use (Node's own count, which honours CPU affinity). */
export function nodeCores(): number {
  return availableParallelism();
}

/** A pool of worker threads for Node, its threads spinning briefly between steps (the cores are ours). */
export function nodeComputePool(): ComputePool {
  return new ComputePool(spawnNodeCompute, NODE_SPIN_MS);
}

/**
 * The compute threads for `--workers` (clamped to the cores, with a note): a ready pool, or none for one
 * thread. A pool that cannot start is not fatal: the run goes on one thread and says so.
 */
export async function cliComputePool(
  requested: number,
  note: (line: string) => void,
): Promise<ComputePool | undefined> {
  const count = resolveWorkers(requested, nodeCores());
  if (count.note) note(`note: ${count.note}\n`);
  if (count.used <= 1) return undefined;
  const pool = nodeComputePool();
  try {
    await pool.resize(count.used);
    return pool;
  } catch (e) {
    pool.dispose();
    note(`note: ${(e as Error).message}; training on 1 thread.\n`);
    return undefined;
  }
}
