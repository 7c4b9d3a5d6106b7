/**
 * TensorFlow.js as a benchmark runner, on its pure-JS `cpu` backend or its WASM backend (SIMD, one
 * thread), training the same network as ours on any dataset's batches. Imported only when a part needs
 * TF.js (loading it takes a while and prints a hint about tfjs-node, irrelevant here).
 *
 * TF.js gets pre-made batch tensors (reused round-robin) and `optimizer.minimize` (faster than
 * model.trainOnBatch, which adds an async round trip per batch): if anything, that favours TF.js.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Split } from '../src/data/dataset.ts';
import { Rng } from '../src/engine/rng.ts';
import type { TrainConfig } from '../src/engine/types.ts';
import { timeSteps, type Runner } from './measure.ts';

export type TfBackend = 'cpu' | 'wasm';

export interface TfInfo {
  version: string;
  /** Null when the wasm backend was not initialised. */
  wasmSimd: boolean | null;
  /** TF.js's own verdict on threaded WASM here, asked before this bench forces one thread. */
  wasmThreadsPossible: boolean | null;
  /** Why (or what that means for the comparison), one line. */
  wasmThreadsNote: string | null;
}

/** Initialises the backends; call once, before any runner is built. */
export async function initTfjs(backends: readonly TfBackend[]): Promise<TfInfo> {
  const wantWasm = backends.includes('wasm');
  // Ask the flag's own check first (importing the wasm backend registered it), then force one thread: the
  // comparison is one thread against one of ours either way.
  const possible = wantWasm ? Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) : null;
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  const require = createRequire(import.meta.url);
  const wasmDist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  // In Node, Emscripten reads the .wasm with fs from this prefix (a directory path, trailing slash).
  setWasmPaths(`${wasmDist}/`);
  for (const b of backends) {
    if (!(await tf.setBackend(b))) throw new Error(`TF.js backend ${b} failed to initialise`);
  }
  await tf.ready();
  let note: string | null = null;
  if (possible === false) {
    note = tf.env().getBool('IS_NODE')
      ? `not possible in this process: tfjs-backend-wasm ${tf.version.tfjs} answers WASM_HAS_MULTITHREAD_SUPPORT = false whenever it runs in Node (its threaded Emscripten build needs Web Workers and a Blob main script; tensorflow/tfjs#3830), so TF.js WASM runs one thread here — a threaded comparison needs a browser`
      : 'not possible here: this runtime lacks shared WebAssembly memory or threads';
  } else if (possible) {
    note = 'possible here, but not measured: this bench compares one TF.js thread with one of ours';
  }
  return {
    version: tf.version.tfjs,
    wasmSimd: wantWasm ? Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) : null,
    wasmThreadsPossible: possible,
    wasmThreadsNote: note,
  };
}

/** Pre-made batches: `count` batches of `batch` shuffled samples, floats 0..1, one-hot labels. */
function makeBatches(train: Split, batch: number, count: number): { x: tf.Tensor2D; y: tf.Tensor2D }[] {
  const px = train.rows * train.cols;
  const rng = new Rng(1);
  const order = Uint32Array.from({ length: train.count }, (_, i) => i);
  rng.shuffle(order);
  const batches: { x: tf.Tensor2D; y: tf.Tensor2D }[] = [];
  for (let b = 0; b < count; b++) {
    const x = new Float32Array(batch * px);
    const y = new Float32Array(batch * 10);
    for (let i = 0; i < batch; i++) {
      const s = order[(b * batch + i) % train.count]!;
      for (let p = 0; p < px; p++) x[i * px + p] = train.images[s * px + p]! / 255;
      y[i * 10 + train.labels[s]!] = 1;
    }
    batches.push({ x: tf.tensor2d(x, [batch, px]), y: tf.tensor2d(y, [batch, 10]) });
  }
  return batches;
}

/** TF.js training `config`'s network (ReLU, plain SGD only: the comparison's workload) on `train`. */
export function tfRunner(backend: TfBackend, config: TrainConfig, train: Split): Runner {
  if (config.activation !== 'relu' || config.optimizer !== 'sgd' || config.outputSize !== 10) {
    throw new Error('the TF.js runner trains ReLU networks with plain SGD and 10 classes only');
  }
  tf.setBackend(backend); // initialised by initTfjs, so this switch is synchronous
  const { hidden, batchSize } = config;
  const model = tf.sequential({
    layers: [
      ...hidden.map((units, l) =>
        tf.layers.dense({
          ...(l === 0 ? { inputShape: [config.inputSize] } : {}),
          units,
          activation: 'relu',
          kernelInitializer: 'heNormal',
        }),
      ),
      // Logits; softmax inside the loss.
      tf.layers.dense({
        ...(hidden.length === 0 ? { inputShape: [config.inputSize] } : {}),
        units: 10,
        kernelInitializer: 'heNormal',
      }),
    ],
  });
  const optimizer = tf.train.sgd(config.learningRate);
  const batches = makeBatches(train, batchSize, 200);
  let next = 0;
  return {
    run(seconds) {
      tf.setBackend(backend);
      return timeSteps(seconds, () => {
        const { x, y } = batches[next]!;
        next = (next + 1) % batches.length;
        const loss = optimizer.minimize(
          () => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor2D) as tf.Scalar,
          true,
        )!;
        // Reading the loss forces the step to finish (and is what a UI would do anyway).
        const value = loss.dataSync()[0]!;
        loss.dispose();
        return { samples: batchSize, loss: value };
      });
    },
  };
}
