/**
 * Every batch's loss, accuracy and epoch, buffered between `metrics` events. The trainer decides when to
 * flush (a time interval, status changes, epoch ends, divergence); this only keeps the points. Nothing is
 * ever dropped except by `clear`, when the run they belong to is gone. Typed arrays, so an event's
 * buffers are transferred to the page instead of copied.
 */
import type { WorkerEvent } from '../protocol/messages';

export type MetricsEvent = Extract<WorkerEvent, { type: 'metrics' }>;

export class MetricBuffer {
  // Grows by doubling, reused between flushes.
  private loss = new Float32Array(256);
  private accuracy = new Float32Array(256);
  private epoch = new Uint16Array(256);
  private count = 0;
  private firstStep = 0;

  /** Points in one event are consecutive steps: false when `step` would leave a gap (a skipped batch). */
  continues(step: number): boolean {
    return this.count === 0 || step === this.firstStep + this.count;
  }

  /** Adds one batch's point; the caller flushes first when `continues(step)` is false. */
  push(step: number, loss: number, accuracy: number, epoch: number): void {
    if (this.count === 0) this.firstStep = step;
    if (this.count === this.loss.length) {
      const grow = <T extends Float32Array | Uint16Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.loss = grow(this.loss, (n) => new Float32Array(n));
      this.accuracy = grow(this.accuracy, (n) => new Float32Array(n));
      this.epoch = grow(this.epoch, (n) => new Uint16Array(n));
    }
    this.loss[this.count] = loss;
    this.accuracy[this.count] = accuracy;
    this.epoch[this.count] = Math.min(epoch, 0xffff);
    this.count++;
  }

  /** Empties the buffer into a `metrics` event with its transfer list, or null when it holds nothing. */
  take(generation: number): { event: MetricsEvent; transfer: ArrayBuffer[] } | null {
    if (this.count === 0) return null;
    const n = this.count;
    const loss = this.loss.slice(0, n);
    const accuracy = this.accuracy.slice(0, n);
    const epoch = this.epoch.slice(0, n);
    this.count = 0;
    return {
      event: { type: 'metrics', generation, firstStep: this.firstStep, loss, accuracy, epoch },
      transfer: [loss.buffer, accuracy.buffer, epoch.buffer],
    };
  }

  /** Forgets the buffered points (their run is gone: a new generation or a reset). */
  clear(): void {
    this.count = 0;
  }
}
