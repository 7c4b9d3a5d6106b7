/**
 * The batch loop both the worker's trainer and the CLI use: pure and synchronous, no DOM, no timers.
 *
 * One session = one network + one optimizer + a position (epoch, batch in epoch). Every epoch visits the
 * `trainCount` training samples in a seeded permutation that depends only on (seed, epoch), so a
 * run is reproducible bit for bit and any epoch's order can be recreated without replaying the others.
 * The last batch of an epoch is smaller when trainCount is not a multiple of batchSize.
 *
 * Which samples ({@link splitTrainingImages}): `config.validation` images are held out of the training split by
 * a permutation seeded by (seed, its own stream) — never the test set — and the training subset is the first
 * `config.trainSize` of the rest, in file order. With no validation that is the first trainSize images, as
 * the CLI's `--limit` always took, so the default run (all 60,000) is the same, bit for bit, as before.
 */
import type { Split } from '../data/dataset.ts';
import { EVAL_BATCH } from '../engine/cost.ts';
import { evaluate, toFloatPixels, type EvalResult } from '../engine/evaluate.ts';
import { Network, type NetworkParams } from '../engine/network.ts';
import { createOptimizer, type Optimizer, type OptimizerState } from '../engine/optimizer.ts';
import { deriveSeed, Rng } from '../engine/rng.ts';
import { learningRateAt } from '../engine/schedule.ts';
import { l2Norm } from '../engine/stats.ts';
import { LIMITS, type TrainConfig } from '../engine/types.ts';
import { microBounds, microsOf } from '../engine/stepPlan.ts';
import {
  SharedStep,
  type BatchPlace,
  type ComputePool,
  type MicroPart,
  type MicroTotals,
} from './parallel/computePool.ts';
import { allocLocal } from './parallel/sharedMemory.ts';

export interface BatchResult {
  /** Mean data loss of this batch (before the update); non-finite when training diverged. */
  loss: number;
  /** Samples of this batch the network classified right (before the update). */
  correct: number;
  batchSize: number;
  /** Epoch this batch belonged to, from 0. */
  epoch: number;
  /** Batches trained in total, this one included. */
  step: number;
  /** This batch was the last of its epoch. */
  epochEnded: boolean;
  /** The rate this batch was trained with. */
  learningRate: number;
}

export interface LayerStats {
  /** ‖dL/dW‖ of the last batch (λW included when l2 > 0). */
  gradNorm: number;
  /** ‖W‖ after the last update. */
  weightNorm: number;
  /** ‖ΔW‖ / ‖W‖ of the last update (healthy training sits around 1e-3). */
  updateRatio: number;
  /** ‖dL/db‖ of the last batch. */
  gradBiasNorm: number;
}

/**
 * Everything needed to continue a run exactly where it was (with the same config and data): the shuffle
 * of any epoch is recreated from (seed, epoch), so position + parameters + optimizer state suffice.
 */
export interface SessionState {
  epoch: number;
  step: number;
  batchInEpoch: number;
  params: NetworkParams;
  optimizer: OptimizerState;
}

/** A step in progress: the micro-batches done and the batch's totals over them (engine/stepPlan.ts). */
interface StepInProgress {
  done: number;
  of: number;
  lossSum: number;
  correct: number;
}

/** How far the step in progress is: micro-batches done of the batch's, and the rows they held. */
export interface StepProgress {
  microsDone: number;
  micros: number;
  rowsDone: number;
  rows: number;
}

/** Stream index of the shuffle seeds (epoch e uses deriveSeed(seed, SHUFFLE_STREAM + e)). */
const SHUFFLE_STREAM = 0x51f7;
/** Stream index of the validation split's permutation (far from the shuffles' SHUFFLE_STREAM + epoch). */
const VALIDATION_STREAM = 0x7a11_da7a;

/** The training subset and the validation images, as indices into the training split. */
export interface TrainingImages {
  /** Indices of the images trained on, increasing. */
  train: Uint32Array;
  /** Indices of the validation images, in the order of the seeded permutation. */
  validation: Uint32Array;
}

/**
 * Splits `count` training images: the first `validation` of a permutation seeded by
 * deriveSeed(seed, VALIDATION_STREAM) are held out; the training subset is the first `trainSize` of the
 * others, in increasing index order. Disjoint, deterministic; throws when nothing is left to train on.
 */
export function splitTrainingImages(
  count: number,
  config: Pick<TrainConfig, 'seed' | 'trainSize' | 'validation'>,
  trainLimit = Infinity,
): TrainingImages {
  const v = Math.max(0, Math.floor(config.validation));
  if (v >= count) {
    throw new Error(`${v} validation images leave none of the ${count} training images to train on`);
  }
  const held = new Uint8Array(count);
  const validation = new Uint32Array(v);
  if (v > 0) {
    const perm = new Uint32Array(count);
    for (let i = 0; i < count; i++) perm[i] = i;
    new Rng(deriveSeed(config.seed, VALIDATION_STREAM)).shuffle(perm);
    for (let i = 0; i < v; i++) {
      validation[i] = perm[i]!;
      held[perm[i]!] = 1;
    }
  }
  const n = Math.max(0, Math.min(count - v, config.trainSize, trainLimit));
  const train = new Uint32Array(n);
  for (let i = 0, k = 0; k < n; i++) if (!held[i]) train[k++] = i;
  return { train, validation };
}

/** The images of `split` at `indices`, gathered into a split of their own (in that order). */
function gather(split: Split, indices: Uint32Array): Split {
  const px = split.rows * split.cols;
  const images = new Uint8Array(indices.length * px);
  const labels = new Uint8Array(indices.length);
  indices.forEach((s, i) => {
    images.set(split.images.subarray(s * px, (s + 1) * px), i * px);
    labels[i] = split.labels[s]!;
  });
  return { images, labels, count: indices.length, rows: split.rows, cols: split.cols };
}

/** My digits as the session reads them: the teach half (may be trained on) and the test half (never). */
export interface MyDigitsHalves {
  teach: Split;
  test: Split;
}

export class TrainingSession {
  readonly config: TrainConfig;
  readonly network: Network;
  readonly optimizer: Optimizer;
  readonly trainCount: number;
  readonly batchesPerEpoch: number;

  /** The held-out validation images, gathered (null when the config holds none out). */
  readonly validationSplit: Split | null;
  /**
   * Samples of my digits' teach half per epoch: config.mine × its digits (0 when off or when there are none
   * to teach with — `mineIgnored` then says why the setting has no effect).
   */
  readonly mineSamples: number;
  /** config.mine > 0 but no teach digits were given: the run trains as with 0. */
  readonly mineIgnored: boolean;

  private readonly data: { train: Split; test: Split };
  /** The learner's own digits: the teach half (mixed into epochs) and the test half (only evaluated). */
  private readonly myDigits: MyDigitsHalves | null;
  /** Indices (into the training split) of the images trained on. */
  private readonly trainIndex: Uint32Array;
  private readonly order: Uint32Array;
  /**
   * The step: the batch cut by the step's plan (parallel/stepPlan.ts), across the pool's threads when it has
   * more than one, else on this thread alone over plain memory — the same arithmetic either way.
   */
  private readonly shared: SharedStep;
  private readonly x: Float32Array;
  private readonly y: Uint8Array;
  private _epoch = 0;
  private _step = 0;
  private _batchInEpoch = 0;
  /**
   * The step being trained micro-batch by micro-batch (null between steps). The weights, the optimizer and
   * the position move only when its last micro-batch is done, so a checkpoint or a take-over in the middle
   * has the step's start, and the step is trained again from its first micro-batch there.
   */
  private inProgress: StepInProgress | null = null;
  /** The layer statistics of the last step, kept while the next is in progress (its gradients are partial). */
  private lastStats: LayerStats[] | null = null;
  /** Epoch whose permutation is in `order` (−1: none yet). */
  private shuffledEpoch = -1;
  private trained = false;

  /**
   * trainLimit: a cap on the training subset for tests (the config's trainSize is the setting).
   * pool: compute workers to split every batch across (data-parallel, parallel/computePool.ts); with one
   * thread (or none given) the session runs the same plan alone, to the same bits.
   */
  constructor(
    config: TrainConfig,
    data: { train: Split; test: Split },
    options?: { trainLimit?: number; pool?: ComputePool; myDigits?: MyDigitsHalves },
  ) {
    if (
      !Number.isInteger(config.batchSize) ||
      config.batchSize < 1 ||
      config.batchSize > LIMITS.maxBatchSize
    ) {
      throw new Error(
        `batchSize must be an integer from 1 to ${LIMITS.maxBatchSize}, got ${config.batchSize}`,
      );
    }
    if (!(config.learningRate > 0) || !Number.isFinite(config.learningRate)) {
      throw new Error(`learningRate must be a positive number, got ${config.learningRate}`);
    }
    if (!(config.l2 >= 0) || !Number.isFinite(config.l2)) {
      throw new Error(`l2 must be a number ≥ 0, got ${config.l2}`);
    }
    this.config = { ...config, hidden: [...config.hidden] };
    this.data = data;
    const split = splitTrainingImages(data.train.count, this.config, options?.trainLimit);
    this.trainIndex = split.train;
    this.trainCount = split.train.length;
    if (this.trainCount === 0) throw new Error('no training samples');
    this.validationSplit = split.validation.length > 0 ? gather(data.train, split.validation) : null;
    this.myDigits = options?.myDigits ?? null;
    const teach = this.myDigits?.teach.count ?? 0;
    this.mineSamples = Math.max(0, Math.floor(config.mine)) * teach;
    this.mineIgnored = config.mine > 0 && teach === 0;
    this.batchesPerEpoch = Math.ceil(this.epochSamples / config.batchSize);
    const inputSize = this.config.inputSize;
    if (data.train.rows * data.train.cols !== inputSize) {
      throw new Error(
        `images are ${data.train.rows}×${data.train.cols}, the network expects ${inputSize} inputs`,
      );
    }
    const pool = options?.pool;
    this.shared =
      pool && pool.workers > 1 ? pool.bind(this.config) : new SharedStep(this.config, 1, 0, allocLocal);
    // The network's row buffers hold a chunk of a micro-batch, or an evaluation's rows.
    const maxBatch = Math.max(this.shared.plan.microCapacity, EVAL_BATCH);
    this.network = Network.create(this.config, maxBatch, this.shared.coordinatorMemory);
    this.optimizer = createOptimizer(this.network, this.config, this.shared.optimizerMemory);
    this.shared.attach(this.network, this.optimizer);
    this.order = new Uint32Array(this.epochSamples);
    this.x = this.shared.x;
    this.y = this.shared.y;
  }

  /**
   * Samples one epoch visits: the training images, then (as indices past them) each teach digit of mine
   * config.mine times — all in one seeded shuffle, so with none the epoch is exactly as it always was.
   */
  get epochSamples(): number {
    return this.trainCount + this.mineSamples;
  }

  /** Threads that train each batch (1: this one alone). */
  get workers(): number {
    return this.shared.live ? this.shared.workers : 1;
  }

  get epoch(): number {
    return this._epoch;
  }
  get step(): number {
    return this._step;
  }
  get batchInEpoch(): number {
    return this._batchInEpoch;
  }
  /** For the current epoch, from the schedule. */
  get learningRate(): number {
    return learningRateAt(this.config, this._epoch, this.config.epochs);
  }

  /** The permutation of epoch e: identity shuffled by Rng(deriveSeed(seed, stream + e)). */
  private shuffleFor(epoch: number): void {
    const order = this.order;
    for (let i = 0; i < order.length; i++) order[i] = i;
    new Rng(deriveSeed(this.config.seed, SHUFFLE_STREAM + epoch)).shuffle(order);
    this.shuffledEpoch = epoch;
  }

  /** A copy of the sample order of `epoch` (for tests and inspection). */
  epochOrder(epoch: number): Uint32Array {
    const saved = this.shuffledEpoch;
    this.shuffleFor(epoch);
    const copy = this.order.slice();
    if (saved >= 0) this.shuffleFor(saved);
    else this.shuffledEpoch = -1;
    return copy;
  }

  /**
   * Trains the next batch of the seeded per-epoch shuffle: forward, backward, optimizer step — micro-batch
   * after micro-batch when the step's plan cuts it (engine/stepPlan.ts), in one call. When the loss is
   * non-finite the weights are NOT updated (returns the loss so the caller can report divergence).
   */
  trainBatch(): BatchResult {
    for (;;) {
      const r = this.trainMicroBatch();
      if (r) return r;
    }
  }

  /**
   * One micro-batch of the next batch (the whole batch when the plan trains it whole): gathered, forward,
   * backward, its gradients added to the batch's; after the batch's last, λw and the optimizer, and the
   * position moves. Returns the batch's result once its step is done, else null (call again; pause,
   * predict and snapshots are answered in between). No allocation beyond the result object (except an
   * epoch's permutation, once per epoch).
   */
  trainMicroBatch(): BatchResult | null {
    const epoch = this._epoch;
    const n = this.nextBatchRows();
    const lr = this.learningRate;
    const p = (this.inProgress ??= { done: 0, of: microsOf(n, this.shared.plan), lossSum: 0, correct: 0 });
    const totals = this.shared.micro(this.gatherMicro(p.done, p.of, n, p), lr);
    p.done++;
    p.lossSum = totals.lossSum;
    p.correct = totals.correct;
    if (p.done < p.of) return null;
    this.inProgress = null;
    this.trained = true;
    if (p.of > 1) this.lastStats = this.computeLayerStats();
    this._step++;
    this._batchInEpoch++;
    const epochEnded = this._batchInEpoch === this.batchesPerEpoch;
    if (epochEnded) {
      this._batchInEpoch = 0;
      this._epoch++;
    }
    const { loss, correct } = totals;
    return { loss, correct, batchSize: n, epoch, step: this._step, epochEnded, learningRate: lr };
  }

  /** The step in progress (null between steps, and always when the plan trains batches whole). */
  get stepProgress(): StepProgress | null {
    const p = this.inProgress;
    if (!p) return null;
    const n = this.nextBatchRows();
    return { microsDone: p.done, micros: p.of, rowsDone: microBounds(p.done, n, p.of)[0], rows: n };
  }

  /** Micro-batches per full batch (1: batches are trained whole). */
  get microsPerBatch(): number {
    return this.shared.plan.micros;
  }

  /** Gathers micro-batch m of the next batch of n rows into x, y: its part of the step. */
  private gatherMicro(
    m: number,
    micros: number,
    n: number,
    prior: { lossSum: number; correct: number },
  ): MicroPart {
    const [start, end] = microBounds(m, n, micros);
    this.gatherNextRows(this.x, this.y, start, end - start);
    const place = this.batchPlace();
    return {
      index: m,
      count: micros,
      rows: end - start,
      batchRows: n,
      at: { epoch: place.epoch, firstPosition: place.firstPosition + start },
      prior: { lossSum: prior.lossSum, correct: prior.correct },
    };
  }

  /** The next batch's epoch and the position of its first row: its masks' and augmentations' key. */
  batchPlace(): BatchPlace {
    return { epoch: this._epoch, firstPosition: this._batchInEpoch * this.config.batchSize };
  }

  /** Rows of the next batch (the epoch's last may be short). */
  nextBatchRows(): number {
    return Math.min(this.config.batchSize, this.epochSamples - this._batchInEpoch * this.config.batchSize);
  }

  /**
   * Rows [from, from + count) of the next batch trainBatch will train on (count cut at the batch's end),
   * gathered into `x` [count, inputSize] and `y` [count]; returns the rows gathered. Does not advance:
   * trainBatch gathers the same samples.
   */
  gatherNextRows(x: Float32Array, y: Uint8Array, from: number, count: number): number {
    const epoch = this._epoch;
    if (this.shuffledEpoch !== epoch) this.shuffleFor(epoch);
    const { inputSize } = this.config;
    const start = this._batchInEpoch * this.config.batchSize + from;
    const n = Math.max(0, Math.min(count, this.nextBatchRows() - from));
    const images = this.data.train.images;
    const labels = this.data.train.labels;
    const trainCount = this.trainCount;
    const teach = this.myDigits?.teach;
    for (let i = 0; i < n; i++) {
      const k = this.order[start + i]!;
      if (k < trainCount) {
        const s = this.trainIndex[k]!;
        toFloatPixels(images, s * inputSize, inputSize, x, i * inputSize);
        y[i] = labels[s]!;
      } else {
        // One of my digits: sample k − trainCount is its (k − trainCount) mod count-th teach digit.
        const m = (k - trainCount) % teach!.count;
        toFloatPixels(teach!.images, m * inputSize, inputSize, x, i * inputSize);
        y[i] = teach!.labels[m]!;
      }
    }
    return n;
  }

  /**
   * The next batch trainBatch will train on, and its gradient exactly as that step will apply it (the
   * step's plan — micro-batches, chunks, their order — λw included) in the network's gradients — the
   * weights, the optimizer, the position and a step in progress untouched. For One step's explanation.
   * Returns the batch's rows, its first example and label.
   */
  nextBatchGradient(): { size: number; x: Float32Array; label: number } {
    const n = this.nextBatchRows();
    const micros = microsOf(n, this.shared.plan);
    let x = new Float32Array(0);
    let label = 0;
    let totals: MicroTotals = { lossSum: 0, loss: 0, correct: 0 };
    for (let m = 0; m < micros; m++) {
      totals = this.shared.gradientMicro(this.gatherMicro(m, micros, n, totals));
      if (m === 0) {
        x = this.x.slice(0, this.config.inputSize);
        label = this.y[0]!;
      }
    }
    // The step in progress gathers its next micro-batch again into x, y (they are the explanation's now).
    return { size: n, x, label };
  }

  /**
   * Per layer, from the last trainBatch (zeros before any): O(parameters), no extra forward/backward. While
   * a step is in progress, the last step's (the network's gradients hold a part of the batch's then).
   */
  layerStats(): LayerStats[] {
    if (this.inProgress) return this.lastStats ?? this.computeLayerStats();
    return this.computeLayerStats();
  }

  private computeLayerStats(): LayerStats[] {
    const upd = this.optimizer.lastUpdateStats();
    return this.network.layers.map((layer, l) => {
      const u = upd[l]!;
      const weightNorm = this.trained ? u.weightNorm : l2Norm(layer.weights);
      return {
        gradNorm: this.trained ? l2Norm(layer.gradWeights) : 0,
        weightNorm,
        updateRatio: weightNorm > 0 ? u.updateNorm / weightNorm : 0,
        gradBiasNorm: this.trained ? l2Norm(layer.gradBiases) : 0,
      };
    });
  }

  /**
   * Loss, accuracy and confusion on the test split, the validation images, or the training samples in use
   * (the first `limit` of them, ≤ trainCount).
   */
  evaluate(which: 'train' | 'validation' | 'test' | 'mine', limit?: number): EvalResult {
    if (which === 'mine') {
      if (!this.myDigits || this.myDigits.test.count === 0) {
        throw new Error('this session has no test half of my digits');
      }
      return evaluate(this.network, this.myDigits.test, limit);
    }
    if (which === 'train') {
      const n = Math.min(limit ?? this.trainCount, this.trainCount);
      // With no validation the subset is a prefix of the split: no copy.
      const prefix = this.trainIndex[n - 1] === n - 1;
      const images = prefix ? this.data.train : gather(this.data.train, this.trainIndex.subarray(0, n));
      return evaluate(this.network, images, n);
    }
    if (which === 'validation') {
      if (!this.validationSplit) throw new Error('this session holds no validation images out');
      return evaluate(this.network, this.validationSplit, limit);
    }
    return evaluate(this.network, this.data.test, limit);
  }

  /** A deep copy of the run's state; `setState` on a session with the same config continues it bit for bit. */
  getState(): SessionState {
    return {
      epoch: this._epoch,
      step: this._step,
      batchInEpoch: this._batchInEpoch,
      params: this.network.getParams(),
      optimizer: this.optimizer.getState(),
    };
  }

  /** Restores a getState() copy (validated first: throws without changing anything when it doesn't fit). */
  setState(state: SessionState): void {
    const whole = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
    if (!whole(state.epoch) || !whole(state.step) || !whole(state.batchInEpoch)) {
      throw new Error('session state: epoch, step and batchInEpoch must be whole numbers');
    }
    if (state.batchInEpoch >= this.batchesPerEpoch) {
      throw new Error(
        `session state: batch ${state.batchInEpoch} is past the epoch's ${this.batchesPerEpoch}`,
      );
    }
    // Validate both parts before touching either (setParams / setState validate before they write).
    const savedParams = this.network.getParams();
    this.network.setParams(state.params);
    try {
      this.optimizer.setState(state.optimizer);
    } catch (e) {
      this.network.setParams(savedParams);
      throw e;
    }
    this._epoch = state.epoch;
    this._step = state.step;
    this._batchInEpoch = state.batchInEpoch;
    this.shuffledEpoch = -1;
    this.trained = false;
    this.inProgress = null;
    this.lastStats = null;
  }

  /** True when a test half of my digits can be evaluated. */
  get hasMyDigitsTest(): boolean {
    return (this.myDigits?.test.count ?? 0) > 0;
  }

  /** Back to the seeded initial weights, fresh optimizer state, epoch/step 0 — bit-identical to a new session. */
  reset(): void {
    this.network.reinitialise();
    this.optimizer.reset();
    this._epoch = 0;
    this._step = 0;
    this._batchInEpoch = 0;
    this.shuffledEpoch = -1;
    this.trained = false;
    this.inProgress = null;
    this.lastStats = null;
  }
}

/**
 * Fields that define the network and the images it learns from; `update-config` may change every other
 * one (a session cannot take over another's position on other images).
 */
const ARCH_FIELDS = [
  'inputSize',
  'outputSize',
  'activation',
  'init',
  'seed',
  'trainSize',
  'validation',
] as const;

/** Same layer sizes, activation, init and seed: a session of `b` can take over one of `a`. */
export function sameArchitecture(a: TrainConfig, b: TrainConfig): boolean {
  if (a.hidden.length !== b.hidden.length || a.hidden.some((h, i) => h !== b.hidden[i])) return false;
  return ARCH_FIELDS.every((k) => a[k] === b[k]);
}

/**
 * Makes `next` (a new session with other hyper-parameters, same architecture) continue `old`: weights,
 * position (epoch, step — so the schedule and the curves continue) and the optimizer's moments when the
 * optimizer kind is unchanged (a new kind starts with fresh moments). With another batch size, the
 * position inside the epoch is carried over in samples (same permutation; the batch boundary rounds up).
 * Throws (leaving `next` unchanged) when the state does not fit.
 */
export function takeOver(old: TrainingSession, next: TrainingSession): void {
  const state = old.getState();
  if (next.optimizer.kind !== old.optimizer.kind) state.optimizer = next.optimizer.getState();
  if (next.config.batchSize !== old.config.batchSize) {
    const samples = state.batchInEpoch * old.config.batchSize;
    state.batchInEpoch = Math.ceil(samples / next.config.batchSize);
  }
  // Another batch size, or another number of my digits: an epoch of other length. Past its end: the next.
  if (state.batchInEpoch >= next.batchesPerEpoch) {
    state.batchInEpoch = 0;
    state.epoch++;
  }
  next.setState(state);
}
