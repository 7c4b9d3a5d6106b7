/**
 * Network.backward's `add`: a chunk's gradients added to what the buffers hold must be the very bits of
 * computing them in a buffer of their own and adding that buffer in (float32 additions, element by
 * element) — what a thread training a step's chunks alone relies on to match N threads
 * (training/parallel/computeShares.ts). Each first-layer kernel is checked, and a chunk whose kernel differs
 * from the one before it.
 */
import { describe, expect, it } from 'vitest';
import { Network } from '../../src/engine/network.ts';
import type { FirstLayerKernels } from '../../src/engine/kernels/layerProducts.ts';
import { Rng } from '../../src/engine/rng.ts';
import type { Activation, ModelConfig } from '../../src/engine/types.ts';

type Inputs = 'dense' | 'scattered' | 'clustered';

/** Rows of 32 values: all non-zero; 85 % zeros one by one; or 85 % of aligned 4-value blocks zero. */
function inputs(kind: Inputs, rows: number, rng: Rng): Float32Array {
  const x = new Float32Array(rows * 32);
  for (let i = 0; i < x.length; i += 4) {
    const block = kind === 'clustered' && rng.next() < 0.85;
    for (let t = i; t < i + 4; t++) {
      const zero = block || (kind === 'scattered' && rng.next() < 0.85);
      x[t] = zero ? 0 : 0.05 + rng.next();
    }
  }
  return x;
}

interface Case {
  activation: Activation;
  chunks: [Inputs, Inputs];
  /** The first-layer weight-gradient kernel the added (second) chunk takes. */
  added: FirstLayerKernels['weightGrad'];
}

const CASES: Case[] = [
  { activation: 'tanh', chunks: ['dense', 'dense'], added: 'dense' },
  { activation: 'sigmoid', chunks: ['clustered', 'clustered'], added: 'sparse-blocks' },
  { activation: 'relu', chunks: ['scattered', 'scattered'], added: 'sparse-outer' },
  { activation: 'relu', chunks: ['dense', 'scattered'], added: 'sparse-outer' },
  { activation: 'sigmoid', chunks: ['scattered', 'clustered'], added: 'sparse-blocks' },
];

describe('backward with add: the bits of a separate buffer added in', () => {
  it.each(CASES)('$activation, chunks of $chunks inputs', (c) => {
    const config: ModelConfig = {
      inputSize: 32,
      hidden: [12, 8],
      outputSize: 5,
      activation: c.activation,
      init: 'xavier',
      seed: 5,
    };
    const rng = new Rng(17);
    const rows = [7, 6];
    const n = rows[0]! + rows[1]!;
    const xs = c.chunks.map((kind, i) => inputs(kind, rows[i]!, rng));
    const ys = rows.map((r) => Uint8Array.from({ length: r }, () => rng.nextInt(5)));
    const net = Network.create(config, 8);
    const params = net.getParams();
    for (const b of params.biases) for (let i = 0; i < b.length; i++) b[i] = 0.1 * rng.normal();
    net.setParams(params);
    const grads = () => net.parameters.map((p) => p.grad.slice());

    // Apart: each chunk's gradients in a buffer of their own, then added element by element in float32.
    net.forward(xs[0]!, rows[0]!);
    net.backward(ys[0]!, 0, n);
    const first = grads();
    net.forward(xs[1]!, rows[1]!);
    net.backward(ys[1]!, 0, n);
    const second = grads();
    const expected = first.map((g, i) => g.map((v, j) => v + second[i]![j]!));

    // Added: the second chunk's backward adds to the first's.
    net.forward(xs[0]!, rows[0]!);
    net.backward(ys[0]!, 0, n);
    net.forward(xs[1]!, rows[1]!);
    net.backward(ys[1]!, 0, n, true);
    expect(net.firstLayerKernels().weightGrad).toBe(c.added);
    const added = grads();
    for (let i = 0; i < expected.length; i++) {
      expect(added[i], net.parameters[i]!.name).toEqual(expected[i]);
      // Not trivially so: the second chunk moved every buffer.
      expect(added[i]).not.toEqual(first[i]);
    }
  });

  it('refuses λw with add (the sum gets it once, after the last chunk)', () => {
    const net = Network.create({ ...baseConfig(), activation: 'relu' }, 4);
    net.forward(new Float32Array(4 * 32).fill(0.5), 4);
    expect(() => net.backward(new Uint8Array(4), 0.01, 4, true)).toThrow(/λw/);
  });
});

function baseConfig(): ModelConfig {
  return { inputSize: 32, hidden: [6], outputSize: 5, activation: 'tanh', init: 'xavier', seed: 1 };
}
