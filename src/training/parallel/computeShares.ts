/**
 * Data-parallel training, the part every thread shares: the layout of the shared buffers, the share of a
 * batch and of the parameters each thread takes, one step's two phases, and the loop a compute worker
 * runs. Pure (no Worker API): the browser's compute worker and the CLI's worker thread both call
 * {@link serveShares} with the messages they are sent.
 *
 * One step with N threads (the coordinator — the training worker, or the CLI's main thread — is thread 0).
 * The batch is cut into chunks of rows and the parameters into slices as the step's plan says
 * (./stepPlan.ts: fixed by the batch size and the network, never by N), and each thread claims the next
 * chunk, then the next slice, from an atomic counter: a thread the system descheduled for a while (the
 * page's own rendering on the same cores, a busy machine) takes less, and nobody waits for its fixed share.
 * Which thread did a chunk never changes a result, and neither does N:
 * 1. the coordinator gathers the batch into the shared `x`, `y`, writes n, the rate and the step number,
 *    bumps `SEQ` and wakes the helpers;
 * 2. phase 1 — chunk c (rows [⌊c·n/C⌋, ⌊(c+1)·n/C⌋)) is trained forward and backward on a replica of the
 *    network whose weights are views of the one shared parameter buffer and whose gradients go to chunk
 *    c's own buffer, normalised by the whole batch's n, so the chunks' gradients add up to the batch's;
 *    its loss sum and correct count go to its results slots;
 * 3. phase 2 — once every chunk is done, slice s of the flat parameter vector: the C gradients summed there
 *    in chunk order (so a given seed gives the same bits every time, on any N), λw added, and the optimizer
 *    applied to the slice (its state is shared too) — unless the batch's loss is not finite, which every
 *    thread computes alike from the chunks' sums;
 * 4. each helper reports `DONE` when no slice is left; the coordinator waits for every slice and every
 *    helper (none may still be claiming when the next step resets the counters), then combines the
 *    slices' update statistics in slice order.
 * Atomics (store/add, wait/notify) order the plain reads and writes around them: a helper sees the batch
 * and weights written before SEQ moved; every thread sees every chunk's gradients once all are counted.
 */
import { argmaxRow } from '../../engine/evaluate.ts';
import { Augmenter } from '../../engine/augment.ts';
import type { RowKey, TrainingNoise } from '../../engine/dropout.ts';
import { addWeightDecay, Network } from '../../engine/network.ts';
import { createOptimizer, optimizerSlots, type Optimizer } from '../../engine/optimizer.ts';
import type { ModelConfig, OptimConfig, RegulariseConfig } from '../../engine/types.ts';
import { chunkBounds, sliceBounds } from '../../engine/stepPlan.ts';

/** Int32 slots of the control block. */
export const SEQ = 0;
export const CMD = 1;
export const ROWS = 2;
/** Chunks claimed (phase 1) and chunks finished. */
export const NEXT_CHUNK = 3;
export const CHUNKS_DONE = 4;
/** Slices claimed (phase 2) and slices finished. */
export const NEXT_SLICE = 5;
export const SLICES_DONE = 6;
/** Helpers that left the step (nothing more to claim). */
export const DONE = 7;
/** 1 + the index of the first thread that failed (0: none); its message is in the control block's text. */
export const FAILED = 8;
/** The step number t of the update being applied (Adam's bias correction). */
export const STEP_T = 9;
/**
 * The batch's place in the run: its epoch, and the position in the epoch's order of its first row — the key
 * of its rows' dropout masks and augmentations (engine/dropout.ts), whichever thread trains them.
 */
export const EPOCH = 10;
export const POSITION = 11;
/**
 * The micro-batch being trained (engine/stepPlan.ts): its index m and the batch's count M, and the whole
 * batch's rows n (ROWS holds the micro-batch's): every chunk's gradient is normalised by n, and the batch's
 * gradient is accumulated micro-batch after micro-batch, the update applied after the last.
 */
export const MICRO = 12;
export const MICROS = 13;
export const BATCH_ROWS = 14;
export const CONTROL_INTS = 15;

/** UTF-16 code units of the failure message after the Int32 slots. */
export const MESSAGE_UNITS = 256;
export const CONTROL_BYTES = CONTROL_INTS * 4 + MESSAGE_UNITS * 2;

export const CMD_STEP = 1;
/** Leave the loop: the session this binding served is gone (a new `bind` follows, or the end). */
export const CMD_RELEASE = 2;

/** What a compute worker posts once, when it has loaded and waits for its first `bind`. */
export const COMPUTE_READY = 'compute-ready';

/**
 * The Float64 results buffer: [0] the learning rate of the step; [1, 2] the loss sum and correct count of
 * the batch's micro-batches before this one; then per chunk [loss sum, correct]; then per slice and layer
 * [Σ(Δw)², Σw²].
 */
export function resultsLayout(chunks: number, slices: number, layers: number) {
  return {
    rate: 0,
    prior: 1,
    chunk: (c: number) => 3 + 2 * c,
    sums: (s: number) => 3 + 2 * chunks + 2 * layers * s,
    length: 3 + 2 * chunks + 2 * layers * slices,
  };
}

/** What a compute worker is sent to serve one session. Plain data and SharedArrayBuffers (structured clone). */
export interface ComputeBind {
  type: 'bind';
  config: ModelConfig;
  optim: OptimConfig;
  l2: number;
  /** Dropout and augmentation (keyed by the batch's EPOCH and POSITION); max-norm is the coordinator's. */
  regularise: RegulariseConfig;
  /** Image side, for the augmentations (rows × cols = config.inputSize). */
  imageSide: { rows: number; cols: number };
  /** This helper's thread index, 1 … workers − 1 (the coordinator is 0). */
  index: number;
  workers: number;
  /** Chunks of rows per micro-batch, slices of parameters, rows of a chunk at most: the step's plan (stepPlan.ts). */
  chunks: number;
  slices: number;
  chunkCapacity: number;
  /** How long a waiting thread spins before it sleeps (NODE_SPIN_MS, or 0 in a page). */
  spinMs: number;
  /** Float32 [parameterCount]: the network's weights and biases (parameters order). */
  params: SharedArrayBuffer;
  /** Float32 [parameterCount] per chunk: its gradients (chunk 0's: the coordinator's network's, where the sum goes). */
  grads: SharedArrayBuffer[];
  /**
   * Float32 [parameterCount]: the batch's gradient so far, between its micro-batches (null when the plan
   * trains every batch whole). After the last micro-batch the sum goes to chunk 0's buffer, as with one.
   */
  accumulator: SharedArrayBuffer | null;
  /** Float32 [slots × parameterCount]: the optimizer's state (optimizer.ts). */
  optimizerState: SharedArrayBuffer;
  /** Float32 [microCapacity, inputSize]: the micro-batch's pixels. */
  x: SharedArrayBuffer;
  /** Uint8 [microCapacity]: the micro-batch's labels. */
  y: SharedArrayBuffer;
  control: SharedArrayBuffer;
  results: SharedArrayBuffer;
}

/** What a training share adds to the plain forward: its rows' augmentation and dropout (both keyed). */
export interface ShareNoise {
  augmenter: Augmenter | null;
  noise: TrainingNoise | null;
  key: RowKey;
}

/**
 * Trains the first `rows` rows of `x`, `y` on `net` (forward, backward with no L2, gradients normalised by
 * the whole batch's n). Returns the loss summed over the rows and how many were right. With no rows nothing
 * is computed (the sum skips empty chunks). With `extra`, the rows are augmented in place first (they are
 * re-gathered for every step) and the forward drops units, each keyed by its row's position. With `add`
 * the gradients are added to what net's gradient buffers hold (Network.backward).
 */
export function trainShare(
  net: Network,
  x: Float32Array,
  y: Uint8Array,
  rows: number,
  n: number,
  extra?: ShareNoise,
  add = false,
): { lossSum: number; correct: number } {
  if (rows <= 0) return { lossSum: 0, correct: 0 };
  extra?.augmenter?.apply(x, rows, extra.key);
  const p = net.forward(x, rows, extra?.noise);
  const classes = net.config.outputSize;
  let correct = 0;
  for (let b = 0; b < rows; b++) if (argmaxRow(p, b, classes) === y[b]) correct++;
  const loss = net.backward(y, 0, n, add);
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
 * Everything one thread needs to take part in steps: a network replica per chunk (weights shared, each
 * replica's gradients in its chunk's buffer), the shared buffers as arrays, and an optimizer over the
 * summed gradients and the shared state. Built by helpers from a ComputeBind and by the coordinator for
 * itself (SharedStep), whose network is its replica of chunk 0.
 */
export class StepThread {
  readonly control: Int32Array;
  readonly results: Float64Array;
  private readonly layout: ReturnType<typeof resultsLayout>;
  private readonly x: Float32Array;
  private readonly y: Uint8Array;
  private readonly grads: Float32Array[];
  /** The batch's gradient between its micro-batches (null: the plan trains every batch whole). */
  private readonly accumulator: Float32Array | null;
  private readonly replicas: Network[];
  private readonly optimizer: Optimizer;
  private readonly layers: number;
  private readonly count: number;
  /** Per slice: its [Σ(Δw)², Σw²] per layer in the results (views made once). */
  private readonly sliceSums: Float64Array[];
  /** Per chunk, for batches of `viewsFor` rows: its rows of x and y (views made once per batch size). */
  private chunkViews: { x: Float32Array; y: Uint8Array }[] = [];
  private viewsFor = -1;
  private live: Float32Array[] = [];
  private liveFor = -1;
  /**
   * The last trainChunks trained every chunk alone and summed their gradients as it went, in chunk order,
   * in chunk 0's buffer (see trainChunks): the slices then have no chunks left to add.
   */
  private folded = false;
  /** This thread's augmenter and dropout keys (one chunk at a time), or null when the run adds neither. */
  private readonly extra: (ShareNoise & { key: TrainingNoise }) | null;

  constructor(
    private readonly bind: ComputeBind,
    /** The coordinator's network (chunk 0's replica, over chunk 0's gradients); helpers build their own. */
    net?: Network,
    /** The optimizer over the shared weights, summed gradients and shared state (the coordinator's own). */
    optimizer?: Optimizer,
  ) {
    this.control = new Int32Array(bind.control, 0, CONTROL_INTS);
    this.results = new Float64Array(bind.results);
    this.layers = bind.config.hidden.length + 1;
    this.layout = resultsLayout(bind.chunks, bind.slices, this.layers);
    this.x = new Float32Array(bind.x);
    this.y = new Uint8Array(bind.y);
    this.grads = bind.grads.map((g) => new Float32Array(g));
    this.accumulator = bind.accumulator ? new Float32Array(bind.accumulator) : null;
    this.count = this.grads[0]!.length;
    const values = new Float32Array(bind.params);
    const replica = (grads: Float32Array, rows: number) =>
      Network.create(bind.config, rows, { values, grads, initialise: false });
    this.replicas = this.grads.map((g, c) => (c === 0 && net ? net : replica(g, bind.chunkCapacity)));
    const reg = bind.regularise;
    const augmenter =
      reg.augment === 'none' ? null : new Augmenter(reg.augment, bind.imageSide.cols, bind.imageSide.rows);
    const drops = reg.inputDropout > 0 || reg.dropout > 0;
    // The masks' key is the rows' key, with the rates: one object serves both.
    const key: TrainingNoise = {
      seed: bind.config.seed,
      epoch: 0,
      firstPosition: 0,
      inputDropout: reg.inputDropout,
      dropout: reg.dropout,
    };
    this.extra = drops || augmenter ? { augmenter, noise: drops ? key : null, key } : null;
    this.sliceSums = Array.from({ length: bind.slices }, (_, s) =>
      this.results.subarray(this.layout.sums(s), this.layout.sums(s) + 2 * this.layers),
    );
    this.optimizer =
      optimizer ??
      createOptimizer(
        // The update reads the summed gradients (chunk 0's buffer) and writes the shared weights.
        replica(this.grads[0]!, 1),
        bind.optim,
        new Float32Array(bind.optimizerState, 0, optimizerSlots(bind.optim.optimizer) * this.count),
      );
  }

  /**
   * Phase 1: claims and trains chunks of the micro-batch's `rows` rows until none is left (each chunk's
   * gradient normalised by the whole batch's n).
   *
   * `alone`: no other thread takes part (the caller's promise). When the batch is also one micro-batch
   * (MICROS in the control block: several sum as ((earlier + g0) + g1), kept as before), this thread
   * trains every chunk, in chunk order, on chunk 0's replica, each chunk's gradients added to chunk 0's
   * buffer as they are computed (Network.backward's add) instead of written to a buffer of their own and
   * summed by the slices: the same additions in the same order — the same bits — without a pass that
   * writes and one that reads every other chunk's gradient. Measured on 784-128-64-10 at batch 64 (two
   * chunks of 32), one thread: the sum's pass alone took ~105 µs of a ~6.5 ms step.
   */
  trainChunks(rows: number, n: number, alone = false): void {
    const c0 = this.control;
    this.folded = alone && Atomics.load(c0, MICROS) === 1;
    const fold = this.folded;
    // Folding, the first chunk with rows writes chunk 0's buffer and every later one adds to it.
    let wrote = false;
    for (;;) {
      const c = Atomics.add(c0, NEXT_CHUNK, 1);
      if (c >= this.bind.chunks) return;
      try {
        const [start, end] = chunkBounds(c, rows, this.bind.chunks);
        const v = this.viewsOf(c, rows);
        const net = this.replicas[fold ? 0 : c]!;
        const r = trainShare(net, v.x, v.y, end - start, n, this.shareNoise(start), wrote);
        wrote ||= fold && end > start;
        this.results[this.layout.chunk(c)] = r.lossSum;
        this.results[this.layout.chunk(c) + 1] = r.correct;
      } catch (e) {
        reportFailure(this.bind.control, this.bind.index, e);
      }
      Atomics.add(c0, CHUNKS_DONE, 1);
      Atomics.notify(c0, CHUNKS_DONE);
    }
  }

  /**
   * The keys of a chunk whose first row is row `start` of the batch (undefined: the run adds no noise).
   * One object per thread, updated in place: a thread trains its chunks one after another, and the step's
   * loop allocates nothing.
   */
  private shareNoise(start: number): ShareNoise | undefined {
    const extra = this.extra;
    if (!extra) return undefined;
    extra.key.epoch = Atomics.load(this.control, EPOCH);
    extra.key.firstPosition = Atomics.load(this.control, POSITION) + start;
    return extra;
  }

  /** Chunk c's rows of x and y for a batch of n: views made once per batch size, so a step allocates none. */
  private viewsOf(c: number, n: number): { x: Float32Array; y: Uint8Array } {
    if (n !== this.viewsFor) {
      const inputSize = this.bind.config.inputSize;
      this.chunkViews = this.grads.map((_, k) => {
        const [start] = chunkBounds(k, n, this.bind.chunks);
        return { x: this.x.subarray(start * inputSize), y: this.y.subarray(start) };
      });
      this.viewsFor = n;
    }
    return this.chunkViews[c]!;
  }

  /** Waits for every chunk (false: timed out). */
  awaitChunks(timeoutMs = Infinity): boolean {
    return awaitCount(this.control, CHUNKS_DONE, this.bind.chunks, this.bind.spinMs, timeoutMs);
  }

  /**
   * The batch's loss sum and correct count so far — the earlier micro-batches' (the results' prior), then
   * this one's chunks in chunk order — and the mean loss over the whole batch's n (every thread alike).
   */
  totals(n: number): { loss: number; lossSum: number; correct: number } {
    let lossSum = this.results[this.layout.prior]!;
    let correct = this.results[this.layout.prior + 1]!;
    for (let c = 0; c < this.bind.chunks; c++) {
      lossSum += this.results[this.layout.chunk(c)]!;
      correct += this.results[this.layout.chunk(c) + 1]!;
    }
    return { loss: lossSum / n, lossSum, correct };
  }

  /**
   * Phase 2: claims and sums slices until none is left (see updateSlice). `micro` says which micro-batch
   * of how many this is; `into` is where the sum of the micro-batches before the last goes (the shared
   * accumulator; One step's explanation gives one of its own, so a step in progress keeps its sum).
   */
  updateSlices(
    rows: number,
    apply: boolean,
    micro: { index: number; count: number } = { index: 0, count: 1 },
    into: Float32Array | null = this.accumulator,
  ): void {
    const c0 = this.control;
    for (;;) {
      const s = Atomics.add(c0, NEXT_SLICE, 1);
      if (s >= this.bind.slices) return;
      try {
        this.updateSlice(s, rows, apply, micro, into);
      } catch (e) {
        reportFailure(this.bind.control, this.bind.index, e);
      }
      Atomics.add(c0, SLICES_DONE, 1);
      Atomics.notify(c0, SLICES_DONE);
    }
  }

  /**
   * Slice s: the micro-batch's chunk gradients added, in chunk order (empty chunks skipped), to the sum of
   * the micro-batches before it — left to right, one sum over every chunk of the batch. Before the last
   * micro-batch the sum goes to `into`; after the last (and with one) to chunk 0's buffer, the network's
   * gradients, where λw is added to weights and — when `apply` — the optimizer's update made as step t,
   * the layer sums into the results.
   */
  private updateSlice(
    s: number,
    rows: number,
    apply: boolean,
    micro: { index: number; count: number },
    into: Float32Array | null,
  ): void {
    const [lo, hi] = sliceBounds(s, this.count, this.bind.slices);
    const last = micro.index === micro.count - 1;
    const earlier = micro.index > 0 ? into : null;
    const sum = last ? this.grads[0]! : into;
    if (!sum || (micro.index > 0 && !earlier)) {
      throw new Error('a batch of several micro-batches needs an accumulator (stepPlan.micros > 1)');
    }
    // Trained alone (one micro-batch), trainChunks summed the chunks in chunk 0's buffer as it went.
    if (!this.folded) sumChunks(sum, earlier, this.liveGrads(rows), lo, hi);
    if (!last) return;
    const sums = this.sliceSums[s]!;
    sums.fill(0);
    // The replica of chunk 0 keeps its gradients in chunk 0's buffer: the sum.
    addWeightDecay(this.replicas[0]!.parameters, this.bind.l2, lo, hi);
    if (apply) {
      const t = Atomics.load(this.control, STEP_T);
      this.optimizer.stepRange(this.results[this.layout.rate]!, t, lo, hi, sums);
    }
  }

  /**
   * The gradient buffers of the chunks that hold rows for a micro-batch of n (cached: n changes once an
   * epoch, or between micro-batches of ⌊m·n/M⌋ cuts, which differ by one row at most).
   */
  private liveGrads(n: number): Float32Array[] {
    if (n !== this.liveFor) {
      this.live = this.grads.filter((_, c) => {
        const [start, end] = chunkBounds(c, n, this.bind.chunks);
        return end > start;
      });
      this.liveFor = n;
    }
    return this.live;
  }

  /** The layer sums of every slice, added in slice order (the coordinator, after every slice). */
  layerSums(out: Float64Array): Float64Array {
    out.fill(0);
    for (let s = 0; s < this.bind.slices; s++) {
      const at = this.layout.sums(s);
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
    thread = new StepThread(bind);
  } catch (e) {
    // Still take part in every step (claiming nothing), so the coordinator reads the failure, not a silence.
    reportFailure(bind.control, bind.index, e);
  }
  let seen = 0;
  for (;;) {
    awaitChange(control, SEQ, seen, bind.spinMs);
    seen = Atomics.load(control, SEQ);
    if (Atomics.load(control, CMD) === CMD_RELEASE) return;
    const rows = Atomics.load(control, ROWS);
    const n = Atomics.load(control, BATCH_ROWS);
    const micro = { index: Atomics.load(control, MICRO), count: Atomics.load(control, MICROS) };
    if (thread) {
      thread.trainChunks(rows, n);
      // No timeout here: the coordinator gives up on a stalled step; then this binding is released.
      thread.awaitChunks();
      if (Atomics.load(control, FAILED) === 0) {
        const last = micro.index === micro.count - 1;
        thread.updateSlices(rows, last && Number.isFinite(thread.totals(n).loss), micro);
      }
    }
    Atomics.add(control, DONE, 1);
    Atomics.notify(control, DONE);
  }
}

/**
 * sum[lo, hi) = earlier + live[0] + live[1] + …, left to right (no earlier: the first micro-batch's sum).
 * Chunk 0's buffer is the sum of a batch trained whole: with rows in chunk 0 (every batch but one of fewer
 * rows than chunks) the first term is already in place.
 */
function sumChunks(
  sum: Float32Array,
  earlier: Float32Array | null,
  live: Float32Array[],
  lo: number,
  hi: number,
): void {
  const first = live[0]!;
  if (earlier) {
    for (let i = lo; i < hi; i++) sum[i] = earlier[i]! + first[i]!;
  } else if (first !== sum) {
    for (let i = lo; i < hi; i++) sum[i] = first[i]!;
  }
  for (let k = 1; k < live.length; k++) addInto(sum, live[k]!, lo, hi);
}

/**
 * sum[lo, hi) += g[lo, hi), each element rounded to float32 as `sum[i] = sum[i] + g[i]` would. Four
 * elements per turn: V8 checks the loop and the interrupt once per turn, not per element — measured over
 * the 109,386 parameters of 784-128-64-10 cut in 16 slices: 121 µs against 152 µs.
 */
function addInto(sum: Float32Array, g: Float32Array, lo: number, hi: number): void {
  let i = lo;
  for (; i + 3 < hi; i += 4) {
    const a0 = sum[i]! + g[i]!;
    const a1 = sum[i + 1]! + g[i + 1]!;
    const a2 = sum[i + 2]! + g[i + 2]!;
    const a3 = sum[i + 3]! + g[i + 3]!;
    sum[i] = a0;
    sum[i + 1] = a1;
    sum[i + 2] = a2;
    sum[i + 3] = a3;
  }
  for (; i < hi; i++) sum[i] = sum[i]! + g[i]!;
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
