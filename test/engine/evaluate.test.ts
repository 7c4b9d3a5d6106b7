import { describe, expect, it } from 'vitest';
import { evaluate, toFloatPixels } from '../../src/engine/evaluate.ts';
import { Network } from '../../src/engine/network.ts';
import { randomSplit } from './helpers.ts';
import { refForward, refLoss, toRefParams } from './reference.ts';

describe('evaluate', () => {
  it('toFloatPixels maps bytes to byte/255 from an offset, writing only count values', () => {
    const out = new Float32Array(4).fill(-1);
    toFloatPixels(Uint8Array.from([9, 0, 255, 51, 7]), 1, 3, out);
    expect([...out]).toEqual([0, 1, Math.fround(51 / 255), -1]);
    toFloatPixels(Uint8Array.from([255, 0]), 0, 2, out, 2);
    expect([...out]).toEqual([0, 1, 1, 0]);
  });

  it('loss, accuracy and confusion agree with a float64 reference, across batch boundaries', () => {
    const split = randomSplit(37, 4, 3, 5);
    const net = Network.create({
      inputSize: 16,
      hidden: [5],
      outputSize: 3,
      activation: 'tanh',
      init: 'xavier',
      seed: 4,
    });
    const r = evaluate(net, split, undefined, 8); // 4 full batches + 5
    const x = Float64Array.from(split.images, (v) => v / 255);
    const ref = toRefParams(net.getParams());
    const probs = refForward(ref, x, 37, 'tanh').at(-1)!;
    const confusion = new Uint32Array(9);
    let correct = 0;
    for (let i = 0; i < 37; i++) {
      const row = [...probs.subarray(i * 3, i * 3 + 3)];
      const k = row.indexOf(Math.max(...row));
      confusion[split.labels[i]! * 3 + k]!++;
      if (k === split.labels[i]) correct++;
    }
    expect(r.count).toBe(37);
    expect(r.accuracy).toBeCloseTo(correct / 37, 12);
    expect(r.confusion).toEqual(confusion);
    expect(r.loss).toBeCloseTo(refLoss(ref, x, split.labels, 37, 'tanh', 0), 5);
    // Row sums are the true-label counts.
    for (let y = 0; y < 3; y++) {
      const rowSum = r.confusion[y * 3]! + r.confusion[y * 3 + 1]! + r.confusion[y * 3 + 2]!;
      expect(rowSum).toBe(split.labels.filter((l) => l === y).length);
    }
  });

  it('limit uses a prefix; shape mismatches are rejected', () => {
    const split = randomSplit(20, 4, 3, 6);
    const net = Network.create({
      inputSize: 16,
      hidden: [],
      outputSize: 3,
      activation: 'relu',
      init: 'he',
      seed: 1,
    });
    expect(evaluate(net, split, 7).count).toBe(7);
    expect(evaluate(net, split, 1000).count).toBe(20);
    const other = Network.create({
      inputSize: 15,
      hidden: [],
      outputSize: 3,
      activation: 'relu',
      init: 'he',
      seed: 1,
    });
    expect(() => evaluate(other, split)).toThrow(/expects 15/);
  });
});
