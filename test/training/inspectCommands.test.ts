import { describe, expect, it } from 'vitest';
import { evaluate, type PerSample } from '../../src/engine/evaluate';
import { mistakesAnswer, unitImagesAnswer } from '../../src/training/inspectCommands';
import { TrainingSession } from '../../src/training/session';
import { randomSplit, smallConfig } from '../engine/helpers';

function session() {
  const train = randomSplit(256, 4, 4, 1);
  const test = randomSplit(300, 4, 4, 2);
  const s = new TrainingSession(smallConfig(), { train, test });
  for (let i = 0; i < 5; i++) s.trainBatch();
  return { s, test };
}

describe('inspect commands', () => {
  it('a confusion cell’s images carry their bytes and the probabilities recorded at that evaluation', () => {
    const { s, test } = session();
    const answers: PerSample = {
      predicted: new Uint16Array(300),
      confidence: new Float32Array(300),
      probabilities: new Float32Array(300 * 4),
    };
    const r = evaluate(s.network, test, undefined, 64, answers);
    // Train on: the network changes, the gallery must still show what the matrix counted.
    for (let i = 0; i < 5; i++) s.trainBatch();
    let cell = { trueClass: 0, predicted: 1 };
    for (let t = 0; t < 4; t++)
      for (let p = 0; p < 4; p++)
        if (t !== p && r.confusion[t * 4 + p]! > r.confusion[cell.trueClass * 4 + cell.predicted]!)
          cell = { trueClass: t, predicted: p };
    const a = mistakesAnswer(s, test, answers, 300, cell, 100);
    expect(a.items.length).toBe(Math.min(24, r.confusion[cell.trueClass * 4 + cell.predicted]!));
    a.items.forEach((item, k) => {
      expect(item.label).toBe(cell.trueClass);
      expect(item.predicted).toBe(cell.predicted);
      expect([...item.probabilities]).toEqual([
        ...answers.probabilities!.subarray(item.index * 4, item.index * 4 + 4),
      ]);
      expect([...a.pixels.subarray(k * 16, k * 16 + 16)]).toEqual([
        ...test.images.subarray(item.index * 16, item.index * 16 + 16),
      ]);
    });
  });

  it('a unit’s top images come largest first, with their activations', () => {
    const { s, test } = session();
    const a = unitImagesAnswer(s, test, 0, 2, 9);
    expect(a.items).toHaveLength(9);
    const acts = a.items.map((i) => i.activation!);
    expect([...acts].sort((x, y) => y - x)).toEqual(acts);
    expect(a.pixels.length).toBe(9 * 16);
    expect(() => unitImagesAnswer(s, test, 0, 99)).toThrow(RangeError);
  });
});
