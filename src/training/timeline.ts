/**
 * The run's kept weights: a copy every so often, so the page can scrub back to a past moment and the loss
 * landscape can draw the path the optimizer took. Memory-bounded: at most TIMELINE_MAX moments, and at most
 * TIMELINE_MEMORY_SHARE of the memory budget. When full, every other moment goes (the first and the
 * latest stay) and the interval doubles, so the kept moments stay evenly spread over the whole run —
 * ~64·log₂(steps) copies in all, a few per second early on and rarer later.
 */
import type { NetworkParams } from '../engine/network';

export const TIMELINE_MAX = 64;
export const TIMELINE_MEMORY_SHARE = 0.25;

export interface Moment {
  step: number;
  /** The epoch (from 0) the step belongs to. */
  epoch: number;
  params: NetworkParams;
}

export class WeightTimeline {
  /** Moments it keeps at most (≥ 2). */
  readonly capacity: number;
  private readonly kept: Moment[] = [];
  private every = 1;
  /** Bumped on every change, so the page is told only when something changed. */
  version = 0;

  constructor(
    private readonly bytesPerMoment: number,
    memoryBudgetBytes: number,
  ) {
    const byMemory = Math.floor((TIMELINE_MEMORY_SHARE * memoryBudgetBytes) / Math.max(1, bytesPerMoment));
    this.capacity = Math.max(2, Math.min(TIMELINE_MAX, byMemory));
  }

  get moments(): readonly Moment[] {
    return this.kept;
  }
  get bytes(): number {
    return this.kept.length * this.bytesPerMoment;
  }
  /** Steps between kept moments now. */
  get interval(): number {
    return this.every;
  }

  /** After step `step`: keeps the weights if the step falls on the interval (`params` copies them). */
  offer(step: number, epoch: number, params: () => NetworkParams): boolean {
    if (step % this.every !== 0) return false;
    const last = this.kept[this.kept.length - 1];
    if (last && last.step >= step) return false;
    if (this.kept.length >= this.capacity) this.thin();
    if (step % this.every !== 0) return false;
    this.kept.push({ step, epoch, params: params() });
    this.version++;
    return true;
  }

  /** The moment of `step`, if kept. */
  at(step: number): Moment | undefined {
    return this.kept.find((m) => m.step === step);
  }

  /** Keeps the moments on twice the interval (step 0 among them), dropping the others. */
  private thin(): void {
    this.every *= 2;
    const keep = this.kept.filter((m) => m.step % this.every === 0);
    this.kept.length = 0;
    this.kept.push(...keep);
    this.version++;
  }
}
