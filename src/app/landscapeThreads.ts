/**
 * The loss landscape's grid on threads of the page's own: the training worker makes the plan (the plane,
 * the path, the images: landscape-plan), and this splits the grid's rows into one band per thread
 * (training/landscapeBand.ts), so the grid uses every core and none of the training worker's time;
 * Cancel terminates the threads. The bands are put back in order: the same bits as one grid.
 */
import type { LandscapePlan } from '../protocol/messages';
import type { GridBandMessage, GridBandTask } from '../engine/landscapeBand';

export interface GridThread {
  postMessage(task: GridBandTask): void;
  onmessage: ((ev: { data: GridBandMessage }) => void) | null;
  onerror: ((ev: { message?: string }) => void) | null;
  terminate(): void;
}

/** At most this many threads (a 31-row grid gains little past it, and each holds the images). */
export const MAX_GRID_THREADS = 4;

/** Row bands [start, end) of `rows` rows for `threads` threads, as even as can be. */
export function bands(rows: number, threads: number): [number, number][] {
  const n = Math.max(1, Math.min(threads, rows));
  return Array.from({ length: n }, (_, i) => [Math.floor((i * rows) / n), Math.floor(((i + 1) * rows) / n)]);
}

export interface GridRun {
  result: Promise<{ losses: Float32Array; workMs: number; threads: number }>;
  cancel(): void;
}

export function computeGridOnThreads(
  plan: LandscapePlan,
  threads: number,
  start: () => GridThread,
  onProgress: (done: number, total: number) => void,
): GridRun {
  const cols = plan.alphas.length;
  const rows = plan.betas.length;
  const parts = bands(rows, threads);
  const losses = new Float32Array(rows * cols);
  const done = parts.map(() => 0);
  const running: GridThread[] = [];
  let settled = false;
  let cancel: () => void = () => {};
  const result = new Promise<{ losses: Float32Array; workMs: number; threads: number }>((resolve, reject) => {
    let finished = 0;
    let workMs = 0;
    const stopAll = () => {
      settled = true;
      for (const t of running) t.terminate();
    };
    cancel = () => {
      if (settled) return;
      stopAll();
      reject(new Error('The landscape was cancelled.'));
    };
    parts.forEach(([r0, r1], i) => {
      const thread = start();
      running.push(thread);
      thread.onmessage = ({ data }) => {
        if (settled) return;
        if (data.type === 'progress') {
          done[i] = data.done;
          onProgress(
            done.reduce((a, b) => a + b, 0),
            rows * cols,
          );
        } else if (data.type === 'done') {
          losses.set(data.losses, r0 * cols);
          done[i] = (r1 - r0) * cols;
          workMs += data.workMs;
          onProgress(
            done.reduce((a, b) => a + b, 0),
            rows * cols,
          );
          thread.terminate();
          if (++finished === parts.length) {
            settled = true;
            resolve({ losses, workMs, threads: parts.length });
          }
        } else {
          stopAll();
          reject(new Error(`The landscape could not be computed: ${data.message}`));
        }
      };
      thread.onerror = (ev) => {
        if (settled) return;
        stopAll();
        reject(new Error(`A landscape thread failed${ev.message ? `: ${ev.message}` : ''}.`));
      };
      thread.postMessage({
        center: plan.center,
        d1: plan.d1,
        d2: plan.d2,
        activation: plan.activation,
        x: plan.x,
        labels: plan.labels,
        alphas: plan.alphas,
        betas: plan.betas.slice(r0, r1),
      });
    });
  });
  return { result, cancel: () => cancel() };
}
