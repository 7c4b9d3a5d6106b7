/**
 * The end-of-epoch evaluation — the held-out validation images first (when the config holds some out), then
 * the test split — cut into chunks so the trainer can run it inside its time slices (10k images take a few
 * hundred ms: in one go, predicts and pauses would wait that long).
 */
import type { Split } from '../data/dataset';
import { evaluate, type PerSample } from '../engine/evaluate';
import { newPerSample } from './inspection';
import type { Network } from '../engine/network';
import type { Clock } from './clock';
import type { WorkerEvent } from '../protocol/messages';

export type EpochEndEvent = Extract<WorkerEvent, { type: 'epoch-end' }>;

/** The current epoch's running train loss and accuracy (epoch-end reports their means). */
export class EpochTally {
  private lossSum = 0;
  private correct = 0;
  private samples = 0;

  /** One batch: its mean loss, how many it got right, its size. */
  add(loss: number, correct: number, batchSize: number): void {
    this.lossSum += loss * batchSize;
    this.correct += correct;
    this.samples += batchSize;
  }

  /** The epoch's mean loss and accuracy (0 before any batch); the tally starts over. */
  take(): { loss: number; accuracy: number } {
    const n = this.samples;
    const means = { loss: n > 0 ? this.lossSum / n : 0, accuracy: n > 0 ? this.correct / n : 0 };
    this.reset();
    return means;
  }

  reset(): void {
    this.lossSum = 0;
    this.correct = 0;
    this.samples = 0;
  }
}

/** The validation part of an epoch-end evaluation: running sums over the first `next` images. */
export interface ValidationTally {
  next: number;
  limit: number;
  lossSum: number;
  correct: number;
}

/** A test-set evaluation in progress, chunk by chunk, at the end of an epoch. */
export interface EvalJob {
  /** The epoch just finished, from 1. */
  epoch: number;
  step: number;
  trainLoss: number;
  trainAccuracy: number;
  next: number;
  limit: number;
  lossSum: number;
  correct: number;
  confusion: Uint32Array;
  /** Every test image's answer (the mistakes gallery), filled chunk by chunk. */
  answers: PerSample;
  /** The validation images' part, evaluated before the test images (null: none held out). */
  validation: ValidationTally | null;
}

/**
 * A job over the first `limit` test images (and `validationCount` validation images first); the train
 * figures are the finished epoch's averages.
 */
export function newEvalJob(
  epoch: number,
  step: number,
  trainLoss: number,
  trainAccuracy: number,
  limit: number,
  classes: number,
  validationCount = 0,
): EvalJob {
  return {
    epoch,
    step,
    trainLoss,
    trainAccuracy,
    next: 0,
    limit,
    lossSum: 0,
    correct: 0,
    confusion: new Uint32Array(classes * classes),
    answers: newPerSample(limit, classes),
    validation: validationCount > 0 ? { next: 0, limit: validationCount, lossSum: 0, correct: 0 } : null,
  };
}

/** A zero-copy view of images [from, from + n) of a split, as a split: evaluate() works on prefixes. */
function chunkOf(split: Split, from: number, n: number): Split {
  const px = split.rows * split.cols;
  return {
    images: split.images.subarray(from * px, (from + n) * px),
    labels: split.labels.subarray(from, from + n),
    count: n,
    rows: split.rows,
    cols: split.cols,
  };
}

/**
 * Evaluates chunks of `chunkSize` images — the validation images (from `validation`) first, then the test
 * images — until `deadline` (at least one chunk). Returns true once the job has covered all its images.
 */
export function runEvalChunks(
  job: EvalJob,
  net: Network,
  test: Split,
  chunkSize: number,
  clock: Clock,
  deadline: number,
  validation?: Split | null,
): boolean {
  const done = () =>
    job.next >= job.limit && (!job.validation || job.validation.next >= job.validation.limit);
  do {
    const v = job.validation;
    if (v && v.next < v.limit) {
      // No images to go with the tally (not expected): nothing to report rather than a job that never ends.
      if (!validation) {
        v.limit = v.next;
        continue;
      }
      const n = Math.min(chunkSize, v.limit - v.next);
      const r = evaluate(net, chunkOf(validation, v.next, n), n);
      v.lossSum += r.loss * r.count;
      v.correct += Math.round(r.accuracy * r.count);
      v.next += n;
      continue;
    }
    const n = Math.min(chunkSize, job.limit - job.next);
    if (n <= 0) break;
    const a = job.answers;
    const k = Math.round(Math.sqrt(job.confusion.length)); // classes
    const r = evaluate(net, chunkOf(test, job.next, n), n, undefined, {
      predicted: a.predicted.subarray(job.next),
      confidence: a.confidence.subarray(job.next),
      probabilities: a.probabilities?.subarray(job.next * k),
    });
    job.lossSum += r.loss * r.count;
    job.correct += Math.round(r.accuracy * r.count);
    for (let i = 0; i < job.confusion.length; i++) job.confusion[i]! += r.confusion[i]!;
    job.next += n;
  } while (!done() && clock.now() < deadline);
  return done();
}

/** The finished job's `epoch-end` event; its confusion matrix is transferred. */
export function epochEndEvent(
  job: EvalJob,
  generation: number,
): { event: EpochEndEvent; transfer: ArrayBuffer[] } {
  const count = job.limit;
  const v = job.validation;
  return {
    event: {
      type: 'epoch-end',
      generation,
      epoch: job.epoch,
      step: job.step,
      trainLoss: job.trainLoss,
      trainAccuracy: job.trainAccuracy,
      testLoss: count > 0 ? job.lossSum / count : 0,
      testAccuracy: count > 0 ? job.correct / count : 0,
      ...(v && v.limit > 0
        ? { validationLoss: v.lossSum / v.limit, validationAccuracy: v.correct / v.limit }
        : {}),
      confusion: job.confusion,
    },
    transfer: [job.confusion.buffer as ArrayBuffer],
  };
}
