/**
 * Optimizers against one- and two-step updates computed by hand (float64) from the formulas.
 */
import { describe, expect, it } from 'vitest';
import { Network } from '../../src/engine/network.ts';
import { createOptimizer } from '../../src/engine/optimizer.ts';
import type { OptimConfig } from '../../src/engine/types.ts';

const OPT: OptimConfig = {
  optimizer: 'sgd',
  learningRate: 0.1,
  momentum: 0.9,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  l2: 0,
  schedule: 'constant',
  lrDecay: 1,
  stepEvery: 1,
};

/** A 2-2-2 network with known weights and gradients. */
function tiny() {
  const net = Network.create({
    inputSize: 2,
    hidden: [2],
    outputSize: 2,
    activation: 'relu',
    init: 'he',
    seed: 1,
  });
  net.setParams({
    weights: [Float32Array.from([0.5, -0.25, 1, 2]), Float32Array.from([0.1, 0.2, 0.3, 0.4])],
    biases: [Float32Array.from([0, 0.5]), Float32Array.from([-0.5, 1])],
  });
  const setGrads = (gw: number[][], gb: number[][]) =>
    net.layers.forEach((l, i) => {
      l.gradWeights.set(gw[i]!);
      l.gradBiases.set(gb[i]!);
    });
  return { net, setGrads };
}

const G1 = { w: [[0.2, -0.4, 1, 0], [0.5, 0.5, -0.1, 0.3]], b: [[0.1, -0.2], [0.05, 0.3]] }; // prettier-ignore
const G2 = { w: [[-0.1, 0.3, 0.2, 0.6], [0.0, -0.5, 0.4, 0.1]], b: [[-0.3, 0.2], [0.1, -0.1]] }; // prettier-ignore

function expectClose(actual: Float32Array, expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(actual[i]).toBeCloseTo(e, 6));
}

describe('optimizers', () => {
  it('sgd: w ← w − lr·g (weights and biases), and reports ‖Δw‖, ‖w‖', () => {
    const { net, setGrads } = tiny();
    const w0 = net.getParams();
    const opt = createOptimizer(net, OPT);
    setGrads(G1.w, G1.b);
    opt.step(0.1);
    net.layers.forEach((l, i) => {
      expectClose(
        l.weights,
        [...w0.weights[i]!].map((w, k) => w - 0.1 * G1.w[i]![k]!),
      );
      expectClose(
        l.biases,
        [...w0.biases[i]!].map((b, k) => b - 0.1 * G1.b[i]![k]!),
      );
    });
    const stats = opt.lastUpdateStats();
    expect(stats[0]!.updateNorm).toBeCloseTo(0.1 * Math.hypot(...G1.w[0]!), 6);
    expect(stats[1]!.weightNorm).toBeCloseTo(Math.hypot(...net.layers[1]!.weights), 6);
  });

  it('momentum: v ← μv + g; w ← w − lr·v, over two steps', () => {
    const { net, setGrads } = tiny();
    const w0 = net.getParams();
    const opt = createOptimizer(net, { ...OPT, optimizer: 'momentum', momentum: 0.9 });
    setGrads(G1.w, G1.b);
    opt.step(0.1);
    setGrads(G2.w, G2.b);
    opt.step(0.05);
    net.layers.forEach((l, i) => {
      const expectW = [...w0.weights[i]!].map((w, k) => {
        const v1 = G1.w[i]![k]!;
        const v2 = 0.9 * v1 + G2.w[i]![k]!;
        return w - 0.1 * v1 - 0.05 * v2;
      });
      expectClose(l.weights, expectW);
      const expectB = [...w0.biases[i]!].map((b, k) => {
        const v1 = G1.b[i]![k]!;
        return b - 0.1 * v1 - 0.05 * (0.9 * v1 + G2.b[i]![k]!);
      });
      expectClose(l.biases, expectB);
    });
  });

  it('adam: bias-corrected moments, over two steps', () => {
    const { net, setGrads } = tiny();
    const w0 = net.getParams();
    const b1 = 0.8;
    const b2 = 0.9;
    const eps = 1e-3; // large enough to matter in the check
    const opt = createOptimizer(net, { ...OPT, optimizer: 'adam', beta1: b1, beta2: b2, epsilon: eps });
    setGrads(G1.w, G1.b);
    opt.step(0.01);
    setGrads(G2.w, G2.b);
    opt.step(0.02);
    const adam = (p: number, g1: number, g2: number): number => {
      let m = (1 - b1) * g1;
      let v = (1 - b2) * g1 * g1;
      p -= (0.01 * (m / (1 - b1))) / (Math.sqrt(v / (1 - b2)) + eps);
      m = b1 * m + (1 - b1) * g2;
      v = b2 * v + (1 - b2) * g2 * g2;
      p -= (0.02 * (m / (1 - b1 * b1))) / (Math.sqrt(v / (1 - b2 * b2)) + eps);
      return p;
    };
    net.layers.forEach((l, i) => {
      expectClose(
        l.weights,
        [...w0.weights[i]!].map((w, k) => adam(w, G1.w[i]![k]!, G2.w[i]![k]!)),
      );
      expectClose(
        l.biases,
        [...w0.biases[i]!].map((b, k) => adam(b, G1.b[i]![k]!, G2.b[i]![k]!)),
      );
    });
    // First step of Adam moves every parameter with g ≠ 0 by ≈ lr (m̂/sqrt(v̂) = sign(g)).
  });

  it('adam first step moves each parameter by ≈ lr·sign(g)', () => {
    const { net, setGrads } = tiny();
    const w0 = net.getParams();
    const opt = createOptimizer(net, { ...OPT, optimizer: 'adam' });
    setGrads(G1.w, G1.b);
    opt.step(0.001);
    net.layers[0]!.weights.forEach((w, k) => {
      const g = G1.w[0]![k]!;
      expect(w - w0.weights[0]![k]!).toBeCloseTo(g === 0 ? 0 : -0.001 * Math.sign(g), 6);
    });
  });

  it('reset() and getState()/setState() restore behaviour exactly', () => {
    for (const kind of ['sgd', 'momentum', 'adam'] as const) {
      const a = tiny();
      const b = tiny();
      const oa = createOptimizer(a.net, { ...OPT, optimizer: kind });
      const ob = createOptimizer(b.net, { ...OPT, optimizer: kind });
      a.setGrads(G1.w, G1.b);
      oa.step(0.1);
      const saved = oa.getState();
      const savedParams = a.net.getParams();
      // b: same first step, then a second one; reset+restore a to compare.
      b.setGrads(G1.w, G1.b);
      ob.step(0.1);
      b.setGrads(G2.w, G2.b);
      ob.step(0.1);
      oa.reset();
      oa.setState(saved);
      a.net.setParams(savedParams);
      a.setGrads(G2.w, G2.b);
      oa.step(0.1);
      expect(a.net.getParams()).toEqual(b.net.getParams());
      expect(() => oa.setState({ ...saved, slots: [new Float32Array(1)] })).toThrow();
      if (kind === 'adam') expect(saved.slots.length).toBe(8);
    }
  });
});
