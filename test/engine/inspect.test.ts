import { describe, expect, it } from 'vitest';
import { toFloatPixels, evaluate, type PerSample } from '../../src/engine/evaluate.ts';
import { initSpread } from '../../src/engine/initLab.ts';
import { layerHealth } from '../../src/engine/layerHealth.ts';
import { selectSamples } from '../../src/engine/mistakes.ts';
import { Network } from '../../src/engine/network.ts';
import { explainPrediction, logitGradient, traceForward } from '../../src/engine/trace.ts';
import { topActivatingImages } from '../../src/engine/unitImages.ts';
import type { Activation } from '../../src/engine/types.ts';
import { loadMnist, randomSplit, smallConfig } from './helpers.ts';

/** `count` MNIST training images as floats, the first ones (a fixed probe). */
function mnistProbe(count: number): Float32Array {
  const { train } = loadMnist();
  const x = new Float32Array(count * 784);
  toFloatPixels(train.images, 0, count * 784, x);
  return x;
}

describe('traceForward', () => {
  it('gives the same probabilities as the training path (Network.predict)', () => {
    for (const activation of ['relu', 'leaky-relu', 'sigmoid', 'tanh'] as Activation[]) {
      const net = Network.create(smallConfig({ activation, seed: 3 }));
      const x = new Float32Array(16).map((_, i) => ((i * 37) % 11) / 10);
      const want = net.predict(x).probabilities;
      const got = traceForward(net.layers, x).a.at(-1)!;
      for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 5);
    }
  });
});

describe('logitGradient (the saliency map) against centred finite differences of the logit', () => {
  for (const activation of ['tanh', 'sigmoid', 'relu', 'leaky-relu'] as Activation[]) {
    it(activation, () => {
      const net = Network.create(smallConfig({ activation, init: 'xavier', seed: 11 }));
      const x = new Float32Array(16).map((_, i) => 0.1 + ((i * 7) % 13) / 16);
      const trace = traceForward(net.layers, x);
      for (let c = 0; c < 4; c++) {
        const g = logitGradient(net.layers, trace, c).input;
        const h = 1e-2;
        for (let i = 0; i < 16; i++) {
          // float64 copies of the input would not help: the forward is float32 throughout, so h is large
          // enough that rounding (~1e-7 relative) stays far below the tolerance.
          const plus = x.slice();
          plus[i] = plus[i]! + h;
          const minus = x.slice();
          minus[i] = minus[i]! - h;
          const fd =
            (traceForward(net.layers, plus).z.at(-1)![c]! - traceForward(net.layers, minus).z.at(-1)![c]!) /
            (2 * h);
          expect(Math.abs(g[i]! - fd)).toBeLessThan(2e-3 * Math.max(1, Math.abs(fd)));
        }
      }
    });
  }

  it('a flipped sign in the gradient would fail the check (the check can fail)', () => {
    const net = Network.create(smallConfig({ activation: 'tanh', init: 'xavier', seed: 11 }));
    const x = new Float32Array(16).fill(0.5);
    const g = logitGradient(net.layers, traceForward(net.layers, x), 0).input;
    const plus = x.slice();
    plus[3] = 0.51;
    const minus = x.slice();
    minus[3] = 0.49;
    const fd =
      (traceForward(net.layers, plus).z.at(-1)![0]! - traceForward(net.layers, minus).z.at(-1)![0]!) / 0.02;
    expect(Math.abs(fd)).toBeGreaterThan(1e-3);
    expect(Math.abs(-g[3]! - fd)).toBeGreaterThan(1e-3);
  });
});

describe('explainPrediction', () => {
  it('predicts the argmax class and ranks units by |activation × ∂logit/∂activation|', () => {
    const net = Network.create(smallConfig({ seed: 5 }));
    const x = new Float32Array(16).map((_, i) => (i % 3) / 2);
    const e = explainPrediction(net.layers, x, 4);
    const p = net.predict(x).probabilities;
    expect(e.predicted).toBe(p.indexOf(Math.max(...p)));
    expect(e.topUnits).toHaveLength(4);
    const trace = traceForward(net.layers, x);
    const g = logitGradient(net.layers, trace, e.predicted);
    for (const u of e.topUnits) {
      expect(u.contribution).toBeCloseTo(trace.a[u.layer]![u.unit]! * g.hidden[u.layer]![u.unit]!, 6);
    }
    const mags = e.topUnits.map((u) => Math.abs(u.contribution));
    expect([...mags].sort((a, b) => b - a)).toEqual(mags);
  });
});

describe('layerHealth', () => {
  it('mean, std, mean |a|, dead units, histogram by hand (ReLU, 3 examples × 2 units)', () => {
    // unit 0: 0, 0, 0 (dead); unit 1: 1, 2, 3
    const v = new Float32Array([0, 1, 0, 2, 0, 3]);
    const h = layerHealth(v, 3, 2, 'relu', 3);
    expect(h.mean).toBeCloseTo(1, 12);
    expect(h.std).toBeCloseTo(Math.sqrt(14 / 6 - 1), 12);
    expect(h.meanAbs).toBeCloseTo(1, 12);
    expect(h.deadFraction).toBe(0.5);
    expect(h.saturatedFraction).toBe(0);
    expect(h.histogram.lo).toBe(0);
    expect(h.histogram.hi).toBe(3);
    // bins [0,1) [1,2) [2,3]: three zeros; 1; 2 and 3 (the maximum lands in the last bin)
    expect([...h.histogram.counts]).toEqual([3, 1, 2]);
  });

  it('saturation: sigmoid outside [0.01, 0.99], tanh outside [−0.99, 0.99]; no dead units for them', () => {
    const s = layerHealth(new Float32Array([0.005, 0.5, 0.995, 0.2]), 2, 2, 'sigmoid', 4);
    expect(s.saturatedFraction).toBe(0.5);
    expect(s.deadFraction).toBe(0);
    expect([s.histogram.lo, s.histogram.hi]).toEqual([0, 1]);
    const t = layerHealth(new Float32Array([-0.999, 0, 0.5, 0.9999]), 1, 4, 'tanh', 4);
    expect(t.saturatedFraction).toBe(0.5);
  });
});

describe('the init lab on real MNIST (784-256-128-10, ReLU, 64 training images)', () => {
  const config = {
    inputSize: 784,
    hidden: [256, 128],
    outputSize: 10,
    activation: 'relu' as const,
    init: 'he' as const,
    seed: 1,
  };
  const x = mnistProbe(64);

  it('uniform(0, 1) blows up: hidden layer 2 mean |a| ≥ 20× hidden layer 1, logits larger still', () => {
    const u = initSpread(config, 'uniform', x, 64);
    const [l1, l2, out] = u.layers;
    expect(l2!.meanAbs).toBeGreaterThanOrEqual(20 * l1!.meanAbs);
    expect(out!.meanAbs).toBeGreaterThan(l2!.meanAbs);
    // The reference figures: ≈ 50, ≈ 6,400, ≈ 400,000 (within a factor of 2).
    expect(l1!.meanAbs).toBeGreaterThan(25);
    expect(l1!.meanAbs).toBeLessThan(100);
    expect(out!.meanAbs).toBeGreaterThan(2e5);
    expect(l2!.growth).toBeCloseTo(l2!.meanAbs / l1!.meanAbs, 6);
  });

  it('He keeps every layer within 10× of the others', () => {
    const he = initSpread(config, 'he', x, 64);
    const m = he.layers.map((l) => l.meanAbs);
    expect(Math.max(...m) / Math.min(...m)).toBeLessThanOrEqual(10);
  });
});

describe('topActivatingImages', () => {
  it('returns the k largest activations of the unit, largest first, as a full sort would', () => {
    const net = Network.create(smallConfig({ seed: 2 }));
    const split = randomSplit(700, 4, 4, 9);
    for (const [layer, unit] of [
      [0, 3],
      [1, 5],
    ] as const) {
      const top = topActivatingImages(net, split, layer, unit, 9);
      const all: { index: number; activation: number }[] = [];
      for (let i = 0; i < split.count; i++) {
        const x = new Float32Array(16);
        toFloatPixels(split.images, i * 16, 16, x);
        all.push({ index: i, activation: net.predict(x).activations[layer + 1]![unit]! });
      }
      all.sort((a, b) => b.activation - a.activation || a.index - b.index);
      expect(top.map((t) => t.activation)).toEqual(all.slice(0, 9).map((t) => t.activation));
    }
  });

  it('refuses a unit that does not exist', () => {
    const net = Network.create(smallConfig());
    expect(() => topActivatingImages(net, randomSplit(10, 4, 4, 1), 0, 8)).toThrow(RangeError);
    expect(() => topActivatingImages(net, randomSplit(10, 4, 4, 1), 3, 0)).toThrow(RangeError);
  });
});

describe('mistakes', () => {
  it('evaluate() records each sample’s answer; selectSamples picks a cell or the mistakes, most confident first', () => {
    const net = Network.create(smallConfig({ seed: 4 }));
    const split = randomSplit(300, 4, 4, 3);
    const answers: PerSample = { predicted: new Uint16Array(300), confidence: new Float32Array(300) };
    const r = evaluate(net, split, undefined, 64, answers);
    // The recorded answers rebuild the confusion matrix.
    const confusion = new Uint32Array(16);
    for (let i = 0; i < 300; i++) confusion[split.labels[i]! * 4 + answers.predicted[i]!]!++;
    expect([...confusion]).toEqual([...r.confusion]);
    const cell = selectSamples(split.labels, answers, 300, { trueClass: 1, predicted: 2 }, 1000);
    expect(cell.length).toBe(r.confusion[1 * 4 + 2]);
    for (const i of cell) expect([split.labels[i], answers.predicted[i]]).toEqual([1, 2]);
    const wrong = selectSamples(split.labels, answers, 300, {}, 5);
    expect(wrong).toHaveLength(5);
    for (const i of wrong) expect(answers.predicted[i]).not.toBe(split.labels[i]);
    const conf = wrong.map((i) => answers.confidence[i]!);
    expect([...conf].sort((a, b) => b - a)).toEqual(conf);
  });
});
