/**
 * The TF.js export loads with tf.loadLayersModel — from memory and through the real model.json/weights.bin
 * path resolution of tf.io.http — and predicts what our network predicts on MNIST test images
 * (argmax identical, probabilities within 1e-5).
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argmaxRow, toFloatPixels } from '../../src/engine/evaluate.ts';
import { Network } from '../../src/engine/network.ts';
import {
  LEAKY_RELU_ALPHA,
  TFJS_WEIGHTS_FILE,
  exportTfjs,
  type TfjsExport,
} from '../../src/engine/tfjsExport.ts';
import { DEFAULT_CONFIG, type Activation, type TrainConfig } from '../../src/engine/types.ts';
import { TrainingSession } from '../../src/training/session.ts';
import { loadMnist } from './helpers.ts';

const TEST_SAMPLES = 1000;
const PROB_TOL = 1e-5;

const dirs: string[] = [];

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A network trained briefly on MNIST, so its predictions are confident and varied (not near-uniform). */
function trainedNetwork(activation: Activation, hidden: number[]): Network {
  const config: TrainConfig = { ...DEFAULT_CONFIG, hidden, activation, seed: 5, schedule: 'constant' };
  const session = new TrainingSession(config, loadMnist(), { trainLimit: 6000 });
  for (let i = 0; i < session.batchesPerEpoch; i++) session.trainBatch();
  return session.network;
}

function testInputs(count: number): Float32Array {
  const { test } = loadMnist();
  const x = new Float32Array(count * 784);
  toFloatPixels(test.images, 0, count * 784, x); // count is in pixels
  return x;
}

/** Ours, in batches that fit the network's buffers. */
function ourProbabilities(net: Network, x: Float32Array, count: number): Float32Array {
  const out = new Float32Array(count * 10);
  const step = Math.min(net.maxBatch, 256);
  for (let s = 0; s < count; s += step) {
    const n = Math.min(step, count - s);
    out.set(net.forward(x.subarray(s * 784, (s + n) * 784), n), s * 10);
  }
  return out;
}

/** What a user does: write the two files, then load model.json by URL (served from that directory). */
async function loadThroughFiles(exp: TfjsExport): Promise<tf.LayersModel> {
  const dir = mkdtempSync(join(tmpdir(), 'tfjs-export-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'model.json'), JSON.stringify(exp.modelJson));
  writeFileSync(join(dir, TFJS_WEIGHTS_FILE), exp.weightsBin);
  const fetchFunc = async (url: string | URL | Request): Promise<Response> => {
    const name = new URL(url instanceof Request ? url.url : url).pathname.split('/').pop()!;
    const body = readFileSync(join(dir, name));
    return new Response(body, {
      status: 200,
      headers: { 'content-type': name.endsWith('.json') ? 'application/json' : 'application/octet-stream' },
    });
  };
  return tf.loadLayersModel(tf.io.http('http://models.test/mlp/model.json', { fetchFunc }));
}

function compare(model: tf.LayersModel, net: Network): { maxDiff: number; agree: number } {
  const x = testInputs(TEST_SAMPLES);
  const ours = ourProbabilities(net, x, TEST_SAMPLES);
  const theirs = tf.tidy(() =>
    (model.predict(tf.tensor2d(x, [TEST_SAMPLES, 784])) as tf.Tensor).dataSync().slice(),
  ) as Float32Array;
  expect(theirs.length).toBe(ours.length);
  let maxDiff = 0;
  let agree = 0;
  for (let i = 0; i < ours.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ours[i]! - theirs[i]!));
  for (let r = 0; r < TEST_SAMPLES; r++) if (argmaxRow(ours, r, 10) === argmaxRow(theirs, r, 10)) agree++;
  return { maxDiff, agree };
}

describe('exportTfjs', () => {
  it('writes a Keras Sequential topology with transposed kernels and a weights manifest', () => {
    const net = Network.create({ ...DEFAULT_CONFIG, hidden: [5, 4], inputSize: 6, outputSize: 3 });
    const { modelJson, weightsBin } = exportTfjs(net);
    expect(modelJson.format).toBe('layers-model');
    expect(modelJson.convertedBy).toBeNull();
    expect(modelJson.generatedBy).toMatch(/Backprop Lab/);
    const layers = modelJson.modelTopology.config.layers;
    expect(layers.map((l) => [l.class_name, l.config.units, l.config.activation])).toEqual([
      ['Dense', 5, 'relu'],
      ['Dense', 4, 'relu'],
      ['Dense', 3, 'softmax'],
    ]);
    expect(layers[0]!.config.batch_input_shape).toEqual([null, 6]);
    const manifest = modelJson.weightsManifest;
    expect(manifest).toHaveLength(1);
    expect(manifest[0]!.paths).toEqual(['weights.bin']);
    expect(manifest[0]!.weights.map((w) => [w.name, w.shape])).toEqual([
      ['dense_1/kernel', [6, 5]],
      ['dense_1/bias', [5]],
      ['dense_2/kernel', [5, 4]],
      ['dense_2/bias', [4]],
      ['dense_3/kernel', [4, 3]],
      ['dense_3/bias', [3]],
    ]);
    expect(weightsBin.byteLength).toBe(4 * (6 * 5 + 5 + 5 * 4 + 4 + 4 * 3 + 3));
    // kernel[k][o] = W[o][k], little-endian float32; layer 2's kernel starts after layer 1's kernel + bias.
    const view = new DataView(weightsBin.buffer, weightsBin.byteOffset, weightsBin.byteLength);
    const w2 = net.layers[1]!.weights; // [4, 5]
    const base = 6 * 5 + 5;
    for (let k = 0; k < 5; k++) {
      for (let o = 0; o < 4; o++) expect(view.getFloat32((base + k * 4 + o) * 4, true)).toBe(w2[o * 5 + k]);
    }
    expect(view.getFloat32((base + 20 + 2) * 4, true)).toBe(net.layers[1]!.biases[2]);
  });

  it('expresses leaky ReLU as a linear Dense followed by a LeakyReLU layer with alpha 0.01', () => {
    const net = Network.create({
      ...DEFAULT_CONFIG,
      hidden: [5],
      inputSize: 6,
      outputSize: 3,
      activation: 'leaky-relu',
    });
    const layers = exportTfjs(net).modelJson.modelTopology.config.layers;
    expect(layers.map((l) => l.class_name)).toEqual(['Dense', 'LeakyReLU', 'Dense']);
    expect(layers[0]!.config.activation).toBe('linear');
    expect(layers[1]!.config.alpha).toBe(LEAKY_RELU_ALPHA);
    expect(LEAKY_RELU_ALPHA).toBe(0.01);
  });

  const cases: [Activation, number[]][] = [
    ['relu', [128, 64]],
    ['leaky-relu', [64, 32]],
    ['sigmoid', [64]],
    ['tanh', [32, 32, 16]],
    ['relu', []],
  ];
  for (const [activation, hidden] of cases) {
    it(`tf.loadLayersModel predicts like we do: ${activation} 784-${[...hidden, 10].join('-')}`, async () => {
      const net = trainedNetwork(activation, hidden);
      const exp = exportTfjs(net);

      // 1. From memory, as an app that already holds the bytes would.
      const fromMemory = await tf.loadLayersModel(
        tf.io.fromMemory({
          modelTopology: exp.modelJson.modelTopology,
          weightSpecs: exp.modelJson.weightsManifest[0]!.weights,
          weightData: exp.weightsBin.slice().buffer,
        }),
      );
      // 2. From the files, through TF.js's own model.json parsing and weights path resolution.
      const fromFiles = await loadThroughFiles(exp);

      for (const model of [fromMemory, fromFiles]) {
        const { maxDiff, agree } = compare(model, net);
        expect(agree).toBe(TEST_SAMPLES);
        expect(maxDiff).toBeLessThanOrEqual(PROB_TOL);
        model.dispose();
      }
    });
  }

  it('with dropout: Dropout layers (input and after each hidden activation), and still the same predictions', async () => {
    for (const activation of ['relu', 'leaky-relu'] as const) {
      const net = trainedNetwork(activation, [64, 32]);
      const exp = exportTfjs(net, { dropout: { input: 0.2, hidden: 0.5 } });
      const kinds = exp.modelJson.modelTopology.config.layers.map((l) => l.class_name);
      expect(kinds).toEqual(
        activation === 'relu'
          ? ['Dropout', 'Dense', 'Dropout', 'Dense', 'Dropout', 'Dense']
          : ['Dropout', 'Dense', 'LeakyReLU', 'Dropout', 'Dense', 'LeakyReLU', 'Dropout', 'Dense'],
      );
      const rates = exp.modelJson.modelTopology.config.layers
        .filter((l) => l.class_name === 'Dropout')
        .map((l) => l.config.rate);
      expect(rates).toEqual([0.2, 0.5, 0.5]);
      const model = await loadThroughFiles(exp);
      const { maxDiff, agree } = compare(model, net);
      expect(agree).toBe(TEST_SAMPLES);
      expect(maxDiff).toBeLessThanOrEqual(PROB_TOL);
      model.dispose();
    }
  });

  it('the trained network is confident, so agreement is a meaningful check', () => {
    const net = trainedNetwork('relu', [64]);
    const x = testInputs(TEST_SAMPLES);
    const p = ourProbabilities(net, x, TEST_SAMPLES);
    const { test } = loadMnist();
    let correct = 0;
    for (let r = 0; r < TEST_SAMPLES; r++) if (argmaxRow(p, r, 10) === test.labels[r]) correct++;
    expect(correct / TEST_SAMPLES).toBeGreaterThan(0.8);
  });
});
