/** Starts one loss-landscape grid thread (a module Web Worker; the site's CSP allows workers of its own). */
import type { GridThread } from './landscapeThreads';

export function startGridThread(): GridThread {
  return new Worker(new URL('../worker/landscapeGrid.worker.ts', import.meta.url), {
    type: 'module',
    name: 'landscape grid',
  }) as unknown as GridThread;
}

/** Threads for a grid: the cores the browser reports, at most MAX_GRID_THREADS. */
export function gridThreadCount(max: number): number {
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : 0;
  return Math.max(1, Math.min(max, cores > 0 ? cores : 2));
}
