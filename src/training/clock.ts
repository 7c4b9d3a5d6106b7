/**
 * Time and task scheduling for the trainer, behind an interface so tests drive it deterministically.
 *
 * The trainer never blocks for long: it trains for a time slice, then yields with `schedule(fn, 0)` so
 * the worker's message queue (predict, pause, ack-snapshot …) is served between slices.
 */
export interface Clock {
  /** Milliseconds, monotonic (performance.now in browsers and Node). */
  now(): number;
  /**
   * Runs `fn` as a new macrotask after at least `ms` milliseconds (0 = right after the messages already
   * queued). Returns a function that cancels it (a no-op once it ran).
   */
  schedule(fn: () => void, ms: number): () => void;
}

/**
 * The real clock. In browsers, zero-delay tasks go through a MessageChannel rather than `setTimeout(0)`: browsers clamp
 * nested zero timeouts to ≥ 4 ms, which would idle the trainer ~15 % of the time between 25 ms slices.
 * A message posted to our own port queues behind messages already waiting from the page, so commands are
 * still answered between slices.
 */
export function realClock(): Clock {
  const perf = globalThis.performance;
  const now = perf ? () => perf.now() : () => Date.now();
  let channel: MessageChannel | null = null;
  const queue: { fn: () => void; cancelled: boolean }[] = [];

  function immediate(fn: () => void): () => void {
    // Node: setImmediate yields to timers and I/O. (Node drains a MessagePort's queue, including messages
    // posted while draining, before running timers: a MessageChannel loop there starves everything else.)
    const g = globalThis as {
      setImmediate?: (f: () => void) => unknown;
      clearImmediate?: (h: unknown) => void;
    };
    if (typeof g.setImmediate === 'function') {
      const h = g.setImmediate(fn);
      return () => g.clearImmediate?.(h);
    }
    if (typeof MessageChannel !== 'function') return timeout(fn, 0);
    if (!channel) {
      channel = new MessageChannel();
      channel.port1.onmessage = () => {
        const task = queue.shift();
        if (task && !task.cancelled) task.fn();
      };
    }
    const task = { fn, cancelled: false };
    queue.push(task);
    channel.port2.postMessage(0);
    return () => {
      task.cancelled = true;
    };
  }

  function timeout(fn: () => void, ms: number): () => void {
    const h = setTimeout(fn, ms);
    return () => clearTimeout(h);
  }

  return {
    now,
    schedule: (fn, ms) => (ms <= 0 ? immediate(fn) : timeout(fn, ms)),
  };
}
