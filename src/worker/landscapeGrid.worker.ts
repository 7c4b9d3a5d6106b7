/**
 * A loss-landscape grid thread: the page starts one per core while a landscape is computed
 * (app/landscapeThreads.ts), gives it a band of the grid, and terminates it once answered or cancelled.
 * Thin on purpose: the work is engine/landscapeBand.ts.
 */
import { computeBand, type GridBandMessage, type GridBandTask } from '../engine/landscapeBand';

const scope = self as unknown as {
  postMessage(message: GridBandMessage, transfer?: ArrayBuffer[]): void;
  onmessage: ((ev: MessageEvent<GridBandTask>) => void) | null;
};

scope.onmessage = (ev) =>
  computeBand(
    ev.data,
    (m, t) => scope.postMessage(m, t ?? []),
    () => performance.now(),
  );
// Said at once: a thread whose script never runs (seen in Firefox ESR: one load in a few stalled ~53 s,
// then failed without a message) is noticed by the page in seconds, not a minute.
scope.postMessage({ type: 'started' });
