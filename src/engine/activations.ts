/**
 * The hidden-layer activations, one row each: everything the app knows about an activation lives here
 * (as tensorflow/playground's nn.ts pairs f with f′), so adding one is adding one row.
 *
 * - `apply` and `backprop` each run one tight loop over a whole layer's batch: one call per layer per
 *   batch, never a call per element (which would put an indirect call inside the hottest loop).
 * - f′ is written from the stored output a = f(z), so backward needs no copy of z:
 *   relu [a > 0]; leaky a > 0 ? 1 : 0.01; sigmoid a(1 − a); tanh 1 − a².
 * - The output layer's softmax is not here: it is not element-wise and is fused with the cross-entropy
 *   (loss.ts).
 */
import { ACTIVATIONS, type Activation } from './types.ts';

/** What a layer applies to its output: the config's activation for hidden layers, softmax for the last. */
export type LayerActivation = Activation | 'softmax';

/** Leaky ReLU's slope for z < 0: f(z) = z > 0 ? z : 0.01·z (also Keras' LeakyReLU `alpha` on export). */
export const LEAKY_SLOPE = 0.01;

export interface ActivationSpec {
  /** The human name, for the controls and the layer diagram. */
  readonly label: string;
  /** a ← f(a) in place over a[0 … len−1]. */
  readonly apply: (a: Float32Array, len: number) => void;
  /** d ← d ⊙ f′(z) over d[0 … len−1], with f′ computed from the output a = f(z). */
  readonly backprop: (d: Float32Array, a: Float32Array, len: number) => void;
  /**
   * Outputs below `below` or above `above` count as saturated (f′ ≈ 0 there: the unit barely learns),
   * for the layer statistics; null when the activation does not saturate.
   */
  readonly saturated: { readonly below: number; readonly above: number } | null;
  /**
   * The TF.js (Keras) export: the Dense layer's own `activation`, plus a layer appended after it when
   * TF.js has no such activation function (leaky ReLU exists only as the `LeakyReLU` layer; Keras'
   * default alpha is 0.3, so it is written explicitly).
   */
  readonly tfjs: {
    readonly activation: 'relu' | 'linear' | 'sigmoid' | 'tanh';
    readonly layerAfter: {
      readonly className: 'LeakyReLU';
      readonly name: string;
      readonly alpha: number;
    } | null;
  };
}

export const ACTIVATION_TABLE: Readonly<Record<Activation, ActivationSpec>> = {
  relu: {
    label: 'ReLU',
    apply(a, len) {
      for (let i = 0; i < len; i++) {
        const v = a[i]!;
        if (v < 0) a[i] = 0;
      }
    },
    backprop(d, a, len) {
      for (let i = 0; i < len; i++) if (!(a[i]! > 0)) d[i] = 0;
    },
    saturated: null,
    tfjs: { activation: 'relu', layerAfter: null },
  },
  'leaky-relu': {
    label: 'Leaky ReLU',
    apply(a, len) {
      for (let i = 0; i < len; i++) {
        const v = a[i]!;
        if (v < 0) a[i] = v * LEAKY_SLOPE;
      }
    },
    backprop(d, a, len) {
      for (let i = 0; i < len; i++) if (!(a[i]! > 0)) d[i] = d[i]! * LEAKY_SLOPE;
    },
    saturated: null,
    tfjs: {
      activation: 'linear',
      layerAfter: { className: 'LeakyReLU', name: 'leaky_re_lu', alpha: LEAKY_SLOPE },
    },
  },
  sigmoid: {
    label: 'Sigmoid',
    // 1/(1+e^−z): e^−z overflows to Infinity for z < −710 and the result is then exactly 0 — no NaN.
    apply(a, len) {
      for (let i = 0; i < len; i++) a[i] = 1 / (1 + Math.exp(-a[i]!));
    },
    backprop(d, a, len) {
      for (let i = 0; i < len; i++) {
        const v = a[i]!;
        d[i] = d[i]! * v * (1 - v);
      }
    },
    saturated: { below: 0.01, above: 0.99 },
    tfjs: { activation: 'sigmoid', layerAfter: null },
  },
  tanh: {
    label: 'Tanh',
    apply(a, len) {
      for (let i = 0; i < len; i++) a[i] = Math.tanh(a[i]!);
    },
    backprop(d, a, len) {
      for (let i = 0; i < len; i++) {
        const v = a[i]!;
        d[i] = d[i]! * (1 - v * v);
      }
    },
    saturated: { below: -0.99, above: 0.99 },
    tfjs: { activation: 'tanh', layerAfter: null },
  },
};

/** The labels alone (for the controls and the layer diagram), derived from the table. */
export const ACTIVATION_LABELS = Object.fromEntries(
  ACTIVATIONS.map((a) => [a, ACTIVATION_TABLE[a].label]),
) as Readonly<Record<Activation, string>>;
