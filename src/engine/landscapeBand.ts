/**
 * One band of a loss landscape's grid (some of its rows β, every column α), computed on a thread of its
 * own (worker/landscapeGrid.worker.ts, started by the page: app/landscapeThreads.ts) from the plan the
 * training worker made (training/landscapeJob.ts). Each grid point's loss depends on that point alone, so the bands
 * put together are the bits of one grid computed in one go.
 */
import { LandscapeGrid } from './landscape.ts';
import type { NetworkParams } from './network.ts';
import type { Activation } from './types.ts';

/** A band of the grid: the plane (θ, d₁, d₂), the images, every column α and this band's rows β. */
export interface GridBandTask {
  center: NetworkParams;
  d1: NetworkParams;
  d2: NetworkParams;
  activation: Activation;
  /** [images · inputSize] in [0, 1], and their labels. */
  x: Float32Array;
  labels: Uint8Array;
  alphas: Float32Array;
  betas: Float32Array;
}

export type GridBandMessage =
  /** Posted by the thread as soon as its script runs, before any task (the page's start watchdog). */
  | { type: 'started' }
  | { type: 'progress'; done: number }
  | { type: 'done'; losses: Float32Array; workMs: number }
  | { type: 'error'; message: string };

/** Progress messages at most this often (ms). */
const PROGRESS_MS = 200;

export function computeBand(
  task: GridBandTask,
  post: (message: GridBandMessage, transfer?: ArrayBuffer[]) => void,
  /** The clock (ms): the thread's performance.now. */
  now: () => number,
): void {
  try {
    const grid = new LandscapeGrid(
      task.center,
      task.d1,
      task.d2,
      task.activation,
      task.x,
      task.labels,
      task.labels.length,
      { alphas: Float64Array.from(task.alphas), betas: Float64Array.from(task.betas) },
    );
    const t0 = now();
    let last = t0;
    while (!grid.step()) {
      if (now() - last >= PROGRESS_MS) {
        last = now();
        post({ type: 'progress', done: grid.done });
      }
    }
    post({ type: 'done', losses: grid.losses, workMs: now() - t0 }, [grid.losses.buffer as ArrayBuffer]);
  } catch (e) {
    post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
}
