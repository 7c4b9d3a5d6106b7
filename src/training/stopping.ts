/**
 * When a run stops by itself, besides its epoch limit: the rules of `untilLoss` and `patience`
 * (src/engine/types.ts StopConfig), shared by the page's run (run.ts) and the CLI (src/cli/runTrain.ts), so
 * both stop at the same step for the same reason.
 *
 * - Loss tolerance: after every batch, on the smoothed training loss — an exponential moving average with
 *   β = {@link LOSS_SMOOTHING} per batch, debiased (num = β·num + (1 − β)·loss, den = β·den + (1 − β),
 *   smoothed = num / den), i.e. a window of ~1/(1 − β) = 50 batches. It is the loss chart's line
 *   (`smoothSeries` with β 0.98, one batch per step), so the run stops where the line crosses the tolerance.
 *   The rule fires when the smoothed loss reaches the tolerance from above; after a stop it waits until the
 *   loss has been above it again (so Train after such a stop trains on instead of stopping at once).
 * - Early stopping: after every validation evaluation (one per epoch end); the best validation loss so far
 *   and a copy of its weights are kept; when `patience` evaluations in a row did not improve on it, the run
 *   stops and the caller restores those weights (as Keras's EarlyStopping with restore_best_weights).
 *
 * Pure: no clock, no posting; the caller decides what a stop does.
 */
import type { NetworkParams } from '../engine/network';
import type { StopConfig } from '../engine/types';
import type { StopReason } from '../protocol/messages';

/** β of the smoothed training loss, per batch (the loss chart's smoothing). */
export const LOSS_SMOOTHING = 0.98;

/** The debiased exponential moving average of the per-batch training loss (see the file's comment). */
export class SmoothedLoss {
  private num = 0;
  private den = 0;

  /** Adds one batch's loss; returns the smoothed loss. */
  add(loss: number): number {
    this.num = LOSS_SMOOTHING * this.num + (1 - LOSS_SMOOTHING) * loss;
    this.den = LOSS_SMOOTHING * this.den + (1 - LOSS_SMOOTHING);
    return this.num / this.den;
  }

  /** NaN before the first batch. */
  get value(): number {
    return this.den > 0 ? this.num / this.den : NaN;
  }
}

/** The best validation evaluation so far, with the weights that gave it. */
export interface BestEpoch {
  /** From 1. */
  epoch: number;
  validationLoss: number;
  validationAccuracy: number;
  params: NetworkParams;
  /** The same weights' test figures, when the caller evaluated them. */
  test?: { loss: number; accuracy: number };
}

export class StopRules {
  readonly smoothed = new SmoothedLoss();
  private rules: StopConfig;
  /** The smoothed loss has been above the tolerance since the rule last fired (or the run began). */
  private armed = true;
  private bestSoFar: BestEpoch | null = null;
  /** Evaluations since the best one. */
  private waited = 0;

  constructor(rules: StopConfig) {
    this.rules = { untilLoss: rules.untilLoss, patience: rules.patience };
  }

  /** New settings mid-run (update-config): a new tolerance is armed again; the best epoch stays. */
  setRules(rules: StopConfig): void {
    if (rules.untilLoss !== this.rules.untilLoss) this.armed = true;
    this.rules = { untilLoss: rules.untilLoss, patience: rules.patience };
  }

  /** After each batch with a finite loss: true when the smoothed loss has just reached `untilLoss`. */
  afterBatch(loss: number): boolean {
    const smoothed = this.smoothed.add(loss);
    const tolerance = this.rules.untilLoss;
    if (!(tolerance > 0)) return false;
    if (smoothed > tolerance) {
      this.armed = true;
      return false;
    }
    if (!this.armed) return false;
    this.armed = false;
    return true;
  }

  /**
   * After each validation evaluation: keeps the best one (a copy of its weights, from `params()`); true when
   * `patience` evaluations in a row have not improved on it. A non-finite loss never improves.
   */
  afterValidation(
    epoch: number,
    validation: { loss: number; accuracy: number },
    params: () => NetworkParams,
    test?: { loss: number; accuracy: number },
  ): boolean {
    const best = this.bestSoFar;
    if (Number.isFinite(validation.loss) && (!best || validation.loss < best.validationLoss)) {
      this.bestSoFar = {
        epoch,
        validationLoss: validation.loss,
        validationAccuracy: validation.accuracy,
        params: params(),
        ...(test ? { test: { ...test } } : {}),
      };
      this.waited = 0;
      return false;
    }
    this.waited++;
    return this.rules.patience > 0 && this.bestSoFar !== null && this.waited >= this.rules.patience;
  }

  /** The best validation evaluation so far (null before the first). */
  get best(): BestEpoch | null {
    return this.bestSoFar;
  }

  /** Training goes on after a stop: patience counts again from here. */
  resume(): void {
    this.waited = 0;
  }
}

/** The epoch (from 1) of a session's last trained step: the one in progress, or the one that just ended. */
export function lastStepEpoch(s: { epoch: number; batchInEpoch: number; step: number }): number {
  if (s.step === 0) return 0;
  return s.batchInEpoch === 0 ? s.epoch : s.epoch + 1;
}

/** Why a run stopped, for people: the status bar and the marker on the loss chart. */
export function stopMessage(
  reason: StopReason,
  facts: { untilLoss: number; epoch: number; bestEpoch: number },
): string {
  switch (reason) {
    case 'epochs':
      return `done: ${facts.epoch} epoch${facts.epoch === 1 ? '' : 's'}`;
    case 'loss-tolerance':
      return `stopped: loss ≤ ${facts.untilLoss}`;
    case 'early-stopping':
      return `early stop: best epoch ${facts.bestEpoch}, weights restored`;
    case 'diverged':
      return 'diverged';
  }
}
