/**
 * My digits in a training session: the teach half mixed into every epoch's one seeded shuffle, each digit K
 * times; the test half never in a batch, only evaluated; K = 0 (or no digits) is the run as it always was.
 */
import { describe, expect, it } from 'vitest';
import type { Split } from '../../src/data/dataset';
import { TrainingSession, takeOver } from '../../src/training/session';
import { mnistSlice, smallConfig } from './harness';

const data = mnistSlice(300, 50);

/** `count` digits drawn as a 28×28 block at column `col` (unlike any MNIST image), label = i % 10. */
function digits(count: number, col: number): Split {
  const images = new Uint8Array(count * 784);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    for (let r = 4; r < 24; r++) images[i * 784 + r * 28 + col + (i % 5)] = 255;
    images[i * 784 + 27 * 28 + i] = 200; // tells digits of one column apart
    labels[i] = i % 10;
  }
  return { images, labels, count, rows: 28, cols: 28 };
}
const teach = digits(6, 3);
const test = digits(4, 20);

/** The inked pixels of an image, as a key ("3,31,59,…"): equal for a digit and its float copy in a batch. */
const inkKey = (px: ArrayLike<number>) =>
  Array.from(px, (v, k) => (v > 0 ? k : -1))
    .filter((k) => k >= 0)
    .join();
const teachKeys = Array.from({ length: teach.count }, (_, d) =>
  inkKey(teach.images.subarray(d * 784, (d + 1) * 784)),
);
const testKeys = new Set(
  Array.from({ length: test.count }, (_, d) => inkKey(test.images.subarray(d * 784, (d + 1) * 784))),
);

/** Every batch of one epoch: how often each teach digit was seen, and how often a test-half image was. */
function epochSeen(session: TrainingSession) {
  const x = new Float32Array(session.config.batchSize * 784);
  const y = new Uint8Array(session.config.batchSize);
  const seen = new Array<number>(teach.count).fill(0);
  let testSeen = 0;
  let samples = 0;
  for (let b = 0; b < session.batchesPerEpoch; b++) {
    const n = session.gatherNextRows(x, y, 0, session.config.batchSize);
    samples += n;
    for (let i = 0; i < n; i++) {
      const key = inkKey(x.subarray(i * 784, (i + 1) * 784));
      const d = teachKeys.indexOf(key);
      if (d >= 0) {
        seen[d]!++;
        expect(y[i]).toBe(teach.labels[d]);
      }
      if (testKeys.has(key)) testSeen++;
    }
    session.trainBatch();
  }
  return { seen, testSeen, samples };
}

describe('my digits in a session', () => {
  it('K = 0, or no digits: the bits of a run without them', () => {
    const plain = new TrainingSession(smallConfig(), data);
    const off = new TrainingSession(smallConfig({ mine: 0 }), data, { myDigits: { teach, test } });
    const none = new TrainingSession(smallConfig({ mine: 5 }), data, {
      myDigits: { teach: digits(0, 3), test },
    });
    expect(none.mineIgnored).toBe(true);
    expect(off.mineIgnored).toBe(false);
    for (let i = 0; i < 12; i++) {
      const a = plain.trainBatch();
      expect(off.trainBatch()).toEqual(a);
      expect(none.trainBatch()).toEqual(a);
    }
    expect(off.network.getParams()).toEqual(plain.network.getParams());
  });

  it('K = 3: each teach digit three times per epoch, in the one shuffle; the test half never', () => {
    const s = new TrainingSession(smallConfig({ mine: 3 }), data, { myDigits: { teach, test } });
    expect(s.mineSamples).toBe(18);
    expect(s.epochSamples).toBe(318);
    expect(s.batchesPerEpoch).toBe(Math.ceil(318 / 32));
    const first = epochSeen(s);
    expect(first.samples).toBe(318);
    expect(first.seen).toEqual([3, 3, 3, 3, 3, 3]);
    expect(first.testSeen).toBe(0);
    expect(s.epoch).toBe(1);
    // Another epoch, another order, the same counts.
    expect(epochSeen(s).seen).toEqual([3, 3, 3, 3, 3, 3]);
  });

  it('evaluates the test half on its own', () => {
    const s = new TrainingSession(smallConfig({ mine: 1 }), data, { myDigits: { teach, test } });
    expect(s.hasMyDigitsTest).toBe(true);
    const r = s.evaluate('mine');
    expect(r.count).toBe(4);
    expect(() => new TrainingSession(smallConfig(), data).evaluate('mine')).toThrow(/no test half/);
  });

  it('a run takes over with more digits mid-epoch, from its weights (fine-tuning, no reset)', () => {
    const old = new TrainingSession(smallConfig(), data);
    for (let i = 0; i < 9; i++) old.trainBatch();
    const next = new TrainingSession(smallConfig({ mine: 20 }), data, { myDigits: { teach, test } });
    takeOver(old, next);
    expect(next.step).toBe(9);
    expect(next.network.getParams()).toEqual(old.network.getParams());
    expect(next.trainBatch().step).toBe(10);
  });
});
