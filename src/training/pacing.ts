/**
 * The trainer's timing, apart from what it does: how long a slice of batches runs and when the next one
 * is due (SlicePacing), when a heavy snapshot may go (SnapshotPacing), and the samples/s figure of the
 * status events (Throughput). None of them sends anything; the trainer asks them.
 *
 * They read the clock exactly where the trainer did before they were split out (the fake clock of the
 * tests can advance on every now(), so an extra read would change what a test sees).
 */
import type { Speed } from '../protocol/messages';
import type { Clock } from './clock';

export interface SliceOptions {
  /** Training time per slice before yielding (ms). */
  sliceMs: number;
  /** Slice length while predicts are coming in (ms). */
  interactiveSliceMs: number;
  /** How long after a predict the short slices are used (ms). */
  interactiveWindowMs: number;
  /** Cap on batches per slice (tests with a fake clock). */
  maxBatchesPerSlice: number;
}

/**
 * Slices: ~25 ms of batches, then a yield, so queued commands are handled between slices. While the user
 * draws (a predict within `interactiveWindowMs`) slices shrink, so the next predict waits for less of a
 * slice. At a speed of N batches/s, batches are counted from `restart` and each slice trains only the
 * batches that are due.
 */
export class SlicePacing {
  private speed: Speed = 'full';
  /** Rate control for speed = N batches/s: batches done since `rateStart`. */
  private rateStart = 0;
  private rateDone = 0;
  /** When the last predict arrived (short slices for a while after it). */
  private lastPredictAt = -Infinity;

  constructor(
    private readonly opts: SliceOptions,
    private readonly clock: Clock,
  ) {}

  /** 'full' or a positive finite number of batches per second; anything else means 'full'. */
  setSpeed(speed: Speed): void {
    this.speed = speed === 'full' || (speed > 0 && Number.isFinite(speed)) ? speed : 'full';
    this.restart();
  }

  /** Starts counting batches for the rate afresh (training starts, the speed changes). */
  restart(): void {
    this.rateStart = this.clock.now();
    this.rateDone = 0;
  }

  /** A predict arrived now: short slices for a while. */
  interacted(): void {
    this.lastPredictAt = this.clock.now();
  }

  /** Milliseconds until the next training slice is due (0 at full speed). */
  delay(): number {
    if (this.speed === 'full') return 0;
    const nextDue = this.rateStart + ((this.rateDone + 1) * 1000) / this.speed;
    return Math.max(0, nextDue - this.clock.now());
  }

  /** When a slice that starts at `t0` ends. */
  sliceEnd(t0: number): number {
    const interactive = t0 - this.lastPredictAt < this.opts.interactiveWindowMs;
    return t0 + (interactive ? this.opts.interactiveSliceMs : this.opts.sliceMs);
  }

  /** How many batches a slice that starts at `t0` may train, at most. */
  budget(t0: number): number {
    let budget = this.opts.maxBatchesPerSlice;
    if (this.speed !== 'full') {
      const due = Math.floor(((t0 - this.rateStart) * this.speed) / 1000) - this.rateDone;
      budget = Math.min(budget, Math.max(0, due));
    }
    return budget;
  }

  /** One batch was trained. */
  trained(): void {
    this.rateDone++;
  }
}

/** Heavy snapshots per second when nobody asks otherwise. */
export const DEFAULT_SNAPSHOTS_PER_SECOND = 15;

/**
 * Snapshots: built only when something changed (`dirty`), at most `perSecond` per second, and only once
 * the page acknowledged the previous one: at most one in flight, the states in between coalesced (only
 * the newest is ever built).
 */
export class SnapshotPacing {
  /** Something changed since the last snapshot. */
  dirty = false;
  /** Sequence number of the un-acknowledged snapshot, or null. */
  inFlight: number | null = null;
  private seq = 0;
  private lastAt = -Infinity;
  private cancelTimer: (() => void) | null = null;

  constructor(
    private perSecond: number,
    private readonly clock: Clock,
  ) {}

  /** Clamped to 0.1…60 per second; 0 or NaN means the default. */
  setRate(perSecond: number): void {
    this.perSecond = Math.min(60, Math.max(0.1, perSecond || DEFAULT_SNAPSHOTS_PER_SECOND));
  }

  /** When the next snapshot falls due by rate alone (a slice ends there, so it goes out on time). */
  nextDueAt(): number {
    return this.lastAt + 1000 / this.perSecond;
  }

  /** The page has drawn `seq`: true when it was the one in flight (the next may go). */
  ack(seq: number): boolean {
    if (seq !== this.inFlight) return false;
    this.inFlight = null;
    return true;
  }

  /** A new run: nothing in flight (its ack will not matter), nothing to send yet. */
  forget(): void {
    this.inFlight = null;
    this.dirty = false;
  }

  /**
   * Whether a snapshot should be built now: dirty, none in flight, and the rate allows it. When only the
   * rate stands in the way, `retry` is scheduled for when it will (one timer at a time).
   */
  due(retry: () => void): boolean {
    if (!this.dirty || this.inFlight !== null) return false;
    const wait = this.nextDueAt() - this.clock.now();
    if (wait <= 0) return true;
    if (!this.cancelTimer) {
      this.cancelTimer = this.clock.schedule(() => {
        this.cancelTimer = null;
        retry();
      }, wait);
    }
    return false;
  }

  /** The sequence number the next snapshot will carry. */
  get nextSeq(): number {
    return this.seq + 1;
  }

  /** The snapshot numbered `nextSeq` was posted now: it is in flight until acknowledged. */
  sent(): void {
    this.seq++;
    this.inFlight = this.seq;
    this.dirty = false;
    this.lastAt = this.clock.now();
  }
}

/** Samples per second for the status events: samples trained between two statuses over their interval. */
export class Throughput {
  /** When the last status was posted. */
  lastAt = -Infinity;
  private samples = 0;
  private perSecond = 0;

  trained(samples: number): void {
    this.samples += samples;
  }

  /** A status is posted at `now`; while training, the figure is updated. Returns the figure to post. */
  posted(now: number, training: boolean): number {
    if (training) {
      const dt = now - this.lastAt;
      if (dt > 0 && Number.isFinite(dt) && this.samples > 0) this.perSecond = (this.samples * 1000) / dt;
    }
    this.lastAt = now;
    this.samples = 0;
    return Math.round(this.perSecond);
  }

  /** Training stopped: the figure is 0 until it runs again. */
  stopped(): void {
    this.perSecond = 0;
  }

  /** A fresh run counts from nothing. */
  reset(): void {
    this.samples = 0;
    this.perSecond = 0;
  }
}
