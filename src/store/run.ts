/**
 * Slow facts about the run: what the status bar and the buttons show. Changes a few times a second at
 * most, so components may select from it with hooks.
 */
import { create } from 'zustand';
import type { DatasetName } from '../data/dataset';
import type { DataErrorData } from '../data/errors';
import type { DataProgress, RunStatus, StopReason, WorkerError } from '../protocol/messages';

/** Test/train figures at the end of one epoch. */
export interface EpochResult {
  epoch: number;
  step: number;
  trainLoss: number;
  trainAccuracy: number;
  testLoss: number;
  testAccuracy: number;
  /** Seconds trained up to this epoch's end (the worker's training slices). */
  trainSeconds?: number;
  /** On the held-out validation images, when the run holds some out. */
  validationLoss?: number;
  validationAccuracy?: number;
  /** On the test half of my digits, when there is one. */
  myDigitsAccuracy?: number;
}

/** Why and where the run stopped by itself (the `stopped` event), shown in the top bar and on the curves. */
export interface StopInfo {
  reason: StopReason;
  step: number;
  epoch: number;
  bestEpoch: number;
  /** "stopped: loss ≤ 0.15", "early stop: best epoch 7, weights restored". */
  message: string;
  /** Test accuracy of the weights kept (the restored ones after early stopping), when known. */
  testAccuracy?: number;
}

export interface RunState {
  /** Generation of the network the page currently shows; events of older generations are dropped. */
  generation: number;
  status: RunStatus;
  epoch: number;
  step: number;
  batchesPerEpoch: number;
  samplesPerSecond: number;
  learningRate: number;
  /** The step in progress when its batch trains as micro-batches: rows done of its rows (else null). */
  stepRows: { done: number; of: number } | null;
  /** One entry per finished epoch of the current generation. */
  epochs: EpochResult[];
  /** The last confusion matrix ([classes²], row = truth), or null before the first evaluation. */
  confusion: Uint32Array | null;
  data: {
    dataset: DatasetName | null;
    progress: DataProgress | null;
    counts: { train: number; test: number } | null;
    classNames: string[];
    /** Why the dataset did not load (names the file), or null. */
    error: DataErrorData | null;
    loadMs: number | null;
  };
  diverged: { step: number; lastFiniteLoss: number; message: string } | null;
  /** The last stop by itself, until the run trains on (null while training). */
  stopped: StopInfo | null;
  /** A short, transient message for the user ("network reset"), or null. */
  notice: string | null;
  /** Last failed command (e.g. a rejected model file). */
  error: WorkerError | null;
  /**
   * The training worker's health (client.ts, bridge.ts's watchdog): 'ok'; 'lost' (closed, crashed, hung —
   * the page offers Restart); 'restarted' (lost, and restarted automatically: what happened and whether
   * the run was resumed).
   */
  worker: { state: 'ok' } | { state: 'lost' | 'restarted'; message: string };
  /**
   * The threads training each batch, as the worker last said (`workers` event): null until it has; `note`
   * is the one line shown when it trains on fewer than asked (not isolated, more than the cores …).
   */
  workers: { used: number; requested: number; cores: number; note: string | null } | null;
}

export const INITIAL_RUN_STATE: RunState = {
  generation: 0,
  status: 'idle',
  epoch: 0,
  step: 0,
  batchesPerEpoch: 0,
  samplesPerSecond: 0,
  stepRows: null,
  learningRate: 0,
  epochs: [],
  confusion: null,
  data: { dataset: null, progress: null, counts: null, classNames: [], error: null, loadMs: null },
  diverged: null,
  stopped: null,
  notice: null,
  error: null,
  worker: { state: 'ok' },
  workers: null,
};

export const useRunStore = create<RunState>()(() => ({ ...INITIAL_RUN_STATE }));
