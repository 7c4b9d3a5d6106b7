/**
 * Compute workers for the training worker: nested module workers running compute.worker.ts, and what this
 * page allows — shared memory needs cross-origin isolation (COOP/COEP headers: vite.config.ts, README's
 * "Hosting"); without it training stays on one worker and the page says why.
 */
import type { ComputeThread } from '../training/parallel/computePool';
import { COMPUTE_READY } from '../training/parallel/computeShares';
import type { ComputeOptions } from '../training/parallel/threads';

/** A compute worker that has not loaded after this long is given up (it loads in ~0.1 s). */
const START_TIMEOUT_MS = 15_000;

function spawnComputeWorker(): ComputeThread {
  const worker = new Worker(new URL('./compute.worker.ts', import.meta.url), {
    type: 'module',
    name: 'compute',
  });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer after 15 s')), START_TIMEOUT_MS);
    worker.onmessage = (ev: MessageEvent) => {
      clearTimeout(timer);
      if (ev.data === COMPUTE_READY) resolve();
      else reject(new Error('an unexpected first message'));
    };
    worker.onerror = (ev: ErrorEvent) => {
      clearTimeout(timer);
      ev.preventDefault();
      reject(new Error(ev.message || 'it failed to load'));
    };
  });
  return {
    post: (message) => worker.postMessage(message),
    terminate: () => worker.terminate(),
    ready,
  };
}

/** What this worker's scope offers: nested workers, the cores, and whether memory can be shared. */
export function browserCompute(scope: {
  crossOriginIsolated?: boolean;
  navigator: { hardwareConcurrency?: number };
}): ComputeOptions {
  const cores = scope.navigator.hardwareConcurrency ?? 1;
  const isolated = scope.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function';
  return {
    spawn: typeof Worker === 'function' ? spawnComputeWorker : null,
    cores: cores > 0 ? cores : 1,
    unavailable: isolated ? null : 'not-isolated',
  };
}
