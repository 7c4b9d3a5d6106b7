/**
 * The init lab: how each weight initialisation spreads the activations of a freshly built network,
 * layer by layer, before any training. Reference (784-256-128-10, ReLU, MNIST): uniform(0, 1) gives mean
 * |a| ≈ 50, then ≈ 6,400, then logits ≈ 400,000 — every layer multiplies the scale by roughly
 * fan_in · E[w] · E[a]; He keeps every layer near 0.2–0.4 because Var(w) = 2/fan_in undoes the fan-in.
 */
import { layerHealth } from './layerHealth.ts';
import { Network } from './network.ts';
import { traceForward } from './trace.ts';
import type { InitKind, ModelConfig } from './types.ts';

export interface InitLayerSpread {
  /** Weight layer from 1 (the first hidden layer); the last one is the output layer, measured on the logits. */
  layer: number;
  meanAbs: number;
  std: number;
  /** meanAbs / the previous layer's meanAbs (the input's for layer 1): the blow-up (> 1) or shrink factor. */
  growth: number;
}

export interface InitSpread {
  init: InitKind;
  layers: InitLayerSpread[];
}

/**
 * Per layer, mean |a| and the standard deviation of the activations (hidden layers) and of the logits
 * (output layer) for `count` probe images through a network built with `init` — same architecture,
 * activation and seed as `config`. No training; the network is thrown away.
 * @param x [count, inputSize] probe pixels 0..1
 */
export function initSpread(config: ModelConfig, init: InitKind, x: Float32Array, count: number): InitSpread {
  const net = Network.create({ ...config, init }, 1);
  const layers = net.layers;
  const n = config.inputSize;
  const per = layers.map((l) => new Float64Array(count * l.outSize));
  let inputAbs = 0;
  for (let r = 0; r < count; r++) {
    const xi = x.subarray(r * n, (r + 1) * n);
    for (let i = 0; i < n; i++) inputAbs += Math.abs(xi[i]!);
    const t = traceForward(layers, xi);
    layers.forEach((layer, l) => {
      // Hidden layers: the activations a = f(z); the output layer: the logits z, before softmax squashes them.
      const v = layer.activation === 'softmax' ? t.z[l]! : t.a[l]!;
      per[l]!.set(v, r * layer.outSize);
    });
  }
  let prev = count > 0 ? inputAbs / (count * n) : 0;
  return {
    init,
    layers: layers.map((layer, l) => {
      const h = layerHealth(per[l]!, count, layer.outSize, 'softmax', 1);
      const growth = prev > 0 ? h.meanAbs / prev : 0;
      prev = h.meanAbs;
      return { layer: l + 1, meanAbs: h.meanAbs, std: h.std, growth };
    }),
  };
}

/** The inits in the lab's order, from the blow-up to the fix (every init the settings offer). */
export const INIT_LAB_ORDER: readonly InitKind[] = ['uniform', 'small', 'xavier', 'he'];

/** initSpread for every init of the lab, in INIT_LAB_ORDER. */
export function initReport(config: ModelConfig, x: Float32Array, count: number): InitSpread[] {
  return INIT_LAB_ORDER.map((init) => initSpread(config, init, x, count));
}
