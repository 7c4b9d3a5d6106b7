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
/**
 * A thread that has said nothing this long after it was started has failed: the run fails as a failed
 * thread, and the grid goes to the training worker (the caller's fallback). A module worker starts in
 * ~50 ms. Firefox ESR 153 in a cross-origin isolated page was seen to stall about one landscape in four
 * (the engines smoke, two threads) for ~53 s and then fail its thread without a message: the landscape
 * took a minute. A second thread started after 5 s stalled as well, so there is no retry.
 */
export const GRID_THREAD_START_MS = 5_000;

/** Timers, injectable for tests. */
export interface GridTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}
const realTimers: GridTimers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

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
  timers: GridTimers = realTimers,
  startTimeoutMs = GRID_THREAD_START_MS,
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
    const watchdogs: unknown[] = [];
    const stopAll = () => {
      settled = true;
      for (const w of watchdogs) if (w !== undefined) timers.clear(w);
      for (const t of running) t.terminate();
    };
    cancel = () => {
      if (settled) return;
      stopAll();
      reject(new Error('The landscape was cancelled.'));
    };
    /** Starts band i's thread, watched until its first word. */
    const launch = (i: number) => {
      const [r0, r1] = parts[i]!;
      const thread = start();
      running.push(thread);
      watchdogs[i] = timers.set(() => {
        if (settled) return;
        stopAll();
        reject(new Error(`A landscape thread failed: it did not start within ${startTimeoutMs / 1000} s.`));
      }, startTimeoutMs);
      thread.onmessage = ({ data }) => {
        if (settled) return;
        if (watchdogs[i] !== undefined) {
          timers.clear(watchdogs[i]);
          watchdogs[i] = undefined;
        }
        if (data.type === 'started') return;
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
            stopAll();
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
    };
    parts.forEach((_, i) => launch(i));
  });
  return { result, cancel: () => cancel() };
}
