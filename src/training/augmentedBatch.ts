/**
 * "What the network trains on": the first rows of the batch the next step trains on, as gathered and as
 * that step will distort them. The augmentation is keyed by each row's place in the epoch (engine/augment.ts),
 * so distorting a copy here with a fresh Augmenter gives the very bits the step's threads will compute —
 * nothing is drawn twice and the run is not touched (no position moves, no weights change).
 */
import { Augmenter } from '../engine/augment.ts';
import type { AugmentedBatch, WorkerEvent } from '../protocol/messages.ts';
import { imageSide } from './parallel/computePool.ts';
import type { TrainingSession } from './session.ts';

/** Rows one answer carries at most (the view asks for 12): a whole small batch, little to send. */
export const MAX_AUGMENTED_SHOWN = 64;

/** The next batch's first `count` rows (at most MAX_AUGMENTED_SHOWN and the batch), before and after. */
export function augmentedBatch(session: TrainingSession, count: number): AugmentedBatch {
  const c = session.config;
  const asked = Number.isFinite(count) ? Math.floor(count) : 0;
  const want = Math.max(0, Math.min(asked, MAX_AUGMENTED_SHOWN));
  // Only the rows shown are gathered: a batch may be the whole training set.
  const x = new Float32Array(want * c.inputSize);
  const y = new Uint8Array(want);
  const shown = session.gatherNextRows(x, y, 0, want);
  const originals = x.slice(0, shown * c.inputSize);
  const augmented = originals.slice();
  const side = imageSide(c.inputSize);
  const place = session.batchPlace();
  new Augmenter(c.augment, side.cols, side.rows).apply(augmented, shown, { seed: c.seed, ...place });
  return {
    kind: c.augment,
    epoch: place.epoch,
    firstPosition: place.firstPosition,
    step: session.step,
    rows: side.rows,
    cols: side.cols,
    labels: y.slice(0, shown),
    originals,
    augmented,
  };
}

/** The worker's answer to `augmented-batch` (an `error` when there is no network yet). */
export function augmentedBatchReply(
  cmd: { id: number; count: number },
  session: TrainingSession | null,
  generation: number,
): { event: WorkerEvent; transfer?: ArrayBuffer[] } {
  if (!session) {
    return {
      event: {
        type: 'error',
        id: cmd.id,
        error: { kind: 'no-model', message: 'The network is not ready yet.' },
      },
    };
  }
  const answer = augmentedBatch(session, cmd.count);
  return {
    event: { type: 'augmented-batch-result', id: cmd.id, generation, ...answer },
    transfer: [answer.originals.buffer as ArrayBuffer, answer.augmented.buffer as ArrayBuffer],
  };
}
