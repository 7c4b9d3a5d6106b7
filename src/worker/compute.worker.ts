/**
 * A compute worker: started by the training worker (computeWorkers.ts) when the page is cross-origin
 * isolated, it trains its share of every batch on shared memory (src/training/parallel/computeShares.ts).
 * Thin on purpose: the CLI's worker threads run the same loop. Between steps it blocks in Atomics.wait,
 * which a worker may do; it never answers messages while bound (a new `bind` waits until released).
 */
import { COMPUTE_READY, serveShares, type ComputeBind } from '../training/parallel/computeShares';

const scope = self as unknown as {
  postMessage(message: unknown): void;
  onmessage: ((ev: MessageEvent<ComputeBind>) => void) | null;
};

scope.onmessage = (ev) => serveShares(ev.data);
scope.postMessage(COMPUTE_READY);
