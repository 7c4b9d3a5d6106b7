import { describe, expect, it } from 'vitest';
import { layerSizes, Network, validateModelConfig } from '../../src/engine/network.ts';
import { LIMITS, type ModelConfig } from '../../src/engine/types.ts';

const CONFIG: ModelConfig = {
  inputSize: 784,
  hidden: [128, 64],
  outputSize: 10,
  activation: 'relu',
  init: 'he',
  seed: 1,
};

function moments(a: Float32Array): { mean: number; std: number; min: number; max: number } {
  let s = 0;
  let ss = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of a) {
    s += v;
    ss += v * v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = s / a.length;
  return { mean, std: Math.sqrt(ss / a.length - mean * mean), min, max };
}

describe('Network', () => {
  it('builds layers [out, in] with the right activations', () => {
    const net = Network.create(CONFIG);
    expect(layerSizes(CONFIG)).toEqual([784, 128, 64, 10]);
    expect(net.layers.map((l) => [l.inSize, l.outSize, l.activation])).toEqual([
      [784, 128, 'relu'],
      [128, 64, 'relu'],
      [64, 10, 'softmax'],
    ]);
    for (const l of net.layers) {
      expect(l.weights.length).toBe(l.inSize * l.outSize);
      expect(l.gradWeights.length).toBe(l.weights.length);
      expect(l.biases.length).toBe(l.outSize);
      expect(l.gradBiases.length).toBe(l.outSize);
      expect(l.biases.every((b) => b === 0)).toBe(true);
    }
    expect(net.parameterCount()).toBe(784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10);
  });

  it('initialises: he N(0, 2/fan_in), xavier U(±sqrt(6/(in+out))), uniform U(0,1)', () => {
    const he = moments(Network.create(CONFIG).layers[0]!.weights);
    expect(Math.abs(he.mean)).toBeLessThan(0.002);
    expect(he.std / Math.sqrt(2 / 784)).toBeCloseTo(1, 1);

    const xav = Network.create({ ...CONFIG, init: 'xavier' }).layers[0]!.weights;
    const limit = Math.sqrt(6 / (784 + 128));
    const mx = moments(xav);
    expect(mx.min).toBeGreaterThanOrEqual(-limit);
    expect(mx.max).toBeLessThanOrEqual(limit);
    expect(mx.std / (limit / Math.sqrt(3))).toBeCloseTo(1, 1);

    const uni = moments(Network.create({ ...CONFIG, init: 'uniform' }).layers[1]!.weights);
    expect(uni.min).toBeGreaterThanOrEqual(0);
    expect(uni.max).toBeLessThan(1);
    expect(uni.mean).toBeCloseTo(0.5, 1);
  });

  it('same seed → identical weights; another seed → different; reinitialise() ≡ create', () => {
    const a = Network.create(CONFIG);
    const b = Network.create(CONFIG);
    const c = Network.create({ ...CONFIG, seed: 2 });
    expect(a.getParams()).toEqual(b.getParams());
    expect(a.layers[0]!.weights).not.toEqual(c.layers[0]!.weights);
    a.layers[1]!.weights.fill(3);
    a.layers[2]!.biases.fill(-1);
    a.reinitialise();
    expect(a.getParams()).toEqual(b.getParams());
  });

  it('forward: probabilities sum to 1; predict equals a batch row; layerOutputs shapes', () => {
    const net = Network.create({ ...CONFIG, hidden: [32, 16] }, 8);
    const batch = 5;
    const x = new Float32Array(batch * 784);
    for (let i = 0; i < x.length; i++) x[i] = ((i * 7919) % 256) / 255;
    const p = net.forward(x, batch).slice();
    expect(p.length).toBe(batch * 10);
    for (let b = 0; b < batch; b++) {
      const row = p.subarray(b * 10, b * 10 + 10);
      expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
    }
    const outs = net.layerOutputs();
    expect(outs.map((o) => o.length)).toEqual([batch * 784, batch * 32, batch * 16, batch * 10]);
    const hidden = outs[1]!.slice();
    const one = net.predict(x.slice(2 * 784, 3 * 784));
    // Row 2 of the batch, computed alone: same values (tiles and leftovers sum in the same order per row).
    for (let j = 0; j < 10; j++) expect(one.probabilities[j]).toBeCloseTo(p[20 + j]!, 6);
    expect(one.activations.map((a) => a.length)).toEqual([784, 32, 16, 10]);
    for (let j = 0; j < 32; j++) expect(one.activations[1]![j]).toBeCloseTo(hidden[64 + j]!, 5);
    // predict returns copies: a later forward does not change them.
    const saved = one.probabilities.slice();
    net.forward(new Float32Array(784), 1);
    expect(one.probabilities).toEqual(saved);
  });

  it('rejects bad batches and inputs', () => {
    const net = Network.create({ ...CONFIG, hidden: [4] }, 4);
    expect(() => net.forward(new Float32Array(784 * 5), 5)).toThrow(/batch/);
    expect(() => net.forward(new Float32Array(784), 0)).toThrow(/batch/);
    expect(() => net.forward(new Float32Array(10), 1)).toThrow(/input/);
    expect(() => net.predict(new Float32Array(10))).toThrow();
    net.forward(new Float32Array(784), 1);
    expect(() => net.backward(Uint8Array.from([10]), 0)).toThrow(/label/);
  });

  it('validates configs against LIMITS', () => {
    expect(() => validateModelConfig(CONFIG)).not.toThrow();
    expect(() => Network.create({ ...CONFIG, hidden: [0] })).toThrow(/hidden/);
    expect(() => Network.create({ ...CONFIG, hidden: [1.5] })).toThrow(/hidden/);
    expect(() => Network.create({ ...CONFIG, hidden: [LIMITS.maxLayerSize + 1] })).toThrow(/hidden/);
    expect(() =>
      Network.create({ ...CONFIG, hidden: new Array<number>(LIMITS.maxHiddenLayers + 1).fill(2) }),
    ).toThrow();
    expect(() => Network.create({ ...CONFIG, inputSize: 0 })).toThrow(/inputSize/);
    expect(() => Network.create({ ...CONFIG, outputSize: 1 })).toThrow(/outputSize/);
    expect(() => Network.create({ ...CONFIG, activation: 'gelu' as never })).toThrow(/activation/);
    expect(() => Network.create({ ...CONFIG, init: 'zeros' as never })).toThrow(/init/);
    expect(() => Network.create(CONFIG, 0)).toThrow(/maxBatch/);
    // 0 hidden layers and 6 are both fine.
    expect(Network.create({ ...CONFIG, hidden: [] }).layers.length).toBe(1);
    expect(Network.create({ ...CONFIG, hidden: [16, 16, 16, 16, 16, 16] }).layers.length).toBe(7);
  });

  it('setParams replaces parameters; rejects wrong shapes and non-finite values leaving weights untouched', () => {
    const net = Network.create({ ...CONFIG, hidden: [8] });
    const before = net.getParams();
    const good = net.getParams();
    good.weights[1]!.fill(0.25);
    good.biases[0]!.fill(-0.5);

    const bad = [
      { weights: good.weights.slice(0, 1), biases: good.biases },
      { weights: [good.weights[0]!, new Float32Array(79)], biases: good.biases },
      { weights: good.weights, biases: [good.biases[0]!, new Float32Array(11)] },
      {
        weights: [good.weights[0]!, Array.from(good.weights[1]!) as unknown as Float32Array],
        biases: good.biases,
      },
      { weights: [good.weights[0]!, good.weights[1]!.slice().fill(NaN, 3, 4)], biases: good.biases },
      { weights: good.weights, biases: [good.biases[0]!, good.biases[1]!.slice().fill(Infinity)] },
    ];
    for (const p of bad) {
      expect(() => net.setParams(p)).toThrow(/setParams/);
      expect(net.getParams()).toEqual(before);
    }
    net.setParams(good);
    expect(net.getParams()).toEqual(good);
    // getParams returns copies.
    good.weights[0]!.fill(9);
    expect(net.layers[0]!.weights[0]).not.toBe(9);
  });

  it("parameters: per layer weights then biases, the layers' own buffers; L2 decays weights only", () => {
    const net = Network.create({ ...CONFIG, inputSize: 3, hidden: [2], outputSize: 2 });
    expect(net.parameters.map((p) => [p.name, p.layer, p.kind, p.decay, p.value.length])).toEqual([
      ['layer 1 weights', 0, 'weights', true, 6],
      ['layer 1 biases', 0, 'biases', false, 2],
      ['layer 2 weights', 1, 'weights', true, 4],
      ['layer 2 biases', 1, 'biases', false, 2],
    ]);
    net.layers.forEach((layer, l) => {
      expect(net.parameters[2 * l]!.value).toBe(layer.weights);
      expect(net.parameters[2 * l]!.grad).toBe(layer.gradWeights);
      expect(net.parameters[2 * l + 1]!.value).toBe(layer.biases);
      expect(net.parameters[2 * l + 1]!.grad).toBe(layer.gradBiases);
    });
    // backward adds λ·w to the weight gradients and leaves the bias gradients alone.
    const x = Float32Array.from([0.2, 0.7, 0.1]);
    const labels = Uint8Array.from([1]);
    net.forward(x, 1);
    net.backward(labels, 0);
    const plain = net.parameters.map((p) => p.grad.slice());
    net.forward(x, 1);
    net.backward(labels, 0.5);
    net.parameters.forEach((p, i) => {
      const expected = [...plain[i]!].map((g, k) => (p.decay ? Math.fround(g + 0.5 * p.value[k]!) : g));
      expect([...p.grad]).toEqual(expected);
    });
  });

  it('uniform(0,1) init blows activations up (the lesson it exists for), he does not', () => {
    const x = new Float32Array(784).fill(0.5);
    const blown = Network.create({ ...CONFIG, init: 'uniform' }).predict(x).activations;
    const sane = Network.create(CONFIG).predict(x).activations;
    expect(Math.max(...blown[2]!)).toBeGreaterThan(1000);
    expect(Math.max(...sane[2]!)).toBeLessThan(50);
  });
});
