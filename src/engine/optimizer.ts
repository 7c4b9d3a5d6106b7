/**
 * Optimizers: apply the gradients in a Network's grad buffers to its weights and biases, in place.
 *
 * Update rules (g = gradient, including λw from backward when l2 > 0; the same formulas as TF.js so the
 * cross-check can compare one step element-wise):
 * - sgd:      w ← w − lr·g
 * - momentum: v ← μ·v + g;  w ← w − lr·v                                  (heavy ball, v starts at 0)
 * - adam:     m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  t ← t + 1;
 *             w ← w − lr · (m / (1−β1^t)) / (sqrt(v / (1−β2^t)) + ε)       (bias-corrected)
 * Per layer ‖Δw‖ and ‖w‖ (weights only) are accumulated inside the update loop, so the "update ratio"
 * view costs no extra pass.
 */
import type { Network } from './network.ts';
import type { OptimConfig, OptimizerKind } from './types.ts';

/** ‖Δw‖ and ‖w‖ (after the step) of one layer's weight matrix, measured in step(). */
export interface LayerUpdateStats {
  updateNorm: number;
  weightNorm: number;
}

/** Everything an optimizer remembers between steps, as plain data (copies), for snapshots. */
export interface OptimizerState {
  kind: OptimizerKind;
  /** Steps taken (Adam's bias-correction exponent). */
  t: number;
  /** Per-parameter slots in a fixed order: per layer [weights, biases] for each slot (v; or m then v). */
  slots: Float32Array[];
}

export interface Optimizer {
  readonly kind: OptimizerKind;
  /** Applies the gradients currently in the network's grad buffers. */
  step(learningRate: number): void;
  /** Per layer, from the last step (zeros before any step). */
  lastUpdateStats(): readonly LayerUpdateStats[];
  /** Forgets all state (moments, step count): as freshly created. */
  reset(): void;
  /** A deep copy of the state. */
  getState(): OptimizerState;
  /** Restores a state from getState (validated: throws without changing anything when it doesn't fit). */
  setState(s: OptimizerState): void;
}

abstract class BaseOptimizer implements Optimizer {
  abstract readonly kind: OptimizerKind;
  protected t = 0;
  protected readonly stats: LayerUpdateStats[];
  /** Slot buffers, per slot kind, per layer: [weights, biases]. */
  protected readonly slots: Float32Array[];

  constructor(
    protected readonly net: Network,
    slotKinds: number,
  ) {
    this.stats = net.layers.map(() => ({ updateNorm: 0, weightNorm: 0 }));
    this.slots = [];
    for (let s = 0; s < slotKinds; s++) {
      for (const layer of net.layers) {
        this.slots.push(new Float32Array(layer.weights.length), new Float32Array(layer.biases.length));
      }
    }
  }

  abstract step(learningRate: number): void;

  lastUpdateStats(): readonly LayerUpdateStats[] {
    return this.stats;
  }

  reset(): void {
    this.t = 0;
    for (const s of this.slots) s.fill(0);
    for (const s of this.stats) {
      s.updateNorm = 0;
      s.weightNorm = 0;
    }
  }

  getState(): OptimizerState {
    return { kind: this.kind, t: this.t, slots: this.slots.map((s) => s.slice()) };
  }

  setState(s: OptimizerState): void {
    if (s.kind !== this.kind) throw new Error(`optimizer state is for "${s.kind}", not "${this.kind}"`);
    if (!Number.isInteger(s.t) || s.t < 0) throw new Error('optimizer state: t must be a whole number');
    if (s.slots.length !== this.slots.length) throw new Error('optimizer state: wrong number of slots');
    for (let i = 0; i < s.slots.length; i++) {
      const src = s.slots[i];
      if (!(src instanceof Float32Array) || src.length !== this.slots[i]!.length) {
        throw new Error(`optimizer state: slot ${i} has the wrong shape`);
      }
    }
    this.t = s.t;
    for (let i = 0; i < s.slots.length; i++) this.slots[i]!.set(s.slots[i]!);
  }
}

class Sgd extends BaseOptimizer {
  readonly kind = 'sgd' as const;
  constructor(net: Network) {
    super(net, 0);
  }
  step(lr: number): void {
    this.t++;
    const layers = this.net.layers;
    for (let l = 0; l < layers.length; l++) {
      const { weights: w, gradWeights: g, biases: b, gradBiases: gb } = layers[l]!;
      let uu = 0;
      let ww = 0;
      for (let i = 0; i < w.length; i++) {
        const u = lr * g[i]!;
        const nw = w[i]! - u;
        w[i] = nw;
        uu += u * u;
        ww += nw * nw;
      }
      for (let i = 0; i < b.length; i++) b[i] = b[i]! - lr * gb[i]!;
      this.stats[l]!.updateNorm = Math.sqrt(uu);
      this.stats[l]!.weightNorm = Math.sqrt(ww);
    }
  }
}

class Momentum extends BaseOptimizer {
  readonly kind = 'momentum' as const;
  constructor(
    net: Network,
    private readonly mu: number,
  ) {
    super(net, 1);
  }
  step(lr: number): void {
    this.t++;
    const mu = this.mu;
    const layers = this.net.layers;
    for (let l = 0; l < layers.length; l++) {
      const { weights: w, gradWeights: g, biases: b, gradBiases: gb } = layers[l]!;
      const v = this.slots[2 * l]!;
      const vb = this.slots[2 * l + 1]!;
      let uu = 0;
      let ww = 0;
      for (let i = 0; i < w.length; i++) {
        const nv = mu * v[i]! + g[i]!;
        v[i] = nv;
        const u = lr * nv;
        const nw = w[i]! - u;
        w[i] = nw;
        uu += u * u;
        ww += nw * nw;
      }
      for (let i = 0; i < b.length; i++) {
        const nv = mu * vb[i]! + gb[i]!;
        vb[i] = nv;
        b[i] = b[i]! - lr * nv;
      }
      this.stats[l]!.updateNorm = Math.sqrt(uu);
      this.stats[l]!.weightNorm = Math.sqrt(ww);
    }
  }
}

class Adam extends BaseOptimizer {
  readonly kind = 'adam' as const;
  constructor(
    net: Network,
    private readonly beta1: number,
    private readonly beta2: number,
    private readonly epsilon: number,
  ) {
    super(net, 2);
  }
  step(lr: number): void {
    this.t++;
    const { beta1, beta2, epsilon } = this;
    const c1 = 1 - beta1;
    const c2 = 1 - beta2;
    // Bias corrections: m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t).
    const bc1 = 1 / (1 - Math.pow(beta1, this.t));
    const bc2 = 1 / (1 - Math.pow(beta2, this.t));
    const layers = this.net.layers;
    const nL = layers.length;
    for (let l = 0; l < nL; l++) {
      const { weights: w, gradWeights: g, biases: b, gradBiases: gb } = layers[l]!;
      const m = this.slots[2 * l]!;
      const mb = this.slots[2 * l + 1]!;
      const v = this.slots[2 * nL + 2 * l]!;
      const vb = this.slots[2 * nL + 2 * l + 1]!;
      let uu = 0;
      let ww = 0;
      for (let i = 0; i < w.length; i++) {
        const gi = g[i]!;
        const nm = beta1 * m[i]! + c1 * gi;
        const nv = beta2 * v[i]! + c2 * gi * gi;
        m[i] = nm;
        v[i] = nv;
        const u = (lr * (nm * bc1)) / (Math.sqrt(nv * bc2) + epsilon);
        const nw = w[i]! - u;
        w[i] = nw;
        uu += u * u;
        ww += nw * nw;
      }
      for (let i = 0; i < b.length; i++) {
        const gi = gb[i]!;
        const nm = beta1 * mb[i]! + c1 * gi;
        const nv = beta2 * vb[i]! + c2 * gi * gi;
        mb[i] = nm;
        vb[i] = nv;
        b[i] = b[i]! - (lr * (nm * bc1)) / (Math.sqrt(nv * bc2) + epsilon);
      }
      this.stats[l]!.updateNorm = Math.sqrt(uu);
      this.stats[l]!.weightNorm = Math.sqrt(ww);
    }
  }
}

/** An optimizer bound to `net`'s parameter buffers, with state sized for them (allocated once here). */
export function createOptimizer(net: Network, cfg: OptimConfig): Optimizer {
  switch (cfg.optimizer) {
    case 'sgd':
      return new Sgd(net);
    case 'momentum':
      return new Momentum(net, cfg.momentum);
    case 'adam':
      return new Adam(net, cfg.beta1, cfg.beta2, cfg.epsilon);
    default:
      throw new Error(`unknown optimizer "${String((cfg as { optimizer: unknown }).optimizer)}"`);
  }
}
