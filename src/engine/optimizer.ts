/**
 * Optimizers: apply the gradients in a Network's grad buffers to its weights and biases, in place.
 *
 * Update rules (g = gradient, including λw from backward when l2 > 0; the same formulas as TF.js so the
 * cross-check can compare one step element-wise):
 * - sgd:      w ← w − lr·g
 * - momentum: v ← μ·v + g;  w ← w − lr·v                                  (heavy ball, v starts at 0)
 * - adam:     m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  t ← t + 1;
 *             w ← w − lr · (m / (1−β1^t)) / (sqrt(v / (1−β2^t)) + ε)       (bias-corrected)
 * Each optimizer walks the network's parameter list (`Network.parameters`: every weight matrix and bias
 * vector with its gradient twin) and keeps its per-parameter state (v; or m and v) alongside. Per layer
 * ‖Δw‖ and ‖w‖ (weights only) are accumulated inside the update loop, so the "update ratio" view costs
 * no extra pass.
 */
import type { Parameter } from './network.ts';
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
  /**
   * Per-parameter slots in a fixed order: for each slot kind (momentum: v; Adam: m, then v), one buffer
   * per parameter in the network's parameter order (per layer: weights, biases).
   */
  slots: Float32Array[];
}

export interface Optimizer {
  readonly kind: OptimizerKind;
  /** Applies the gradients currently in the parameters' grad buffers. */
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

/** What an optimizer trains: a Network, or anything else with a parameter list. */
export interface Trainable {
  readonly parameters: readonly Parameter[];
}

abstract class BaseOptimizer implements Optimizer {
  abstract readonly kind: OptimizerKind;
  protected t = 0;
  protected readonly params: readonly Parameter[];
  protected readonly stats: LayerUpdateStats[];
  /** state[s][i]: slot kind s of parameter i, same length as its value. */
  protected readonly state: Float32Array[][];

  constructor(model: Trainable, slotKinds: number) {
    this.params = model.parameters;
    const layers = this.params.reduce((n, p) => Math.max(n, p.layer + 1), 0);
    this.stats = Array.from({ length: layers }, () => ({ updateNorm: 0, weightNorm: 0 }));
    this.state = Array.from({ length: slotKinds }, () =>
      this.params.map((p) => new Float32Array(p.value.length)),
    );
  }

  abstract step(learningRate: number): void;

  /** Records ‖Δ‖ and ‖value‖ of a weight matrix (biases are not reported). */
  protected record(p: Parameter, updateSq: number, valueSq: number): void {
    if (p.kind !== 'weights') return;
    const s = this.stats[p.layer]!;
    s.updateNorm = Math.sqrt(updateSq);
    s.weightNorm = Math.sqrt(valueSq);
  }

  lastUpdateStats(): readonly LayerUpdateStats[] {
    return this.stats;
  }

  reset(): void {
    this.t = 0;
    for (const slot of this.state) for (const s of slot) s.fill(0);
    for (const s of this.stats) {
      s.updateNorm = 0;
      s.weightNorm = 0;
    }
  }

  getState(): OptimizerState {
    return { kind: this.kind, t: this.t, slots: this.state.flat().map((s) => s.slice()) };
  }

  setState(s: OptimizerState): void {
    if (s.kind !== this.kind) throw new Error(`optimizer state is for "${s.kind}", not "${this.kind}"`);
    if (!Number.isInteger(s.t) || s.t < 0) throw new Error('optimizer state: t must be a whole number');
    const slots = this.state.flat();
    if (s.slots.length !== slots.length) throw new Error('optimizer state: wrong number of slots');
    for (let i = 0; i < s.slots.length; i++) {
      const src = s.slots[i];
      if (!(src instanceof Float32Array) || src.length !== slots[i]!.length) {
        throw new Error(`optimizer state: slot ${i} has the wrong shape`);
      }
    }
    this.t = s.t;
    for (let i = 0; i < s.slots.length; i++) slots[i]!.set(s.slots[i]!);
  }
}

class Sgd extends BaseOptimizer {
  readonly kind = 'sgd' as const;
  constructor(model: Trainable) {
    super(model, 0);
  }
  step(lr: number): void {
    this.t++;
    for (const p of this.params) {
      const w = p.value;
      const g = p.grad;
      let uu = 0;
      let ww = 0;
      for (let i = 0; i < w.length; i++) {
        const u = lr * g[i]!;
        const nw = w[i]! - u;
        w[i] = nw;
        uu += u * u;
        ww += nw * nw;
      }
      this.record(p, uu, ww);
    }
  }
}

class Momentum extends BaseOptimizer {
  readonly kind = 'momentum' as const;
  constructor(
    model: Trainable,
    private readonly mu: number,
  ) {
    super(model, 1);
  }
  step(lr: number): void {
    this.t++;
    const mu = this.mu;
    const velocity = this.state[0]!;
    for (let k = 0; k < this.params.length; k++) {
      const p = this.params[k]!;
      const w = p.value;
      const g = p.grad;
      const v = velocity[k]!;
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
      this.record(p, uu, ww);
    }
  }
}

class Adam extends BaseOptimizer {
  readonly kind = 'adam' as const;
  constructor(
    model: Trainable,
    private readonly beta1: number,
    private readonly beta2: number,
    private readonly epsilon: number,
  ) {
    super(model, 2);
  }
  step(lr: number): void {
    this.t++;
    const { beta1, beta2, epsilon } = this;
    const c1 = 1 - beta1;
    const c2 = 1 - beta2;
    // Bias corrections: m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t).
    const bc1 = 1 / (1 - Math.pow(beta1, this.t));
    const bc2 = 1 / (1 - Math.pow(beta2, this.t));
    const firstMoments = this.state[0]!;
    const secondMoments = this.state[1]!;
    for (let k = 0; k < this.params.length; k++) {
      const p = this.params[k]!;
      const w = p.value;
      const g = p.grad;
      const m = firstMoments[k]!;
      const v = secondMoments[k]!;
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
      this.record(p, uu, ww);
    }
  }
}

/** An optimizer bound to `net`'s parameter buffers, with state sized for them (allocated once here). */
export function createOptimizer(net: Trainable, cfg: OptimConfig): Optimizer {
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
