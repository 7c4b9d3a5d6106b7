/**
 * My digits through the trainer's commands: set-my-digits gives the running session the halves (weights
 * and step kept), every epoch-end carries the test half's accuracy, evaluate-my-digits answers per digit.
 */
import { describe, expect, it } from 'vitest';
import type { MyDigitsPart } from '../../src/protocol/messages';
import { Trainer } from '../../src/training/trainer';
import { EventLog, FakeClock, mnistSlice, smallConfig } from './harness';

const data = mnistSlice(600, 100);

/** Test images `from`…`from + count` of the slice as "my" digits (real handwriting, known labels). */
function part(from: number, count: number): MyDigitsPart {
  return {
    images: data.test.images.slice(from * 784, (from + count) * 784),
    labels: data.test.labels.slice(from, from + count),
    count,
  };
}

function setup(mine: number) {
  const clock = new FakeClock();
  const log = new EventLog();
  const trainer = new Trainer({ post: log.post, clock, maxBatchesPerSlice: 4, evalLimit: 100 });
  trainer.setDataset(data);
  trainer.handle({ type: 'configure', generation: 1, config: smallConfig({ mine, epochs: 2 }) });
  return { clock, log, trainer };
}

describe('my digits in the trainer', () => {
  it('epoch-end carries the accuracy on the test half; K > 0 makes the epoch longer', () => {
    const { clock, log, trainer } = setup(5);
    trainer.handle({ type: 'set-my-digits', teach: part(0, 10), test: part(10, 20) });
    trainer.handle({ type: 'start' });
    clock.runUntil(() => log.of('epoch-end').length >= 2);
    const ends = log.of('epoch-end');
    for (const e of ends) {
      expect(e.myDigitsCount).toBe(20);
      expect(e.myDigitsCorrect).toBe(Math.round(e.myDigitsAccuracy! * 20));
    }
    // 600 images + 10 digits × 5 = 650 samples a epoch: 21 batches of 32.
    expect(ends[0]!.step).toBe(21);
  });

  it('set-my-digits while training continues the run (no reset), and evaluate-my-digits answers per digit', () => {
    const { clock, log, trainer } = setup(20);
    trainer.handle({ type: 'start' });
    clock.runUntil(() => trainer.step >= 8);
    const before = trainer.step;
    trainer.handle({ type: 'set-my-digits', teach: part(0, 10), test: part(10, 10) });
    clock.runUntil(() => trainer.step >= before + 4);
    expect(log.points().map((p) => p.step)).toEqual(
      Array.from({ length: log.points().length }, (_, i) => i + 1),
    );
    trainer.handle({ type: 'pause' });
    trainer.handle({ type: 'evaluate-my-digits', id: 7, digits: part(20, 6) });
    const answer = log.of('my-digits-evaluation').at(-1)!;
    expect(answer.id).toBe(7);
    expect(answer.predicted).toHaveLength(6);
    expect(answer.probabilityOfLabel).toHaveLength(6);
    let right = 0;
    answer.predicted.forEach((p, i) => {
      if (p === data.test.labels[20 + i]) right++;
      expect(answer.probabilityOfLabel[i]).toBeGreaterThanOrEqual(0);
      expect(answer.probabilityOfLabel[i]).toBeLessThanOrEqual(answer.confidence[i]! + 1e-7);
    });
    expect(answer.correct).toBe(right);
  });

  it('refuses digits whose sizes disagree, with the reason', () => {
    const { log, trainer } = setup(0);
    trainer.handle({
      type: 'evaluate-my-digits',
      id: 3,
      digits: { images: new Uint8Array(10), labels: new Uint8Array(1), count: 1 },
    });
    expect(log.of('error').at(-1)?.error.message).toMatch(/1 digits need 1 labels and 1×784 pixels/);
    trainer.handle({
      type: 'set-my-digits',
      teach: part(0, 2),
      test: { ...part(2, 1), labels: new Uint8Array([12]) },
    });
    expect(log.of('error').at(-1)?.error.message).toMatch(/label 12 is not one of 10 classes/);
  });
});
