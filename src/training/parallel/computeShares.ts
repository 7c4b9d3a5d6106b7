/**
 * Data-parallel training, the part every thread shares: the layout of the shared buffers, the share of a
 * batch and of the parameters each thread takes, one step's two phases, and the loop a compute worker
 * runs. Pure (no Worker API): the browser's compute worker and the CLI's worker thread both call
 * {@link serveShares} with the messages they are sent.
 *
 * One step with N threads (the coordinator — the training worker, or the CLI's main thread — is thread 0):
 * 1. the coordinator gathers the batch into the shared `x`, `y`, writes n, the rate and the step number,
 *    bumps `SEQ` and wakes the helpers;
 * 2. phase 1 — thread k trains rows [⌊k·n/N⌋, ⌊(k+1)·n/N⌋) forward and backward on its own replica of the
 *    network (its weights are views of the one shared parameter buffer, its gradients its own buffer),
 *    normalising by the whole batch's n, so the shares' gradients add up to the batch's; it writes its loss
 *    sum and correct count and arrives at a barrier (`ARRIVED`);
 * 3. phase 2 — once all N arrived, thread k takes its slice of the flat parameter vector: sums the N
 *    gradients there in a fixed order (0 + 1 + … + N−1, so a given seed and N give the same bits every
 *    time), adds λw, and applies the optimizer to that slice (its state is shared too) — unless the batch's
 *    loss is not finite, which every thread computes alike from the shared sums; then it reports `DONE`.
 * The coordinator waits for every DONE and combines the per-layer update statistics.
 * Atomics (store/add, wait/notify) order the plain reads and writes around them: a helper sees the batch
 * and weights written before SEQ moved; every thread sees the others' gradients once all have arrived.
 */
import { argmaxRow } from '../../engine/evaluate.ts';
import { Network } from '../../engine/network.ts';
import { createOptimizer, optimizerSlots, type Optimizer } from '../../engine/optimizer.ts';
import type { ModelConfig, OptimConfig } from '../../engine/types.ts';

/** Int32 slots of the control block. */
export const SEQ = 0;
export const CMD = 1;
export const ROWS = 2;
/** Threads (the coordinator included) that finished their rows of the step. */
export const ARRIVED = 3;
/** Helpers that finished their slice of the update. */
export const DONE = 4;
/** 1 + the index of the first thread that failed (0: none); its message is in the control block's text. */
export const FAILED = 5;
/** The step number t of the update being applied (Adam's bias correction). */
export const STEP_T = 6;
export const CONTROL_INTS = 8;
/** UTF-16 code units of the failure message after the Int32 slots. */
export const MESSAGE_UNITS = 256;
export const CONTROL_BYTES = CONTROL_INTS * 4 + MESSAGE_UNITS * 2;

export const CMD_STEP = 1;
/** Leave the loop: the session this binding served is gone (a new `bind` follows, or the end). */
export const CMD_RELEASE = 2;

/** What a compute worker posts once, when it has loaded and waits for its first `bind`. */
export const COMPUTE_READY = 'compute-ready';

/**
 * The Float64 results buffer: [0] the learning rate of the step; then per thread [loss sum, correct];
 * then per thread and layer [Σ(Δw)², Σw²] of its slice.
 */
export function resultsLayout(workers: number, layers: number) {
  return {
    rate: 0,
    share: (k: number) => 1 + 2 * k,
    sums: (k: number) => 1 + 2 * workers + 2 * layers * k,
    length: 1 + 2 * workers + 2 * layers * workers,
  };
}

/** What a compute worker is sent to serve one session. Plain data and SharedArrayBuffers (structured clone). */
export interface ComputeBind {
  type: 'bind';
  config: ModelConfig;
  optim: OptimConfig;
  l2: number;
  /** This helper's thread index, 1 … workers − 1 (the coordinator is 0). */
  index: number;
  workers: number;
  /** Rows of a share at most: ⌈batchSize / workers⌉. */
  shareCapacity: number;
  /** How long a waiting thread spins before it sleeps (NODE_SPIN_MS, or 0 in a page). */
  spinMs: number;
  /** Float32 [parameterCount]: the network's weights and biases (parameters order). */
  params: SharedArrayBuffer;
  /** Float32 [parameterCount] per thread: its gradients (0: the coordinator's, where the sum goes). */
  grads: SharedArrayBuffer[];
  /** Float32 [slots × parameterCount]: the optimizer's state (optimizer.ts). */
  optimizerState: SharedArrayBuffer;
  /** Float32 [batchSize, inputSize]: the batch's pixels. */
  x: SharedArrayBuffer;
  /** Uint8 [batchSize]: the batch's labels. */
  y: SharedArrayBuffer;
  control: SharedArrayBuffer;
  results: SharedArrayBuffer;
}

/** The first row and the end of thread k's share of a batch of n rows among `workers` threads. */
export function shareBounds(k: number, n: number, workers: number): [number, number] {
  return [Math.floor((k * n) / workers), Math.floor(((k + 1) * n) / workers)];
}

/** Thread k's slice [lo, hi) of `count` parameters, cut at multiples of 16 floats (64-byte cache lines). */
export function sliceBounds(k: number, count: number, workers: number): [number, number] {
  const cut = (j: number) =>
    j >= workers ? count : Math.min(count, Math.floor((j * count) / workers / 16) * 16);
  return [cut(k), cut(k + 1)];
}

/**
 * Trains rows [start, end) of the batch in `x`, `y` on `net` (forward, backward with no L2, gradients
 * normalised by the whole batch's n). Returns the loss summed over the rows and how many were right.
 * With no rows the gradients are zeroed.
 */
export function trainShare(
  net: Network,
  x: Float32Array,
  y: Uint8Array,
  start: number,
  end: number,
  n: number,
): { lossSum: number; correct: number } {
  const rows = end - start;
  if (rows <= 0) {
    for (const p of net.parameters) p.grad.fill(0);
    return { lossSum: 0, correct: 0 };
  }
  const inputSize = net.config.inputSize;
  const xs = start === 0 ? x : x.subarray(start * inputSize);
  const ys = start === 0 ? y : y.subarray(start);
  const p = net.forward(xs, rows);
  const classes = net.config.outputSize;
  let correct = 0;
  for (let b = 0; b < rows; b++) if (argmaxRow(p, b, classes) === ys[b]) correct++;
  const loss = net.backward(ys, 0, n);
  return { lossSum: loss * rows, correct };
}

/**
 * How long a thread spins before it sleeps in Atomics.wait, where the cores are its own (the CLI). A
 * thread woken from a futex sleep is often queued on its waker's core (the scheduler's wake affinity) and
 * shares that core for milliseconds before it migrates: measured here (784-256-128-10, batch 64, two
 * threads), both shares then took ~6 ms instead of ~4. Spinning through the short gaps of a running step
 * keeps each on its own core; a paused run costs this much CPU once, then sleeps.
 * In a page the threads share the cores with the page's own (rendering, drawing): there a spinning thread
 * takes a core from a thread with work, so the browser passes 0 (measured on 2 cores: 2 workers at 0.94×
 * one worker with 3 ms of spinning, 1.16× with none).
 */
export const NODE_SPIN_MS = 3;

/**
 * Returns once control[slot] is no longer `value`: spins (checking the clock every 256 loads) for up to
 * `spinMs`, then sleeps in Atomics.wait (`timeoutMs` at most). Returns false when it timed out.
 */
export function awaitChange(
  control: Int32Array,
  slot: number,
  value: number,
  spinMs: number,
  timeoutMs = Infinity,
): boolean {
  const until = Date.now() + spinMs;
  for (;;) {
    for (let i = 0; i < 256; i++) if (Atomics.load(control, slot) !== value) return true;
    if (Date.now() >= until) break;
  }
  return Atomics.wait(control, slot, value, timeoutMs) !== 'timed-out';
}

/** Waits until control[slot] ≥ target (spinning first, as awaitChange). */
export function awaitCount(
  control: Int32Array,
  slot: number,
  target: number,
  spinMs: number,
  timeoutMs = Infinity,
): boolean {
  const started = Date.now();
  for (;;) {
    const now = Atomics.load(control, slot);
    if (now >= target) return true;
    const left = timeoutMs - (Date.now() - started);
    if (left <= 0) return false;
    awaitChange(control, slot, now, spinMs, Math.min(left, 1000));
  }
}

/**
 * Everything one thread needs to take part in steps: its network replica, the shared buffers as arrays,
 * and an optimizer over the summed gradients and the shared state. Built by helpers from a ComputeBind
 * and by the coordinator for itself (SharedStep).
 */
export class StepThread {
  readonly control: Int32Array;
  readonly results: Float64Array;
  private readonly layout: ReturnType<typeof resultsLayout>;
  private readonly x: Float32Array;
  private readonly y: Uint8Array;
  private readonly grads: Float32Array[];
  private readonly optimizer: Optimizer;
  private readonly slice: [number, number];
  private readonly layers: number;

  constructor(
    private readonly bind: ComputeBind,
    /** This thread's replica (a helper's own; the coordinator's network). */
    readonly net: Network,
    /** The optimizer over the shared weights, summed gradients and shared state (the coordinator's own). */
    optimizer?: Optimizer,
  ) {
    this.control = new Int32Array(bind.control, 0, CONTROL_INTS);
    this.results = new Float64Array(bind.results);
    this.layers = bind.config.hidden.length + 1;
    this.layout = resultsLayout(bind.workers, this.layers);
    this.x = new Float32Array(bind.x);
    this.y = new Uint8Array(bind.y);
    this.grads = bind.grads.map((g) => new Float32Array(g));
    const count = this.grads[0]!.length;
    this.slice = sliceBounds(bind.index, count, bind.workers);
    this.optimizer =
      optimizer ??
      createOptimizer(
        // The update reads the summed gradients (thread 0's buffer) and writes the shared weights.
        Network.create(bind.config, 1, {
          values: new Float32Array(bind.params),
          grads: this.grads[0]!,
          initialise: false,
        }),
        bind.optim,
        new Float32Array(bind.optimizerState, 0, optimizerSlots(bind.optim.optimizer) * count),
      );
  }

  /** Phase 1: this thread's rows; then the barrier. */
  trainRows(n: number): void {
    const k = this.bind.index;
    try {
      const [start, end] = shareBounds(k, n, this.bind.workers);
      const r = trainShare(this.net, this.x, this.y, start, end, n);
      this.results[this.layout.share(k)] = r.lossSum;
      this.results[this.layout.share(k) + 1] = r.correct;
    } catch (e) {
      reportFailure(this.bind.control, k, e);
    }
    Atomics.add(this.control, ARRIVED, 1);
    Atomics.notify(this.control, ARRIVED);
  }

  /** Waits for every thread's rows (false: timed out). */
  awaitRows(timeoutMs = Infinity): boolean {
    return awaitCount(this.control, ARRIVED, this.bind.workers, this.bind.spinMs, timeoutMs);
  }

  /** The batch's mean loss and correct count, summed over the shares in thread order (all threads alike). */
  totals(n: number): { loss: number; correct: number } {
    let lossSum = 0;
    let correct = 0;
    for (let k = 0; k < this.bind.workers; k++) {
      lossSum += this.results[this.layout.share(k)]!;
      correct += this.results[this.layout.share(k) + 1]!;
    }
    return { loss: lossSum / n, correct };
  }

  /**
   * Phase 2 on this thread's slice: the gradients summed (thread order, empty shares skipped), λw added
   * to weights, and — when `apply` — the optimizer's update as step t; the layer sums into the results.
   */
  updateSlice(n: number, apply: boolean): void {
    const [lo, hi] = this.slice;
    const workers = this.bind.workers;
    const sum = this.grads[0]!;
    for (let k = 1; k < workers; k++) {
      const [start, end] = shareBounds(k, n, workers);
      if (end <= start) continue;
      const g = this.grads[k]!;
      for (let i = lo; i < hi; i++) sum[i] = sum[i]! + g[i]!;
    }
    const l2 = this.bind.l2;
    const sums = this.results.subarray(
      this.layout.sums(this.bind.index),
      this.layout.sums(this.bind.index) + 2 * this.layers,
    );
    sums.fill(0);
    if (l2 > 0) {
      for (const p of this.net.parameters) {
        if (!p.decay) continue;
        // The parameter's flat offset: its value view's position in the shared buffer.
        const off = p.value.byteOffset / 4;
        const from = Math.max(lo - off, 0);
        const to = Math.min(hi - off, p.value.length);
        const g = sum.subarray(off, off + p.value.length);
        const w = p.value;
        for (let i = from; i < to; i++) g[i] = g[i]! + l2 * w[i]!;
      }
    }
    if (apply) {
      const t = Atomics.load(this.control, STEP_T);
      this.optimizer.stepRange(this.results[this.layout.rate]!, t, lo, hi, sums);
    }
  }

  /** The layer sums of every thread's slice, added in thread order (the coordinator, after all DONE). */
  layerSums(out: Float64Array): Float64Array {
    out.fill(0);
    for (let k = 0; k < this.bind.workers; k++) {
      const at = this.layout.sums(k);
      for (let j = 0; j < out.length; j++) out[j] = out[j]! + this.results[at + j]!;
    }
    return out;
  }
}

/**
 * A compute worker's loop for one binding: wait for a step, take part, until released. Blocks its thread
 * (spinning briefly, then in Atomics.wait) between steps, so it must run in a worker, never on a page.
 * Returns when released; the caller then waits for its next message.
 */
export function serveShares(bind: ComputeBind): void {
  const control = new Int32Array(bind.control, 0, CONTROL_INTS);
  let thread: StepThread | null = null;
  try {
    const net = Network.create(bind.config, bind.shareCapacity, {
      values: new Float32Array(bind.params),
      grads: new Float32Array(bind.grads[bind.index]!),
      initialise: false,
    });
    thread = new StepThread(bind, net);
  } catch (e) {
    // Still take part in every step (arrive, finish), so the coordinator reads the failure, not a silence.
    reportFailure(bind.control, bind.index, e);
  }
  let seen = 0;
  for (;;) {
    awaitChange(control, SEQ, seen, bind.spinMs);
    seen = Atomics.load(control, SEQ);
    if (Atomics.load(control, CMD) === CMD_RELEASE) return;
    const n = Atomics.load(control, ROWS);
    if (thread) {
      thread.trainRows(n);
      // No timeout here: the coordinator gives up on a stalled step; then this binding is released.
      thread.awaitRows();
      if (Atomics.load(control, FAILED) === 0) {
        try {
          thread.updateSlice(n, Number.isFinite(thread.totals(n).loss));
        } catch (e) {
          reportFailure(bind.control, bind.index, e);
        }
      }
    } else {
      Atomics.add(control, ARRIVED, 1);
      Atomics.notify(control, ARRIVED);
    }
    Atomics.add(control, DONE, 1);
    Atomics.notify(control, DONE);
  }
}

/** Records the first failure (thread index and message) in the control block for the coordinator to throw. */
export function reportFailure(buffer: SharedArrayBuffer, index: number, e: unknown): void {
  const control = new Int32Array(buffer, 0, CONTROL_INTS);
  if (Atomics.compareExchange(control, FAILED, 0, index + 1) !== 0) return;
  const text = e instanceof Error ? e.message : String(e);
  const units = new Uint16Array(buffer, CONTROL_INTS * 4, MESSAGE_UNITS);
  for (let i = 0; i < Math.min(text.length, MESSAGE_UNITS); i++) units[i] = text.charCodeAt(i);
}

/** The failure recorded in a control block, or null. */
export function readFailure(buffer: SharedArrayBuffer): string | null {
  const control = new Int32Array(buffer, 0, CONTROL_INTS);
  const who = Atomics.load(control, FAILED);
  if (who === 0) return null;
  const units = new Uint16Array(buffer, CONTROL_INTS * 4, MESSAGE_UNITS);
  const end = units.indexOf(0);
  const message = String.fromCharCode(...(end < 0 ? units : units.subarray(0, end)));
  return who === 1 ? message : `compute worker ${who - 1} failed: ${message}`;
}
