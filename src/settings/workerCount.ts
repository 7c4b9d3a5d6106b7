/**
 * How many threads a run trains with: the `workers` setting (0 = automatic) against what this machine and
 * this page allow. Pure, so the worker, the CLI and the tests share one rule.
 */

/**
 * The automatic choice is every core, up to this many. Measured on a 2-core machine (`npm run
 * bench:browser -- --workers 1,2`): two threads keep the page's budgets (≥ 55 frames/s, no main-thread
 * task over 50 ms, predict < 30 ms median) — the page's own thread needs little. Beyond 4, a batch of 64
 * leaves each thread ≤ 16 rows while the serial part (gathering the batch, waking the threads) stays; that
 * was not measurable here, so the automatic choice stops at 4 and a larger number is a user's choice.
 */
export const AUTO_MAX_WORKERS = 4;

/** Why a run trains on one thread whatever it asked for. */
export type SingleThreadReason =
  /** The page is not cross-origin isolated (no COOP/COEP headers): browsers give it no shared memory. */
  | 'not-isolated'
  /**
   * The page is isolated, but this browser still gives it no shared memory that workers can be sent: no
   * SharedArrayBuffer, and no shared WebAssembly.Memory either (WebKitGTK: it makes them, but refuses to
   * post them to a worker).
   */
  | 'no-shared-memory'
  /** Compute workers could not start (a failed load, a browser without nested workers). */
  | 'no-workers';

/** The end of the one-line note "Training on 1 worker: …", per reason. */
export const SINGLE_THREAD_WHY: Readonly<Record<SingleThreadReason, string>> = {
  'not-isolated':
    'this page is not cross-origin isolated (its host sends no COOP/COEP headers), so it cannot share memory between workers',
  'no-shared-memory':
    'this browser gives no shared memory to this page (it is cross-origin isolated, but workers cannot be sent shared buffers here)',
  'no-workers': 'the compute workers could not start',
};

export interface WorkerCount {
  /** Threads that will train each batch. */
  used: number;
  /** What the setting asked for (0 = automatic). */
  requested: number;
  /** One line for the user when `used` is not what they asked for (null: nothing to say). */
  note: string | null;
}

/**
 * The thread count for `requested` (the setting) on a machine with `cores`, where shared memory is
 * available unless `unavailable` says why not.
 */
export function resolveWorkers(
  requested: number,
  cores: number,
  unavailable: SingleThreadReason | null = null,
): WorkerCount {
  const machine = Math.max(1, Math.floor(cores) || 1);
  const want = requested > 0 ? Math.floor(requested) : Math.min(machine, AUTO_MAX_WORKERS);
  if (unavailable) {
    const why = SINGLE_THREAD_WHY[unavailable];
    return {
      used: 1,
      requested,
      // Nothing to say to someone who wanted one thread anyway.
      note: want > 1 ? `Training on 1 worker: ${why}.` : null,
    };
  }
  if (want > machine) {
    return {
      used: machine,
      requested,
      note: `${want} workers asked for; this machine has ${machine} ${machine === 1 ? 'core' : 'cores'}: training on ${machine}.`,
    };
  }
  return { used: want, requested, note: null };
}
