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
  /** Steps taken so far (Adam's t). */
  readonly steps: number;
  /** Applies the gradients currently in the parameters' grad buffers. */
  step(learningRate: number): void;
  /**
   * One thread's part of a data-parallel step: the update of the flat parameter indices [lo, hi) (all
   * parameters back to back in `parameters` order) as step number `t` (steps + 1). Adds each layer's
   * Σ(Δw)² and Σw² (weights only) of that range into sums[2·layer], sums[2·layer + 1]. The same formula,
   * element for element, as `step`: a slice-parallel step changes the weights bit for bit as `step` does.
   */
  stepRange(learningRate: number, t: number, lo: number, hi: number, sums: Float64Array): void;
  /** After every thread's stepRange of step `t`: the step count and the layer statistics from the sums. */
  completeStep(t: number, sums: Float64Array): void;
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
  /** Flat index of each parameter's first value (parameters back to back). */
  protected readonly offsets: number[];
  protected readonly stats: LayerUpdateStats[];
  /** state[s][i]: slot kind s of parameter i, same length as its value. */
  protected readonly state: Float32Array[][];
  /** Scratch for step(): per layer Σ(Δw)², Σw². */
  private readonly sums: Float64Array;

  /**
   * @param memory where the state lives, when the caller provides it (shared between threads): slot kind
   *   after slot kind, each holding every parameter back to back ([slotKinds × parameter count] floats).
   */
  constructor(model: Trainable, slotKinds: number, memory?: Float32Array) {
    this.params = model.parameters;
    const layers = this.params.reduce((n, p) => Math.max(n, p.layer + 1), 0);
    this.stats = Array.from({ length: layers }, () => ({ updateNorm: 0, weightNorm: 0 }));
    this.sums = new Float64Array(2 * layers);
    let total = 0;
    this.offsets = this.params.map((p) => {
      const at = total;
      total += p.value.length;
      return at;
    });
    if (memory && memory.length !== slotKinds * total) {
      throw new Error(`optimizer memory must hold ${slotKinds}×${total} values, got ${memory.length}`);
    }
    this.state = Array.from({ length: slotKinds }, (_, s) =>
      this.params.map((p, i) =>
        memory
          ? memory.subarray(s * total + this.offsets[i]!, s * total + this.offsets[i]! + p.value.length)
          : new Float32Array(p.value.length),
      ),
    );
  }

  get steps(): number {
    return this.t;
  }

  step(learningRate: number): void {
    const t = this.t + 1;
    const sums = this.sums;
    sums.fill(0);
    const last = this.params.length - 1;
    this.stepRange(learningRate, t, 0, this.offsets[last]! + this.params[last]!.value.length, sums);
    this.completeStep(t, sums);
  }

  stepRange(learningRate: number, t: number, lo: number, hi: number, sums: Float64Array): void {
    this.prepare(t);
    for (let k = 0; k < this.params.length; k++) {
      const p = this.params[k]!;
      const off = this.offsets[k]!;
      const from = Math.max(lo - off, 0);
      const to = Math.min(hi - off, p.value.length);
      if (from >= to) continue;
      const [uu, ww] = this.update(k, learningRate, from, to);
      if (p.kind === 'weights') {
        sums[2 * p.layer] = sums[2 * p.layer]! + uu;
        sums[2 * p.layer + 1] = sums[2 * p.layer + 1]! + ww;
      }
    }
  }

  completeStep(t: number, sums: Float64Array): void {
    this.t = t;
    this.stats.forEach((s, l) => {
      s.updateNorm = Math.sqrt(sums[2 * l]!);
      s.weightNorm = Math.sqrt(sums[2 * l + 1]!);
    });
  }

  /** Per-step constants for step number t (Adam's bias corrections). */
  protected prepare(_t: number): void {}

  /**
   * Updates values [from, to) of parameter k in place from its gradient; returns [Σ(Δw)², Σw² after].
   */
  protected abstract update(k: number, lr: number, from: number, to: number): [number, number];

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
  constructor(model: Trainable, memory?: Float32Array) {
    super(model, 0, memory);
  }
  protected update(k: number, lr: number, from: number, to: number): [number, number] {
    const p = this.params[k]!;
    const w = p.value;
    const g = p.grad;
    let uu = 0;
    let ww = 0;
    let i = from;
    // Two elements per turn (V8 checks the loop once per turn); the sums keep their order, so their bits.
    for (; i + 1 < to; i += 2) {
      const u0 = lr * g[i]!;
      const u1 = lr * g[i + 1]!;
      const w0 = w[i]! - u0;
      const w1 = w[i + 1]! - u1;
      w[i] = w0;
      w[i + 1] = w1;
      uu += u0 * u0;
      ww += w0 * w0;
      uu += u1 * u1;
      ww += w1 * w1;
    }
    for (; i < to; i++) {
      const u = lr * g[i]!;
      const nw = w[i]! - u;
      w[i] = nw;
      uu += u * u;
      ww += nw * nw;
    }
    return [uu, ww];
  }
}

class Momentum extends BaseOptimizer {
  readonly kind = 'momentum' as const;
  constructor(
    model: Trainable,
    private readonly mu: number,
    memory?: Float32Array,
  ) {
    super(model, 1, memory);
  }
  protected update(k: number, lr: number, from: number, to: number): [number, number] {
    const mu = this.mu;
    const p = this.params[k]!;
    const w = p.value;
    const g = p.grad;
    const v = this.state[0]![k]!;
    let uu = 0;
    let ww = 0;
    for (let i = from; i < to; i++) {
      const nv = mu * v[i]! + g[i]!;
      v[i] = nv;
      const u = lr * nv;
      const nw = w[i]! - u;
      w[i] = nw;
      uu += u * u;
      ww += nw * nw;
    }
    return [uu, ww];
  }
}

class Adam extends BaseOptimizer {
  readonly kind = 'adam' as const;
  /** Bias corrections of the step being applied: m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t). */
  private bc1 = 1;
  private bc2 = 1;
  constructor(
    model: Trainable,
    private readonly beta1: number,
    private readonly beta2: number,
    private readonly epsilon: number,
    memory?: Float32Array,
  ) {
    super(model, 2, memory);
  }
  protected override prepare(t: number): void {
    this.bc1 = 1 / (1 - Math.pow(this.beta1, t));
    this.bc2 = 1 / (1 - Math.pow(this.beta2, t));
  }
  protected update(k: number, lr: number, from: number, to: number): [number, number] {
    const { beta1, beta2, epsilon, bc1, bc2 } = this;
    const c1 = 1 - beta1;
    const c2 = 1 - beta2;
    const p = this.params[k]!;
    const w = p.value;
    const g = p.grad;
    const m = this.state[0]![k]!;
    const v = this.state[1]![k]!;
    let uu = 0;
    let ww = 0;
    for (let i = from; i < to; i++) {
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
    return [uu, ww];
  }
}

/** Floats of state per parameter value: momentum keeps v, Adam m and v. */
export function optimizerSlots(kind: OptimizerKind): number {
  return kind === 'adam' ? 2 : kind === 'momentum' ? 1 : 0;
}

/**
 * An optimizer bound to `net`'s parameter buffers, with state sized for them (allocated once here, or
 * views of `memory`: see BaseOptimizer — threads of a data-parallel step share one state).
 */
export function createOptimizer(net: Trainable, cfg: OptimConfig, memory?: Float32Array): Optimizer {
  switch (cfg.optimizer) {
    case 'sgd':
      return new Sgd(net, memory);
    case 'momentum':
      return new Momentum(net, cfg.momentum, memory);
    case 'adam':
      return new Adam(net, cfg.beta1, cfg.beta2, cfg.epsilon, memory);
    default:
      throw new Error(`unknown optimizer "${String((cfg as { optimizer: unknown }).optimizer)}"`);
  }
}
