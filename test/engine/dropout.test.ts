/**
 * Dropout (engine/dropout.ts, Network.forward's `noise`): the keyed masks, and the gradients through them
 * against centred finite differences of the float64 reference with the same masks applied.
 */
import { describe, expect, it } from 'vitest';
import { fillMask, isKept, keepScale, type TrainingNoise } from '../../src/engine/dropout.ts';
import { keyedUint32, keyedFromPrefix, keyPrefix } from '../../src/engine/keyedRandom.ts';
import { Network } from '../../src/engine/network.ts';
import { Rng } from '../../src/engine/rng.ts';
import type { Activation, ModelConfig } from '../../src/engine/types.ts';
import { refLoss, toRefParams, worstError } from './reference.ts';

const key = { seed: 7, epoch: 3, firstPosition: 1000 };

describe('keyed masks', () => {
  it('keyPrefix + keyedFromPrefix are keyedUint32, and every key word matters', () => {
    expect(keyedFromPrefix(keyPrefix(1, 2, 3, 4), 5)).toBe(keyedUint32(1, 2, 3, 4, 5));
    const base = keyedUint32(1, 2, 3, 4, 5);
    for (const other of [
      keyedUint32(2, 2, 3, 4, 5),
      keyedUint32(1, 3, 3, 4, 5),
      keyedUint32(1, 2, 4, 4, 5),
      keyedUint32(1, 2, 3, 5, 5),
      keyedUint32(1, 2, 3, 4, 6),
    ]) {
      expect(other).not.toBe(base);
    }
  });

  it('keeps 1 − p of the units, each scaled by 1/(1 − p), the rest exactly 0', () => {
    const rows = 200;
    const units = 500;
    for (const p of [0.2, 0.5, 0.8]) {
      const mask = new Float32Array(rows * units);
      fillMask(mask, rows, units, p, key, 1);
      const kept = mask.filter((v) => v !== 0);
      expect(kept.every((v) => v === keepScale(p))).toBe(true);
      expect(mask.every((v) => v === 0 || v === keepScale(p))).toBe(true);
      // 100,000 Bernoulli draws: σ of the kept fraction ≤ 0.0016; 5σ.
      expect(Math.abs(kept.length / mask.length - (1 - p))).toBeLessThan(0.008);
    }
  });

  it('depends on the row position, not on how the rows are cut (any chunking gives the same mask)', () => {
    const units = 64;
    const whole = new Float32Array(10 * units);
    fillMask(whole, 10, units, 0.5, key, 2);
    for (let r = 0; r < 10; r++) {
      const one = new Float32Array(units);
      fillMask(one, 1, units, 0.5, { ...key, firstPosition: key.firstPosition + r }, 2);
      expect(one).toEqual(whole.subarray(r * units, (r + 1) * units));
      for (let u = 0; u < units; u++) expect(isKept(key, r, 2, u, 0.5)).toBe(whole[r * units + u] !== 0);
    }
    // Another epoch, layer or seed: another mask.
    for (const other of [
      { ...key, epoch: 4 },
      { ...key, seed: 8 },
    ]) {
      const m = new Float32Array(10 * units);
      fillMask(m, 10, units, 0.5, other, 2);
      expect(m).not.toEqual(whole);
    }
    const layer3 = new Float32Array(10 * units);
    fillMask(layer3, 10, units, 0.5, key, 3);
    expect(layer3).not.toEqual(whole);
  });
});

function setup(activation: Activation, hidden: number[]) {
  const config: ModelConfig = { inputSize: 9, hidden, outputSize: 4, activation, init: 'xavier', seed: 5 };
  const net = Network.create(config, 8);
  const rng = new Rng(11);
  const params = net.getParams();
  for (const b of params.biases) for (let i = 0; i < b.length; i++) b[i] = 0.1 * rng.normal();
  net.setParams(params);
  const batch = 6;
  const x = Float32Array.from({ length: batch * 9 }, () => rng.next());
  const labels = Uint8Array.from({ length: batch }, () => rng.nextInt(4));
  return { net, x, labels, batch };
}

describe('training forward and backward with dropout', () => {
  const cases: [Activation, number[], number, number][] = [
    ['relu', [7, 5], 0.2, 0.5],
    ['sigmoid', [6], 0.3, 0.4],
    ['tanh', [6, 5], 0, 0.5],
    ['leaky-relu', [5], 0.5, 0],
  ];
  it.each(cases)('%s %j: input %f, hidden %f — gradients match finite differences', (act, hidden, pi, ph) => {
    const { net, x, labels, batch } = setup(act, hidden);
    const noise: TrainingNoise = { ...key, inputDropout: pi, dropout: ph };
    net.forward(x, batch, noise);
    const masks = net.lastMasks();
    expect(masks.length).toBe(hidden.length + 1);
    expect(masks[0] !== null).toBe(pi > 0);
    for (let l = 1; l < masks.length; l++) expect(masks[l] !== null).toBe(ph > 0);
    // Something was dropped (the check below then covers the masked paths).
    expect(masks.some((m) => m?.some((v) => v === 0))).toBe(true);
    const loss = net.backward(labels, 0);
    const ref = toRefParams(net.getParams());
    expect(Math.abs(loss - refLoss(ref, x, labels, batch, act, 0, masks))).toBeLessThan(1e-5);
    const H = 1e-6;
    net.layers.forEach((layer, l) => {
      for (const [arr, grad] of [
        [ref.weights[l]!, layer.gradWeights],
        [ref.biases[l]!, layer.gradBiases],
      ] as const) {
        const num = new Float64Array(arr.length);
        for (let i = 0; i < arr.length; i++) {
          const v = arr[i]!;
          arr[i] = v + H;
          const up = refLoss(ref, x, labels, batch, act, 0, masks);
          arr[i] = v - H;
          const down = refLoss(ref, x, labels, batch, act, 0, masks);
          arr[i] = v;
          num[i] = (up - down) / (2 * H);
        }
        expect(worstError(grad, num, 1e-4, 1e-7), `layer ${l}`).toBeLessThanOrEqual(1);
      }
    });
  });

  it('a dropped hidden unit gets no error and its outgoing weights no gradient from that row', () => {
    const { net, x, labels } = setup('relu', [7]);
    net.forward(x, 1, { ...key, inputDropout: 0, dropout: 0.5 });
    const mask = net.lastMasks()[1]!;
    net.backward(labels, 0);
    const out = net.layers[1]!;
    for (let u = 0; u < 7; u++) {
      if (mask[u] !== 0) continue;
      for (let k = 0; k < out.outSize; k++) expect(out.gradWeights[k * 7 + u]).toBe(0);
      // Its incoming weights: no error came back, so no gradient either.
      for (let i = 0; i < 9; i++) expect(net.layers[0]!.gradWeights[u * 9 + i]).toBe(0);
    }
  });

  it('evaluation (no noise) is untouched: the same bits as a network that never dropped', () => {
    const { net, x, batch } = setup('relu', [7, 5]);
    const before = net.forward(x, batch).slice();
    net.forward(x, batch, { ...key, inputDropout: 0.3, dropout: 0.5 });
    expect(net.forward(x, batch)).toEqual(before);
    expect(net.lastMasks().every((m) => m === null)).toBe(true);
  });
});
