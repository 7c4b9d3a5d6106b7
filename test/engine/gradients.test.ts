/**
 * Every layer, activation and the softmax–cross-entropy loss against centred finite differences.
 *
 * The reference loss is computed in float64 from the engine's float32 weights (refLoss), and perturbed in
 * float64 with h = 1e-6, so the numerical derivative is accurate to ~1e-9 and the tolerance only has to
 * absorb the engine's float32 storage of activations and gradients (~1e-6 relative). A wrong sign, a
 * missing factor or a transposed index shows up as an error of order 1, far above the tolerance — the
 * last test checks that the comparison really rejects a corrupted gradient.
 */
import { describe, expect, it } from 'vitest';
import {
  SPARSE_FORWARD_MAX_DENSITY,
  SPARSE_GRAD_MAX_BLOCK_FRACTION,
} from '../../src/engine/kernels/layerProducts.ts';
import { Network } from '../../src/engine/network.ts';
import { Rng } from '../../src/engine/rng.ts';
import type { Activation, InitKind, ModelConfig } from '../../src/engine/types.ts';
import { refForward, refLoss, toRefParams, worstError, type RefParams } from './reference.ts';

const H = 1e-6;
const REL = 1e-4;
const ABS = 1e-7;

interface Case {
  hidden: number[];
  activation: Activation;
  init: InitKind;
  l2: number;
  /** Fraction of input values set to exactly 0 (MNIST-like), so the sparse first-layer kernels run. */
  zeros?: number;
  /** Zero whole aligned 4-value blocks (like MNIST's background) instead of single values. */
  clustered?: boolean;
  /** The first-layer weight-gradient kernel this case must exercise. */
  expectGrad?: 'dense' | 'sparse-blocks' | 'sparse-outer';
}

function setup(c: Case, batch: number) {
  const config: ModelConfig = {
    inputSize: c.zeros ? 30 : 7,
    hidden: c.hidden,
    outputSize: 5,
    activation: c.activation,
    init: c.init,
    seed: 3,
  };
  const net = Network.create(config, 16);
  // Non-zero biases, so the bias paths matter and ReLU kinks are not all at the origin.
  const rng = new Rng(99);
  const params = net.getParams();
  for (const b of params.biases) for (let i = 0; i < b.length; i++) b[i] = 0.1 * rng.normal();
  net.setParams(params);
  const x = new Float32Array(batch * config.inputSize);
  for (let i = 0; i < x.length; i++) x[i] = rng.next() < (c.zeros ?? 0) ? 0 : rng.next();
  if (c.clustered) {
    for (let i = 0; i < x.length; i += 4) {
      const zero = rng.next() < (c.zeros ?? 0);
      for (let t = i; t < i + 4; t++) x[t] = zero ? 0 : 0.05 + rng.next();
    }
  }
  const labels = new Uint8Array(batch);
  for (let i = 0; i < batch; i++) labels[i] = rng.nextInt(config.outputSize);
  return { net, x, labels, config };
}

/** Centred differences of the float64 loss w.r.t. every weight and bias: [per layer weights], [per layer biases]. */
function numericalGradients(ref: RefParams, x: Float32Array, labels: Uint8Array, batch: number, c: Case) {
  const loss = () => refLoss(ref, x, labels, batch, c.activation, c.l2);
  const grad = (arr: Float64Array): Float64Array => {
    const g = new Float64Array(arr.length);
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i]!;
      arr[i] = v + H;
      const up = loss();
      arr[i] = v - H;
      const down = loss();
      arr[i] = v;
      g[i] = (up - down) / (2 * H);
    }
    return g;
  };
  return { weights: ref.weights.map(grad), biases: ref.biases.map(grad) };
}

const CASES: Case[] = [];
for (const activation of ['relu', 'leaky-relu', 'sigmoid', 'tanh'] as const) {
  CASES.push({ hidden: [6, 4], activation, init: 'he', l2: 0 });
  CASES.push({ hidden: [5], activation, init: 'xavier', l2: 0.01 });
}
CASES.push({ hidden: [], activation: 'relu', init: 'xavier', l2: 0 }); // softmax regression
CASES.push({ hidden: [6, 5, 4, 3], activation: 'tanh', init: 'xavier', l2: 0.003 }); // deep
// MNIST-like inputs: most values exactly 0, so the first layer takes its sparse kernels.
// ReLU deltas (half zeros) × scattered zero pixels → outer products; dense sigmoid deltas × zero blocks → tiles.
CASES.push({
  hidden: [9, 4],
  activation: 'relu',
  init: 'he',
  l2: 0,
  zeros: 0.85,
  expectGrad: 'sparse-outer',
});
CASES.push({
  hidden: [10],
  activation: 'sigmoid',
  init: 'xavier',
  l2: 0.01,
  zeros: 0.85,
  clustered: true,
  expectGrad: 'sparse-blocks',
});

describe('gradients vs centred finite differences (float64 reference)', () => {
  it.each(CASES)('hidden=$hidden $activation $init l2=$l2', (c) => {
    const batch = 6;
    const { net, x, labels } = setup(c, batch);
    const ref = toRefParams(net.getParams());
    const inputSize = net.config.inputSize;
    if (c.zeros) {
      // Make sure this case really exercises the sparse paths (asserted again after backward below).
      const nz = x.filter((v) => v !== 0).length;
      expect(nz).toBeLessThan(SPARSE_FORWARD_MAX_DENSITY * x.length);
      let pairs = 0;
      for (let b = 0; b < batch; b++) {
        for (let k = 0; k < inputSize; k += 4) {
          if (x.subarray(b * inputSize + k, b * inputSize + Math.min(inputSize, k + 4)).some((v) => v !== 0))
            pairs++;
        }
      }
      expect(pairs).toBeLessThan(SPARSE_GRAD_MAX_BLOCK_FRACTION * batch * Math.ceil(inputSize / 4));
    }

    // Forward matches the float64 reference, layer by layer.
    const probs = net.forward(x, batch);
    const refOuts = refForward(ref, x, batch, c.activation);
    const outs = net.layerOutputs();
    expect(outs.length).toBe(refOuts.length + 1);
    expect(outs[0]).toEqual(x.subarray(0, batch * inputSize));
    for (let l = 0; l < refOuts.length; l++) {
      expect(worstError(outs[l + 1]!, refOuts[l]!, 1e-5, 1e-7)).toBeLessThanOrEqual(1);
    }
    expect(probs).toBe(outs[outs.length - 1]);

    // backward returns the mean data loss (no L2 term).
    const loss = net.backward(labels, c.l2);
    const kernels = net.firstLayerKernels();
    if (c.zeros) {
      expect(kernels.forward).toBe('sparse-rows');
      expect(kernels.weightGrad).toBe(c.expectGrad);
    } else {
      expect(kernels).toEqual({ forward: 'dense', weightGrad: 'dense' });
    }
    const refData = refLoss(ref, x, labels, batch, c.activation, 0);
    expect(Math.abs(loss - refData)).toBeLessThan(1e-5 * Math.max(1, refData));

    const num = numericalGradients(ref, x, labels, batch, c);
    for (let l = 0; l < net.layers.length; l++) {
      const layer = net.layers[l]!;
      expect(
        worstError(layer.gradWeights, num.weights[l]!, REL, ABS),
        `layer ${l} weights`,
      ).toBeLessThanOrEqual(1);
      expect(worstError(layer.gradBiases, num.biases[l]!, REL, ABS), `layer ${l} biases`).toBeLessThanOrEqual(
        1,
      );
    }
  });

  it('the L2 term adds exactly λ·w to weight gradients and nothing to biases', () => {
    const c: Case = { hidden: [6], activation: 'tanh', init: 'xavier', l2: 0 };
    const { net, x, labels } = setup(c, 4);
    net.forward(x, 4);
    net.backward(labels, 0);
    const plain = net.layers.map((l) => ({ w: l.gradWeights.slice(), b: l.gradBiases.slice() }));
    net.forward(x, 4);
    net.backward(labels, 0.5);
    net.layers.forEach((layer, l) => {
      const expected = plain[l]!.w.map((g, i) => g + 0.5 * layer.weights[i]!);
      expect(worstError(layer.gradWeights, expected, 1e-6, 1e-7)).toBeLessThanOrEqual(1);
      expect(layer.gradBiases).toEqual(plain[l]!.b);
    });
  });

  it('softmax–cross-entropy stays finite for huge logits (log-sum-exp)', () => {
    const c: Case = { hidden: [], activation: 'relu', init: 'xavier', l2: 0 };
    const { net } = setup(c, 1);
    const p = net.getParams();
    p.weights[0]!.fill(0);
    p.biases[0]!.set([1000, -1000, 0, 500, 999]);
    net.setParams(p);
    const probs = net.forward(new Float32Array(7), 1);
    expect(probs.every((v) => Number.isFinite(v))).toBe(true);
    // label 1: loss = lse − z_1 ≈ 1000.3133 + 1000
    const loss = net.backward(Uint8Array.from([1]), 0);
    expect(loss).toBeCloseTo(1000 + Math.log(1 + Math.exp(-1)) + 1000, 3);
    expect(net.layers[0]!.gradBiases.every((v) => Number.isFinite(v))).toBe(true);
  });

  it('the check rejects a gradient with one flipped sign (the test can fail)', () => {
    const c: Case = { hidden: [6, 4], activation: 'sigmoid', init: 'xavier', l2: 0 };
    const batch = 6;
    const { net, x, labels } = setup(c, batch);
    const ref = toRefParams(net.getParams());
    net.forward(x, batch);
    net.backward(labels, 0);
    const num = numericalGradients(ref, x, labels, batch, c);
    const g = net.layers[0]!.gradWeights.slice();
    expect(worstError(g, num.weights[0]!, REL, ABS)).toBeLessThanOrEqual(1);
    // Flip the largest component: the comparison must now fail clearly.
    let k = 0;
    for (let i = 1; i < g.length; i++) if (Math.abs(g[i]!) > Math.abs(g[k]!)) k = i;
    g[k] = -g[k]!;
    expect(worstError(g, num.weights[0]!, REL, ABS)).toBeGreaterThan(100);
  });
});
