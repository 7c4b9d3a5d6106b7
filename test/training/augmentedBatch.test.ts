/**
 * "What the network trains on" shows the very images the next step trains on: its augmented rows are
 * bit for bit those the step's threads distort in the shared batch buffer (2 threads here, each
 * distorting its own chunk of the rows shown), its originals are the dataset's, and asking moves nothing.
 */
import { describe, expect, it } from 'vitest';
import { toFloatPixels } from '../../src/engine/evaluate';
import type { TrainConfig } from '../../src/engine/types';
import { augmentedBatch, augmentedBatchReply, MAX_AUGMENTED_SHOWN } from '../../src/training/augmentedBatch';
import { TrainingSession } from '../../src/training/session';
import { mnistSlice, smallConfig } from './harness';
import { threadPoolsForFile } from './parallel/threadPools';

const data = mnistSlice(600, 50);
const pools = threadPoolsForFile([2]);
const elastic: TrainConfig = smallConfig({ batchSize: 64, augment: 'elastic' });

// Batches of 64: two chunks of 32 rows (engine/stepPlan.ts), one per thread, so the 64 rows shown were
// distorted by two threads.
/** The batch buffer the step's threads trained on (shared with them; augmented in place). */
const trainedRows = (s: TrainingSession) => (s as unknown as { x: Float32Array }).x;

describe('augmentedBatch', () => {
  it('the augmented rows are the bits the next step trains on, with 2 threads, and asking moves nothing', () => {
    const s = new TrainingSession(elastic, data, { pool: pools.get(2) });
    expect(s.workers).toBe(2);
    for (let i = 0; i < 3; i++) s.trainBatch();
    const shown = augmentedBatch(s, MAX_AUGMENTED_SHOWN);
    expect(shown.step).toBe(3);
    expect(shown.firstPosition).toBe(3 * 64);
    expect(shown.labels.length).toBe(MAX_AUGMENTED_SHOWN);
    const px = elastic.inputSize;
    // The originals: the dataset's images, in the epoch's shuffled order from this batch's first row.
    const order = s.epochOrder(0);
    const expected = new Float32Array(px);
    for (let i = 0; i < shown.labels.length; i++) {
      const index = order[shown.firstPosition + i]!;
      toFloatPixels(data.train.images, index * px, px, expected);
      expect(Array.from(shown.originals.subarray(i * px, (i + 1) * px))).toEqual(Array.from(expected));
      expect(shown.labels[i]).toBe(data.train.labels[index]);
    }
    // A twin that is never asked trains the same step: the question changed nothing.
    const twin = new TrainingSession(elastic, data);
    for (let i = 0; i < 3; i++) twin.trainBatch();
    const asked = s.trainBatch();
    expect(asked.loss).toBe(twin.trainBatch().loss);
    // And that step trained on exactly the images shown.
    const trained = trainedRows(s).subarray(0, shown.augmented.length);
    expect(Array.from(trained)).toEqual(Array.from(shown.augmented));
    // Elastic moves every digit (no pair left as it was).
    for (let i = 0; i < shown.labels.length; i++) {
      const a = shown.augmented.subarray(i * px, (i + 1) * px);
      const o = shown.originals.subarray(i * px, (i + 1) * px);
      expect(a.some((v, p) => v !== o[p])).toBe(true);
    }
  });

  it('without augmentation the two sides are the same; at most the batch and the cap are shown', () => {
    const s = new TrainingSession(smallConfig({ batchSize: 8 }), data);
    const shown = augmentedBatch(s, 100);
    expect(shown.kind).toBe('none');
    expect(shown.labels.length).toBe(8);
    expect(Array.from(shown.augmented)).toEqual(Array.from(shown.originals));
    expect(augmentedBatch(s, 0).labels.length).toBe(0);
    expect(augmentedBatch(s, Number.NaN).labels.length).toBe(0);
  });

  it('the reply transfers both buffers, and says why there is none before a network exists', () => {
    const s = new TrainingSession(elastic, data);
    const r = augmentedBatchReply({ id: 7, count: 4 }, s, 3);
    expect(r.event).toMatchObject({ type: 'augmented-batch-result', id: 7, generation: 3, kind: 'elastic' });
    expect(r.transfer).toHaveLength(2);
    const none = augmentedBatchReply({ id: 8, count: 4 }, null, 3);
    expect(none.event).toMatchObject({ type: 'error', id: 8, error: { kind: 'no-model' } });
  });
});
