/**
 * What a Trainer can be told when it is made (trainer.ts): its callbacks, the pacing of its slices and
 * events, and the hard cost budget it holds every configuration to — with the defaults.
 */
import type { CostBudget } from '../engine/cost';
import type { Clock } from './clock';
import type { LoadDataFn } from './dataLoading';
import type { ComputeOptions } from './parallel/threads';
import type { PostFn } from './run';

export interface TrainerOptions {
  post: PostFn;
  clock?: Clock;
  loadData?: LoadDataFn;
  /** Training time per slice before yielding (ms). */
  sliceMs?: number;
  /** Slice length while predicts are coming in (ms). */
  interactiveSliceMs?: number;
  /** How long after a predict the short slices are used (ms). */
  interactiveWindowMs?: number;
  /** Cap on batches per slice (tests with a fake clock); default unlimited. */
  maxBatchesPerSlice?: number;
  /** Minimum time between `metrics` events while training (ms). */
  metricsIntervalMs?: number;
  /** Minimum time between periodic `status` events while training (ms). */
  statusIntervalMs?: number;
  /** Heavy snapshots per second, at most (default 15). */
  snapshotsPerSecond?: number;
  /** Test images evaluated at each epoch end (default: the whole test split). */
  evalLimit?: number;
  /** Use only the first N training samples (tests). */
  trainLimit?: number;
  /** Images per evaluation chunk; chunks run until the slice's time is spent. */
  evalChunk?: number;
  /**
   * The hard budget: a configure, update-config or loaded model whose estimated memory is over it is
   * refused with an `error` (kind 'over-budget'), the current network kept (time never refuses: long
   * batches are micro-batched, engine/stepPlan.ts). Default: 1 GiB.
   */
  guard?: CostGuard;
  /**
   * Compute threads for data-parallel training (parallel/threads.ts): how to start one, the machine's cores,
   * and why threads cannot share memory here, if they cannot. Default: none — every batch on this thread.
   */
  compute?: ComputeOptions;
}

export interface CostGuard {
  budget: CostBudget;
  /** The engine's speed here (cost.ts units), or null: time is not judged. */
  flopsPerSecond: number | null;
}

export const DEFAULT_GUARD: CostGuard = {
  budget: { memoryBytes: 1024 ** 3 },
  flopsPerSecond: null,
};

export const DEFAULTS = {
  sliceMs: 25,
  interactiveSliceMs: 8,
  interactiveWindowMs: 1000,
  metricsIntervalMs: 66,
  statusIntervalMs: 250,
  evalChunk: 256,
};
