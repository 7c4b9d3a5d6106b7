/**
 * One example through the network, every number kept: the explanation views' forward and backward pass.
 *
 * The training path (network.ts) is built for speed over batches and keeps only what backprop needs.
 * The views want the textbook quantities for a single image — z = W·a + b and a = f(z) for every layer,
 * the logits before softmax, and derivatives with respect to the input pixels — so this file computes
 * them plainly from the same weights, in the same float32 values (sums accumulated in float64). One image costs one matrix–vector product per layer
 * (≈ 0.2 M multiply–adds for 784-256-128-10), cheap enough to run on every drawn stroke.
 */
import { ACTIVATION_TABLE, type LayerActivation } from './activations.ts';

/** The parameters of one dense layer, as the engine stores them. */
export interface LayerWeights {
  readonly inSize: number;
  readonly outSize: number;
  readonly activation: LayerActivation;
  /** [outSize, inSize] row-major: row j holds unit j's incoming weights. */
  readonly weights: Float32Array;
  readonly biases: Float32Array;
}

/** Every intermediate of one forward pass. Index l is weight layer l (0 = first). */
export interface Trace {
  /** [inputSize] the input pixels. */
  input: Float32Array;
  /** z[l] = W_l · a[l−1] + b_l, [outSize_l]; the last one holds the logits. */
  z: Float32Array[];
  /** a[l] = f(z[l]) for hidden layers; the last one is softmax(logits). */
  a: Float32Array[];
}

/** softmax(z)_i = e^(z_i − max z) / Σ_j e^(z_j − max z) — shifted so large logits cannot overflow. */
export function softmax(z: ArrayLike<number>): Float32Array {
  let max = -Infinity;
  for (let i = 0; i < z.length; i++) max = Math.max(max, z[i]!);
  const out = new Float32Array(z.length);
  const e = Array.from(z, (v) => Math.exp(v - max));
  const sum = e.reduce((s, v) => s + v, 0);
  for (let i = 0; i < z.length; i++) out[i] = e[i]! / sum;
  return out;
}

/** Index of the largest value (first one on ties). */
export function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}

/**
 * Forward pass of one example, keeping z and a of every layer.
 * @param x [inputSize] pixels 0..1
 * @param masks training's dropout for this example (engine/dropout.ts): [input, hidden 1, …], each
 *   multiplying what that layer passes on (null: not dropped). `a` stays the unmasked f(z), as in training.
 */
export function traceForward(
  layers: readonly LayerWeights[],
  x: Float32Array,
  masks?: readonly (Float32Array | null)[],
): Trace {
  const z: Float32Array[] = [];
  const a: Float32Array[] = [];
  const masked = (v: Float32Array, m: Float32Array | null | undefined) =>
    m ? v.map((value, i) => value * m[i]!) : v;
  let prev: ArrayLike<number> = masked(x, masks?.[0]);
  for (let l = 0; l < layers.length; l++) {
    const { inSize, outSize, weights, biases, activation } = layers[l]!;
    const zl = new Float32Array(outSize);
    for (let j = 0; j < outSize; j++) {
      let s = biases[j]!;
      for (let i = 0, w = j * inSize; i < inSize; i++, w++) s += weights[w]! * prev[i]!;
      zl[j] = s;
    }
    let al: Float32Array;
    if (activation === 'softmax') {
      al = softmax(zl);
    } else {
      al = zl.slice();
      ACTIVATION_TABLE[activation].apply(al, outSize);
    }
    z.push(zl);
    a.push(al);
    prev = masked(al, masks?.[l + 1]);
  }
  return { input: x, z, a };
}

/** Derivatives of one logit with respect to the input and to every hidden layer's outputs. */
export interface LogitGradient {
  /** ∂z_c/∂x, [inputSize]: the saliency map. */
  input: Float32Array;
  /** hidden[l] = ∂z_c/∂a[l] for each hidden layer l (the output layer has none). */
  hidden: Float32Array[];
}

/**
 * Backpropagates the logit of class `c` (not the loss) down to the input pixels:
 * ∂z_c/∂a[L−2] = W_out[c, :], then at each hidden layer δ = ∂z_c/∂z[l] = ∂z_c/∂a[l] ⊙ f′(z[l]) and
 * ∂z_c/∂a[l−1] = W_lᵀ δ. The same rule as training's backward pass, started from a one-hot at the logit.
 */
export function logitGradient(layers: readonly LayerWeights[], trace: Trace, c: number): LogitGradient {
  const last = layers.length - 1;
  const out = layers[last]!;
  let dA = out.weights.slice(c * out.inSize, (c + 1) * out.inSize);
  const hidden: Float32Array[] = new Array<Float32Array>(last);
  for (let l = last - 1; l >= 0; l--) {
    hidden[l] = dA;
    const { inSize, outSize, weights, activation } = layers[l]!;
    if (activation === 'softmax') throw new Error('logitGradient: softmax is only for the output layer');
    const delta = dA.slice();
    ACTIVATION_TABLE[activation].backprop(delta, trace.a[l]!, outSize);
    const below = new Float64Array(inSize);
    for (let j = 0; j < outSize; j++) {
      const d = delta[j]!;
      if (d === 0) continue;
      for (let i = 0, w = j * inSize; i < inSize; i++, w++) below[i] = below[i]! + weights[w]! * d;
    }
    dA = Float32Array.from(below);
  }
  return { input: dA, hidden };
}

/** A hidden unit and how much it pushed the chosen class's logit. */
export interface UnitContribution {
  /** Weight layer of the unit (0 = first hidden layer). */
  layer: number;
  unit: number;
  /** The unit's output a. */
  activation: number;
  /** a · ∂z_c/∂a: positive pushed towards the class, negative away (gradient × input attribution). */
  contribution: number;
}

export interface Explanation {
  predicted: number;
  probabilities: Float32Array;
  logits: Float32Array;
  /** ∂z_predicted/∂x per pixel, [inputSize]. */
  saliency: Float32Array;
  /** The hidden units that pushed the prediction most (largest |contribution|), across all hidden layers. */
  topUnits: UnitContribution[];
}

/**
 * Why the network read `x` the way it did: the saliency map of the predicted class's logit and the
 * hidden units with the largest gradient × activation for it.
 */
export function explainPrediction(layers: readonly LayerWeights[], x: Float32Array, topK = 6): Explanation {
  const trace = traceForward(layers, x);
  const logits = trace.z[trace.z.length - 1]!;
  const probabilities = trace.a[trace.a.length - 1]!;
  const predicted = argmax(logits);
  const grad = logitGradient(layers, trace, predicted);
  const units: UnitContribution[] = [];
  grad.hidden.forEach((g, l) => {
    const a = trace.a[l]!;
    for (let u = 0; u < g.length; u++) {
      units.push({ layer: l, unit: u, activation: a[u]!, contribution: a[u]! * g[u]! });
    }
  });
  units.sort((p, q) => Math.abs(q.contribution) - Math.abs(p.contribution));
  return { predicted, probabilities, logits, saliency: grad.input, topUnits: units.slice(0, topK) };
}
