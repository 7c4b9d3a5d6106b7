/**
 * Compute workers for the training worker: nested module workers running compute.worker.ts, and what this
 * page allows — shared memory needs cross-origin isolation (COOP/COEP headers: vite.config.ts, README's
 * "Hosting") and a browser that gives it (sharedMemory.ts: SharedArrayBuffer, else a shared
 * WebAssembly.Memory's); without it training stays on one worker and the page says which of the two failed.
 */
import type { ComputeThread } from '../training/parallel/computePool';
import { COMPUTE_READY } from '../training/parallel/computeShares';
import { sharedMemoryAvailable } from '../training/parallel/sharedMemory';
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
  /** Whether this thread can share memory with workers (sharedMemory.ts's probe; tests stand in for it). */
  sharedMemory?: () => boolean;
}): ComputeOptions {
  const cores = scope.navigator.hardwareConcurrency ?? 1;
  return {
    spawn: typeof Worker === 'function' ? spawnComputeWorker : null,
    cores: cores > 0 ? cores : 1,
    // Isolation first: a browser may hand shared memory to a page that is not isolated (a flag, an old
    // engine), but the app keeps to what every browser promises.
    unavailable:
      scope.crossOriginIsolated !== true
        ? 'not-isolated'
        : !(scope.sharedMemory ?? sharedMemoryAvailable)()
          ? 'no-shared-memory'
          : null,
  };
}
