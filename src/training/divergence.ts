/**
 * When has a run diverged, even though its loss is still a finite number? One rule, shared by the worker's
 * trainer (run.ts: the `diverged` event and the page's notice) and the CLI (`diverged`, exit 3). Pure and
 * allocation-free: feed it every batch's loss, in order.
 *
 * A non-finite loss is caught before this (the update is not even applied). This catches the finite
 * blow-ups: SGD at lr 1000 goes 2.42 → 8e7 → 2e21 → 5e23 → 1e34 and then wanders between 1e2 and 1e14 at
 * 10 % accuracy; Adam at lr 1000 goes 2.4 → 9e13 and crawls down to ~300–600 at 10 %; SGD at lr 1e6
 * from a uniform(0, 1) init spikes to 9e15 and levels off near 4.4e5, 8× above where it began. What it must
 * not stop are the runs that look alarming and recover: the uniform(0, 1) init lesson (default settings)
 * starts near 5.5e4 and falls to ~50 within 400 batches; Adam at 0.05 spikes from 2.3 to 19 and is back
 * under 2 by batch 10; SGD at lr 1 spikes from 2.1 to 17 and learns. (Measured with the recorded losses in
 * test/fixtures/divergence/.)
 *
 * The rule, relative to the run's own early loss: let `reference` = max(the lowest of the first
 * {@link EARLY_BATCHES} batch losses, ln(classes)) — where this run started, floored at the loss of a
 * uniform guess so that a loaded, well-trained model (batch losses ~0.01) is not held to its best batch.
 * The run has diverged when the loss stays far above its reference and does not come back, where the
 * window is shorter the farther above it is:
 *  1. blew up: {@link BLOWUP_BATCHES} batches in a row above {@link BLOWUP_FACTOR} × reference (three
 *     orders of magnitude; the recovering cases peak at 8×) — SGD and Adam at lr 1000 stop at step 4;
 *  2. stuck high: over the last {@link STUCK_BLOCKS} blocks of {@link BLOCK} batches (100), every block's
 *     mean loss above {@link STUCK_FACTOR} × reference and the last block not below 0.8 × the first (not
 *     falling) — the lr 1e6 uniform run stops at step 125; a falling loss (the uniform lesson) never does.
 * After a verdict the watch starts over: if the user trains on anyway, the next batches are the new
 * reference (no notice after every few batches).
 */

/** Batches whose lowest loss is the run's early reference. */
export const EARLY_BATCHES = 10;
/** Clause 1: this many times the reference… */
export const BLOWUP_FACTOR = 1000;
/** …for this many batches in a row. */
export const BLOWUP_BATCHES = 3;
/** Clause 2: batches per block mean. */
export const BLOCK = 25;
/** Clause 2: blocks in the window. */
export const STUCK_BLOCKS = 4;
/** Clause 2: every block mean of the window above this many times the reference. */
export const STUCK_FACTOR = 5;
/** Clause 2: "not falling" — the last block mean is at least this fraction of the window's first. */
const NOT_FALLING = 0.8;

export interface Divergence {
  reason: 'blew-up' | 'stuck-high';
  /** The loss that decided it: the last batch's (blew-up) or the last block's mean (stuck-high). */
  loss: number;
  /** The run's early reference it is compared with. */
  reference: number;
  /** For people: what happened, and what to try, without the step (the caller adds where). */
  message: string;
}

const fmt = (x: number): string =>
  Math.abs(x) >= 1e4 || Math.abs(x) < 0.01 ? x.toExponential(1) : x.toPrecision(3);

export class DivergenceWatch {
  private readonly floor: number;
  private seen = 0;
  private earlyMin = Infinity;
  private aboveInARow = 0;
  private blockSum = 0;
  private blockCount = 0;
  /** The last STUCK_BLOCKS block means, oldest first once full (a ring: `blocks[(next + i) % n]`). */
  private readonly blocks = new Float64Array(STUCK_BLOCKS);
  private blocksFilled = 0;
  private next = 0;

  /** `classes`: the network's outputs (ln(classes) is a uniform guess's loss, the reference's floor). */
  constructor(classes: number) {
    this.floor = Math.log(Math.max(2, classes));
  }

  /** The run's early reference so far (Infinity before the first batch). */
  get reference(): number {
    return this.seen === 0 ? Infinity : Math.max(this.earlyMin, this.floor);
  }

  /** Forgets everything: the next batches set a new reference (a fresh run, or training on after a verdict). */
  reset(): void {
    this.seen = 0;
    this.earlyMin = Infinity;
    this.aboveInARow = 0;
    this.blockSum = 0;
    this.blockCount = 0;
    this.blocksFilled = 0;
    this.next = 0;
  }

  /**
   * One batch's loss (finite; a non-finite loss is the caller's to stop on). Returns the verdict when the
   * run has diverged (and starts over), else null.
   */
  push(loss: number): Divergence | null {
    if (!Number.isFinite(loss)) return null;
    if (this.seen < EARLY_BATCHES) this.earlyMin = Math.min(this.earlyMin, loss);
    this.seen++;
    const reference = this.reference;

    this.aboveInARow = loss > BLOWUP_FACTOR * reference ? this.aboveInARow + 1 : 0;
    if (this.aboveInARow >= BLOWUP_BATCHES) {
      return this.verdict({
        reason: 'blew-up',
        loss,
        reference,
        message:
          `the loss exploded to ${fmt(loss)}, more than ${BLOWUP_FACTOR} times where it began (${fmt(reference)}), ` +
          `and did not come back — try a smaller learning rate`,
      });
    }

    this.blockSum += loss;
    if (++this.blockCount < BLOCK) return null;
    const mean = this.blockSum / BLOCK;
    this.blockSum = 0;
    this.blockCount = 0;
    this.blocks[this.next] = mean;
    this.next = (this.next + 1) % STUCK_BLOCKS;
    this.blocksFilled = Math.min(STUCK_BLOCKS, this.blocksFilled + 1);
    if (this.blocksFilled < STUCK_BLOCKS) return null;
    const first = this.blocks[this.next]!;
    let high = true;
    for (let i = 0; i < STUCK_BLOCKS; i++) if (!(this.blocks[i]! > STUCK_FACTOR * reference)) high = false;
    if (high && mean >= NOT_FALLING * first) {
      return this.verdict({
        reason: 'stuck-high',
        loss: mean,
        reference,
        message:
          `the loss has stayed around ${fmt(mean)}, more than ${STUCK_FACTOR} times where it began ` +
          `(${fmt(reference)}), for ${STUCK_BLOCKS * BLOCK} batches without falling — try a smaller learning rate`,
      });
    }
    return null;
  }

  private verdict(d: Divergence): Divergence {
    this.reset();
    return d;
  }
}
