/**
 * Work the page asked for that takes longer than a message should (the representation map, the loss
 * landscape): cut into pieces that each end by a deadline, run between the training slices. The worker's
 * event loop alternates a training slice (≤ 25 ms), queued messages (predict, pause) and one piece of
 * background work (≤ PIECE_MS), so neither training nor predictions stall; paused, the pieces run back to
 * back. A job of the same kind replaces the older one (a newer question makes the older answer useless).
 */
import type { Clock } from './clock';

/** Time one turn of background work may take before the loop yields (ms). */
export const PIECE_MS = 8;

export interface BackgroundJob {
  /**
   * Does some work, at least one piece, stopping once `deadline` (clock ms) has passed; true when the job is
   * finished (it has posted its answer). A throw ends the job: `fail` gets the error.
   */
  work(deadline: number): boolean;
  /** The job ended by a throw, or was replaced or cancelled before it finished (`error` undefined). */
  fail(error: unknown): void;
}

export class BackgroundWork {
  private readonly jobs = new Map<string, BackgroundJob>();
  private cancelTurn: (() => void) | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly pieceMs = PIECE_MS,
  ) {}

  /** Jobs waiting or running. */
  get size(): number {
    return this.jobs.size;
  }

  has(kind: string): boolean {
    return this.jobs.has(kind);
  }

  /** Starts `job` as the one job of `kind` (an older one of that kind is told it was replaced). */
  add(kind: string, job: BackgroundJob): void {
    const old = this.jobs.get(kind);
    this.jobs.set(kind, job);
    if (old) old.fail(undefined);
    this.schedule();
  }

  /** Ends the job of `kind`, if any, telling it so. */
  cancel(kind: string): void {
    const job = this.jobs.get(kind);
    if (!job) return;
    this.jobs.delete(kind);
    job.fail(undefined);
  }

  /** Ends every job (the network they read is gone). */
  cancelAll(): void {
    for (const kind of [...this.jobs.keys()]) this.cancel(kind);
  }

  private schedule(): void {
    if (this.cancelTurn || this.jobs.size === 0) return;
    this.cancelTurn = this.clock.schedule(() => this.turn(), 0);
  }

  /** One turn: each job in order gets a piece, until the turn's time is spent. */
  private turn(): void {
    this.cancelTurn = null;
    const deadline = this.clock.now() + this.pieceMs;
    for (const [kind, job] of [...this.jobs]) {
      if (this.jobs.get(kind) !== job) continue;
      let done: boolean;
      try {
        done = job.work(deadline);
      } catch (e) {
        this.jobs.delete(kind);
        job.fail(e);
        continue;
      }
      if (done && this.jobs.get(kind) === job) this.jobs.delete(kind);
      if (this.clock.now() >= deadline) break;
    }
    // Jobs at the front of the map get the first piece of the next turn too: rotate so none starves.
    const first = this.jobs.keys().next();
    if (!first.done && this.jobs.size > 1) {
      const job = this.jobs.get(first.value)!;
      this.jobs.delete(first.value);
      this.jobs.set(first.value, job);
    }
    this.schedule();
  }
}
