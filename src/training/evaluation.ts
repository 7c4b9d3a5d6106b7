/**
 * The end-of-epoch test evaluation, cut into chunks so the trainer can run it inside its time slices
 * (10k images take a few hundred ms: in one go, predicts and pauses would wait that long).
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
}

/** A job over the first `limit` test images; the train figures are the finished epoch's averages. */
export function newEvalJob(
  epoch: number,
  step: number,
  trainLoss: number,
  trainAccuracy: number,
  limit: number,
  classes: number,
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
  };
}

/**
 * Evaluates chunks of `chunkSize` test images until `deadline` (at least one chunk).
 * Returns true once the job has covered all its images.
 */
export function runEvalChunks(
  job: EvalJob,
  net: Network,
  test: Split,
  chunkSize: number,
  clock: Clock,
  deadline: number,
): boolean {
  const px = test.rows * test.cols;
  do {
    const n = Math.min(chunkSize, job.limit - job.next);
    if (n <= 0) break;
    // A zero-copy view of the chunk as a split: evaluate() works on prefixes.
    const chunk: Split = {
      images: test.images.subarray(job.next * px, (job.next + n) * px),
      labels: test.labels.subarray(job.next, job.next + n),
      count: n,
      rows: test.rows,
      cols: test.cols,
    };
    const a = job.answers;
    const k = Math.round(Math.sqrt(job.confusion.length)); // classes
    const r = evaluate(net, chunk, n, undefined, {
      predicted: a.predicted.subarray(job.next),
      confidence: a.confidence.subarray(job.next),
      probabilities: a.probabilities?.subarray(job.next * k),
    });
    job.lossSum += r.loss * r.count;
    job.correct += Math.round(r.accuracy * r.count);
    for (let i = 0; i < job.confusion.length; i++) job.confusion[i]! += r.confusion[i]!;
    job.next += n;
  } while (job.next < job.limit && clock.now() < deadline);
  return job.next >= job.limit;
}

/** The finished job's `epoch-end` event; its confusion matrix is transferred. */
export function epochEndEvent(
  job: EvalJob,
  generation: number,
): { event: EpochEndEvent; transfer: ArrayBuffer[] } {
  const count = job.limit;
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
      confusion: job.confusion,
    },
    transfer: [job.confusion.buffer as ArrayBuffer],
  };
}
