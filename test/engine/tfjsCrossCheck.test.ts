/**
 * Cross-check against a reference no one here wrote: TensorFlow.js (pure-JS `cpu` backend).
 *
 * For each hidden activation × optimizer, with and without L2: the same weights and the same MNIST batch
 * must give the same loss, the same gradients (tf.variableGrads of the same objective) and the same update
 * (three steps, so momentum's velocity and Adam's moments and bias correction are exercised), element-wise
 * within a relative error of 1e-4, or an absolute error of 1e-6 near zero.
 *
 * Matching definitions (checked in node_modules/@tensorflow/tfjs-core/dist/optimizers/*.js, v4.22.0):
 * - loss: tf.losses.softmaxCrossEntropy(onehot, logits) = mean over the batch of −Σ onehot·log softmax;
 *   our backward() returns exactly that (the L2 term is not part of the returned loss), and its weight
 *   gradients are those of  loss + λ/2·Σ‖W‖²  (biases not decayed) — so that is what tf differentiates.
 * - tf.train.momentum(lr, μ): accumulation ← μ·accumulation + g; w ← w − lr·accumulation (heavy ball,
 *   no Nesterov) — the same as ours.
 * - tf.train.adam(lr, β1, β2, ε): m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²;
 *   w ← w − lr · (m/(1−β1^t)) / (sqrt(v/(1−β2^t)) + ε) — ε outside the square root, after bias
 *   correction, as ours. ε is passed explicitly: tf's default would be the backend's 1e-7.
 * - leaky ReLU: tf.leakyRelu(z, 0.01); our slope is 0.01.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { toFloatPixels } from '../../src/engine/evaluate.ts';
import { Network } from '../../src/engine/network.ts';
import { createOptimizer } from '../../src/engine/optimizer.ts';
import {
  DEFAULT_CONFIG,
  type Activation,
  type OptimizerKind,
  type TrainConfig,
} from '../../src/engine/types.ts';
import type { Split } from '../../src/data/dataset.ts';
import { loadMnist } from './helpers.ts';

const REL_TOL = 1e-4;
const ABS_TOL = 1e-6;
const BATCH = 32;
const STEPS = 3;

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

/**
 * Asserts |actual − expected| ≤ max(ABS_TOL, REL_TOL·|expected|) element-wise; on failure names the worst
 * element so a broken formula is easy to find.
 */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const allowed = Math.max(ABS_TOL, REL_TOL * Math.abs(e));
    const excess = Math.abs(a - e) / allowed;
    if (!(excess <= 1) && (worst < 0 || !(excess <= worstExcess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    expect.fail(
      `${what}: element [${worst}] ours ${actual[worst]} vs tf ${expected[worst]} ` +
        `(|diff| ${Math.abs(actual[worst]! - expected[worst]!).toExponential(2)}, ${worstExcess.toFixed(1)}× the tolerance)`,
    );
  }
}

/** Batch k of a split as floats 0..1 and labels (the same bytes both implementations see). */
function batchOf(split: Split, k: number, size: number): { x: Float32Array; y: Uint8Array } {
  const n = split.rows * split.cols;
  const x = new Float32Array(size * n);
  toFloatPixels(split.images, k * size * n, size * n, x); // count is in pixels
  return { x, y: split.labels.slice(k * size, (k + 1) * size) };
}

function tfActivation(z: tf.Tensor2D, activation: Activation): tf.Tensor2D {
  switch (activation) {
    case 'relu':
      return tf.relu(z);
    case 'leaky-relu':
      return tf.leakyRelu(z, 0.01);
    case 'sigmoid':
      return tf.sigmoid(z);
    case 'tanh':
      return tf.tanh(z);
  }
}

/**
 * The same MLP in TF.js, with weights in OUR layout [out, in] (so gradients compare element by element):
 * z = h·Wᵀ + b. Returns the data loss and the objective tf differentiates (data loss + λ/2·Σ‖W‖²).
 */
function tfObjective(
  weights: tf.Variable[],
  biases: tf.Variable[],
  x: tf.Tensor2D,
  onehot: tf.Tensor2D,
  activation: Activation,
  l2: number,
): { data: tf.Scalar; total: tf.Scalar } {
  let h = x;
  for (let l = 0; l < weights.length; l++) {
    const z = tf.add(tf.matMul(h, weights[l] as tf.Tensor2D, false, true), biases[l]!) as tf.Tensor2D;
    h = l === weights.length - 1 ? z : tfActivation(z, activation);
  }
  const data = tf.losses.softmaxCrossEntropy(onehot, h) as tf.Scalar;
  let total = data;
  if (l2 > 0) {
    const sq = weights.map((w) => tf.sum(tf.square(w)));
    total = tf.add(data, tf.mul(l2 / 2, tf.addN(sq))) as tf.Scalar;
  }
  return { data, total };
}

function tfOptimizer(cfg: TrainConfig): tf.Optimizer {
  switch (cfg.optimizer) {
    case 'sgd':
      return tf.train.sgd(cfg.learningRate);
    case 'momentum':
      return tf.train.momentum(cfg.learningRate, cfg.momentum, false);
    case 'adam':
      return tf.train.adam(cfg.learningRate, cfg.beta1, cfg.beta2, cfg.epsilon);
  }
}

/** Runs STEPS training steps in both implementations from the same weights, comparing at every step. */
function crossCheck(cfg: TrainConfig, train: Split): void {
  const net = Network.create(cfg, BATCH);
  const opt = createOptimizer(net, cfg);
  // Copies: tf keeps a reference to a Float32Array it is given, and our update would then move its weights too.
  const shapes = net.layers.map((l) => [l.outSize, l.inSize] as [number, number]);
  const tfW = net.layers.map((l, i) =>
    tf.variable(tf.tensor2d(l.weights.slice(), shapes[i]!), true, undefined, 'float32'),
  );
  const tfB = net.layers.map((l) => tf.variable(tf.tensor1d(l.biases.slice()), true, undefined, 'float32'));
  const tfOpt = tfOptimizer(cfg);
  const varList = [...tfW, ...tfB];
  try {
    for (let step = 0; step < STEPS; step++) {
      const { x, y } = batchOf(train, step, BATCH);
      const label = `${cfg.activation}/${cfg.optimizer}/l2=${cfg.l2} step ${step + 1}`;

      // Ours: forward, backward (gradients into grad buffers), update.
      net.forward(x, BATCH);
      const ourLoss = net.backward(y, cfg.l2);
      const ourGradW = net.layers.map((l) => l.gradWeights.slice());
      const ourGradB = net.layers.map((l) => l.gradBiases.slice());
      opt.step(cfg.learningRate);

      // TF.js: same objective, gradients by autodiff, the optimizer's own update.
      const tfLoss = tf.tidy(() => {
        const xs = tf.tensor2d(x, [BATCH, cfg.inputSize]);
        const onehot = tf
          .oneHot(tf.tensor1d(Array.from(y), 'int32'), cfg.outputSize)
          .toFloat() as tf.Tensor2D;
        let data = 0;
        const { grads } = tf.variableGrads(() => {
          const o = tfObjective(tfW, tfB, xs, onehot, cfg.activation, cfg.l2);
          data = o.data.dataSync()[0]!;
          return o.total;
        }, varList);
        net.layers.forEach((_, l) => {
          expectClose(ourGradW[l]!, grads[tfW[l]!.name]!.dataSync(), `${label}: dL/dW layer ${l}`);
          expectClose(ourGradB[l]!, grads[tfB[l]!.name]!.dataSync(), `${label}: dL/db layer ${l}`);
        });
        tfOpt.applyGradients(grads);
        return data;
      });
      expectClose([ourLoss], [tfLoss], `${label}: loss`);
      net.layers.forEach((layer, l) => {
        expectClose(layer.weights, tfW[l]!.dataSync(), `${label}: W after the update, layer ${l}`);
        expectClose(layer.biases, tfB[l]!.dataSync(), `${label}: b after the update, layer ${l}`);
      });
    }
  } finally {
    tfOpt.dispose();
    for (const v of varList) v.dispose();
  }
}

const ACTS: Activation[] = ['relu', 'leaky-relu', 'sigmoid', 'tanh'];
const OPTS: OptimizerKind[] = ['sgd', 'momentum', 'adam'];
/** Learning rates typical for each optimizer, large enough that a wrong update rule shows. */
const LR: Record<OptimizerKind, number> = { sgd: 0.1, momentum: 0.05, adam: 1e-3 };

describe('TF.js cross-check: loss, gradients and updates on real MNIST batches', () => {
  const base: TrainConfig = {
    ...DEFAULT_CONFIG,
    hidden: [32, 16],
    seed: 11,
    batchSize: BATCH,
    schedule: 'constant',
  };

  for (const activation of ACTS) {
    for (const optimizer of OPTS) {
      for (const l2 of [0, 1e-2]) {
        it(`${activation} · ${optimizer} · L2 ${l2}`, () => {
          const cfg: TrainConfig = { ...base, activation, optimizer, l2, learningRate: LR[optimizer] };
          crossCheck(cfg, loadMnist().train);
        });
      }
    }
  }

  it('no hidden layer (softmax regression) and a deeper net, xavier init', () => {
    const { train } = loadMnist();
    crossCheck({ ...base, hidden: [], optimizer: 'adam', l2: 1e-3, learningRate: 1e-3 }, train);
    crossCheck(
      {
        ...base,
        hidden: [24, 20, 16, 12],
        init: 'xavier',
        activation: 'tanh',
        optimizer: 'momentum',
        l2: 1e-3,
      },
      train,
    );
  });

  it('agrees on the probabilities of a forward pass', () => {
    const cfg: TrainConfig = { ...base, activation: 'sigmoid' };
    const net = Network.create(cfg, BATCH);
    const { x } = batchOf(loadMnist().test, 0, BATCH);
    const ours = net.forward(x, BATCH).slice();
    const theirs = tf.tidy(() => {
      let h = tf.tensor2d(x, [BATCH, cfg.inputSize]);
      net.layers.forEach((layer, l) => {
        const w = tf.tensor2d(layer.weights, [layer.outSize, layer.inSize]);
        const z = tf.add(tf.matMul(h, w, false, true), tf.tensor1d(layer.biases)) as tf.Tensor2D;
        h = l === net.layers.length - 1 ? tf.softmax(z) : tfActivation(z, cfg.activation);
      });
      return h.dataSync();
    });
    expectClose(ours, theirs, 'probabilities');
  });
});
