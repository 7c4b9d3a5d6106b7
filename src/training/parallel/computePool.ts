/**
 * The coordinator's side of data-parallel training: a pool of compute workers (spawned through an
 * injected function, so the same code runs Web Workers in the browser and worker threads in Node) and,
 * per training session, a {@link SharedStep} that owns the shared buffers and runs one batch across the
 * threads. The protocol and the helpers' loop are in ./computeShares.ts.
 */
import type { Network } from '../../engine/network.ts';
import { parameterCountOf, type ParameterMemory } from '../../engine/network.ts';
import { optimizerSlots, type Optimizer } from '../../engine/optimizer.ts';
import type { TrainConfig } from '../../engine/types.ts';
import {
  awaitCount,
  CHUNKS_DONE,
  NEXT_CHUNK,
  NEXT_SLICE,
  SLICES_DONE,
  CMD,
  CMD_RELEASE,
  CMD_STEP,
  BATCH_ROWS,
  CONTROL_BYTES,
  CONTROL_INTS,
  DONE,
  EPOCH,
  POSITION,
  FAILED,
  MICRO,
  MICROS,
  readFailure,
  resultsLayout,
  ROWS,
  SEQ,
  STEP_T,
  StepThread,
  type ComputeBind,
} from './computeShares.ts';
import { allocShared } from './sharedMemory.ts';
import { stepPlan, type StepPlan } from '../../engine/stepPlan.ts';
import { applyMaxNorm } from '../../engine/maxNorm.ts';

/** Where a batch sits in its run: the key of its rows' dropout masks and augmentations. */
export interface BatchPlace {
  epoch: number;
  /** The position in the epoch's order of the batch's first row. */
  firstPosition: number;
}

/** One micro-batch of a step (engine/stepPlan.ts), gathered into the step's x and y. */
export interface MicroPart {
  /** Which micro-batch, of how many this batch is cut into. */
  index: number;
  count: number;
  /** Its rows (gathered into x, y) and the whole batch's n. */
  rows: number;
  batchRows: number;
  /** Its place: the key of its rows' masks and augmentations (the batch's first position + its first row). */
  at: BatchPlace;
  /** The batch's loss sum and correct count over the micro-batches before this one (0, 0 for the first). */
  prior: { lossSum: number; correct: number };
}

/** A micro-batch's answer: the batch's totals so far (the step's when it was the last). */
export interface MicroTotals {
  /** Loss summed over the batch's rows so far, and its mean over the whole batch (final after the last). */
  lossSum: number;
  loss: number;
  correct: number;
}

/** The sides of a square image of `inputSize` pixels (28 × 28 for 784); 1 × n when it is not square. */
export function imageSide(inputSize: number): { rows: number; cols: number } {
  const side = Math.round(Math.sqrt(inputSize));
  return side * side === inputSize ? { rows: side, cols: side } : { rows: 1, cols: inputSize };
}

/** One compute worker, as the pool sees it. */
export interface ComputeThread {
  post(message: ComputeBind): void;
  terminate(): void;
  /**
   * Settles once the worker has loaded and can serve (it posts `COMPUTE_READY`); rejects when it cannot
   * start. The pool never blocks on a helper before this: a parent blocked in Atomics.wait cannot finish
   * starting its child (Node's loader and Chromium's nested-worker fetch both need the parent's loop).
   */
  ready: Promise<void>;
}

/** Starts one compute worker (a Web Worker, a Node worker thread) that calls serveShares with each message. */
export type SpawnCompute = () => ComputeThread;

/**
 * How long the coordinator waits for a step's helpers before it gives up (a helper that died without a
 * word: killed, out of memory). A step of the largest network the budget allows takes seconds, not this.
 */
export const HELPER_STALL_MS = 60_000;

export class ComputePool {
  private helpers: ComputeThread[] = [];
  /** The binding the helpers serve now (released before the next). */
  private bound: SharedStep | null = null;

  /** spinMs: how long a waiting thread spins before it sleeps (computeShares.ts, NODE_SPIN_MS). */
  constructor(
    private readonly spawn: SpawnCompute,
    private readonly spinMs = 0,
  ) {}

  /** Threads that train a batch: the helpers and the coordinator. */
  get workers(): number {
    return this.helpers.length + 1;
  }

  /**
   * Spawns or ends helpers so that `workers` threads train (the coordinator included); resolves once every
   * helper is ready. When one cannot start, the pool keeps those that did and the promise rejects.
   */
  async resize(workers: number): Promise<void> {
    const want = Math.max(0, Math.floor(workers) - 1);
    if (want === this.helpers.length) return;
    this.release();
    while (this.helpers.length > want) this.helpers.pop()!.terminate();
    const fresh: ComputeThread[] = [];
    while (this.helpers.length + fresh.length < want) fresh.push(this.spawn());
    const started = await Promise.allSettled(fresh.map((h) => h.ready));
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    fresh.forEach((h, i) => {
      if (started[i]!.status === 'fulfilled') this.helpers.push(h);
      else h.terminate();
    });
    if (failed) {
      throw new Error(
        `a compute worker could not start: ${failed.reason instanceof Error ? failed.reason.message : String(failed.reason)}`,
      );
    }
  }

  /**
   * Shared buffers for a session of `config`, the helpers bound to them (the previous binding released).
   * The coordinator builds its network over `coordinatorMemory` (which initialises the shared weights) and
   * its optimizer over `optimizerMemory`, attaches both, then trains with {@link SharedStep.run}.
   */
  bind(config: TrainConfig): SharedStep {
    this.release();
    const step = new SharedStep(config, this.workers, this.spinMs);
    this.helpers.forEach((h, i) => h.post(step.bindMessage(i + 1)));
    this.bound = step;
    return step;
  }

  /** Ends every helper. */
  dispose(): void {
    this.release();
    for (const h of this.helpers) h.terminate();
    this.helpers = [];
  }

  /** The helpers leave the current binding; its session goes on training alone (SharedStep.live). */
  private release(): void {
    if (!this.bound) return;
    this.bound.live = false;
    const c = new Int32Array(this.bound.control, 0, CONTROL_INTS);
    Atomics.store(c, CMD, CMD_RELEASE);
    Atomics.add(c, SEQ, 1);
    Atomics.notify(c, SEQ);
    this.bound = null;
  }
}

/** One session's shared buffers and its parallel step (the coordinator's side). */
export class SharedStep {
  /** [microCapacity, inputSize]: the coordinator gathers each micro-batch here. */
  readonly x: Float32Array;
  /** [microCapacity] labels. */
  readonly y: Uint8Array;
  /** The step's plan (engine/stepPlan.ts): how a batch is cut. */
  readonly plan: StepPlan;
  /** Where the coordinator's network keeps its parameters: the shared weights, chunk 0's gradients. */
  readonly coordinatorMemory: ParameterMemory;
  /** Where the coordinator's optimizer keeps its state (shared: each thread updates its slice). */
  readonly optimizerMemory: Float32Array;
  readonly control: SharedArrayBuffer;
  /**
   * True while the pool's helpers serve this binding. Once the pool is resized or bound to another session,
   * this session trains alone (its network and optimizer work on the shared buffers as on any others).
   */
  live = true;
  private readonly bind0: ComputeBind;
  private thread: StepThread | null = null;
  private optimizer: Optimizer | null = null;
  private network: Network | null = null;
  private readonly layerSums: Float64Array;
  /** One step's explanation's own accumulator (made when first needed, for plans of several micro-batches). */
  private explainSum: Float32Array | null = null;

  /**
   * Buffers for `workers` threads. With one (`alloc` = allocLocal, no pool) the coordinator runs the same
   * plan alone on plain memory: one thread and N threads share every line of arithmetic.
   */
  constructor(
    config: TrainConfig,
    readonly workers: number,
    spinMs: number,
    alloc: (bytes: number) => SharedArrayBuffer = allocShared,
  ) {
    const count = parameterCountOf(config);
    const layers = config.hidden.length + 1;
    const slots = optimizerSlots(config.optimizer);
    const plan = stepPlan(config.batchSize, count);
    this.plan = plan;
    this.bind0 = {
      type: 'bind',
      config: { ...config, hidden: [...config.hidden] },
      optim: config,
      l2: config.l2,
      regularise: {
        inputDropout: config.inputDropout,
        dropout: config.dropout,
        maxNorm: config.maxNorm,
        augment: config.augment,
      },
      imageSide: imageSide(config.inputSize),
      index: 0,
      workers,
      chunks: plan.chunks,
      slices: plan.slices,
      chunkCapacity: plan.chunkCapacity,
      spinMs,
      params: alloc(count * 4),
      grads: Array.from({ length: plan.chunks }, () => alloc(count * 4)),
      accumulator: plan.micros > 1 ? alloc(count * 4) : null,
      optimizerState: alloc(Math.max(1, slots * count) * 4),
      x: alloc(plan.microCapacity * config.inputSize * 4),
      y: alloc(plan.microCapacity),
      control: alloc(CONTROL_BYTES),
      results: alloc(resultsLayout(plan.chunks, plan.slices, layers).length * 8),
    };
    this.control = this.bind0.control;
    this.x = new Float32Array(this.bind0.x);
    this.y = new Uint8Array(this.bind0.y);
    this.coordinatorMemory = {
      values: new Float32Array(this.bind0.params),
      grads: new Float32Array(this.bind0.grads[0]!),
      initialise: true,
    };
    this.optimizerMemory = new Float32Array(this.bind0.optimizerState, 0, slots * count);
    this.layerSums = new Float64Array(2 * layers);
  }

  /** The message that binds helper `index` (1 … workers − 1). */
  bindMessage(index: number): ComputeBind {
    return { ...this.bind0, index };
  }

  /** The coordinator's network (built over coordinatorMemory) and optimizer (over optimizerMemory). */
  attach(net: Network, optimizer: Optimizer): void {
    this.thread = new StepThread(this.bind0, net, optimizer);
    this.network = net;
    this.optimizer = optimizer;
  }

  /**
   * One micro-batch of a step (`part`, its rows gathered in x, y): every chunk's rows, their gradients
   * added to the batch's sum so far; after the last micro-batch (a batch trained whole has one) λw and the
   * optimizer's update at `learningRate` (skipped when the batch's loss is not finite, as TrainingSession
   * does), the coordinator claiming chunks and slices like every helper. Returns the batch's totals so far.
   * Throws when a thread failed or stopped answering.
   */
  micro(part: MicroPart, learningRate: number): MicroTotals {
    const { thread, optimizer } = this.attached();
    // Released by the pool (it was resized, or serves another session): this thread runs the plan alone.
    const helpers = this.live ? this.workers - 1 : 0;
    const c = thread.control;
    const t = optimizer.steps + 1;
    const last = part.index === part.count - 1;
    this.resetCounters(part);
    Atomics.store(c, STEP_T, t);
    thread.results[0] = learningRate;
    if (helpers > 0) {
      Atomics.store(c, CMD, CMD_STEP);
      Atomics.add(c, SEQ, 1);
      Atomics.notify(c, SEQ);
    }
    // With no helper (and one micro-batch) the chunks' gradients are summed as they are trained.
    thread.trainChunks(part.rows, part.batchRows, helpers === 0);
    if (!thread.awaitChunks(HELPER_STALL_MS)) this.stalled(CHUNKS_DONE, this.bind0.chunks, 'chunks');
    let totals: MicroTotals = { lossSum: NaN, loss: NaN, correct: 0 };
    if (Atomics.load(c, FAILED) === 0) {
      totals = thread.totals(part.batchRows);
      thread.updateSlices(part.rows, last && Number.isFinite(totals.loss), part);
    }
    // Every helper out of the step (each finished the slices it claimed) before the counters are reset.
    if (!awaitCount(c, DONE, helpers, this.bind0.spinMs, HELPER_STALL_MS)) {
      this.stalled(DONE, helpers, 'helpers');
    }
    const failure = readFailure(this.control);
    if (failure) throw new Error(failure);
    if (last && Number.isFinite(totals.loss)) {
      optimizer.completeStep(t, thread.layerSums(this.layerSums));
      // After every slice's update and with every helper out of the step: rows do not follow the slices.
      if (this.bind0.regularise.maxNorm > 0) applyMaxNorm(this.network!, this.bind0.regularise.maxNorm);
    }
    return totals;
  }

  /**
   * One micro-batch of the gradient the step over the same batch will apply — every chunk's, summed in the
   * step's order, λw added after the last — computed by this thread alone, the sum before the last
   * micro-batch kept in a buffer of its own (a step in progress keeps its accumulator), the whole gradient
   * in the network's gradients (chunk 0's buffer) after the last; the weights and the optimizer untouched.
   * The helpers are not woken (they wait for the next micro-batch), so this is for between micro-batches
   * only: One step's explanation of the batch Step trains next.
   */
  gradientMicro(part: MicroPart): MicroTotals {
    const { thread } = this.attached();
    this.resetCounters(part);
    thread.trainChunks(part.rows, part.batchRows, true);
    const failure = readFailure(this.control);
    if (failure) throw new Error(failure);
    const totals = thread.totals(part.batchRows);
    if (part.count > 1) this.explainSum ??= new Float32Array(this.coordinatorMemory.grads.length);
    thread.updateSlices(part.rows, false, part, this.explainSum);
    return totals;
  }

  private attached(): { thread: StepThread; optimizer: Optimizer } {
    const thread = this.thread;
    const optimizer = this.optimizer;
    if (!thread || !optimizer) throw new Error('SharedStep.run before attach');
    return { thread, optimizer };
  }

  /**
   * A micro-batch's counters back to zero, its rows, place and index set, the earlier micro-batches' totals
   * in the results (no helper is inside a step now).
   */
  private resetCounters(part: MicroPart): void {
    const c = new Int32Array(this.control, 0, CONTROL_INTS);
    for (const slot of [NEXT_CHUNK, CHUNKS_DONE, NEXT_SLICE, SLICES_DONE, DONE]) Atomics.store(c, slot, 0);
    Atomics.store(c, ROWS, part.rows);
    Atomics.store(c, BATCH_ROWS, part.batchRows);
    Atomics.store(c, MICRO, part.index);
    Atomics.store(c, MICROS, part.count);
    Atomics.store(c, EPOCH, part.at.epoch);
    Atomics.store(c, POSITION, part.at.firstPosition);
    const results = this.attached().thread.results;
    const prior = resultsLayout(this.bind0.chunks, this.bind0.slices, 0).prior;
    results[prior] = part.prior.lossSum;
    results[prior + 1] = part.prior.correct;
  }

  private stalled(slot: number, target: number, what: string): never {
    const c = new Int32Array(this.control, 0, CONTROL_INTS);
    throw new Error(
      `a compute worker did not answer for ${HELPER_STALL_MS / 1000} s (${Atomics.load(c, slot)} of ${target} ${what} finished the step)`,
    );
  }
}
