/**
 * One step of backprop for one neuron, with every number: the forward values on the way to it and
 * onward, the error term δ at each layer back to it, the gradient of its weights and bias, the
 * optimizer's state and the exact update it will make.
 *
 * The update is not re-derived here: it is computed by running the real optimizer code (optimizer.ts)
 * on a copy of this neuron's weights, gradient and state, so the shown update is the one Step applies,
 * to the last bit.
 */
import { ACTIVATION_TABLE } from './activations.ts';
import { createOptimizer, type OptimizerState } from './optimizer.ts';
import { maxNormScale, rowNorm } from './maxNorm.ts';
import type { Parameter } from './network.ts';
import { argmax, traceForward, type LayerWeights, type Trace } from './trace.ts';
import type { OptimConfig } from './types.ts';

/** How many of a long vector's entries an explanation lists (the largest by magnitude). */
export const TOP_ENTRIES = 5;

export interface Entry {
  index: number;
  value: number;
}

/** The `k` entries of `v` largest by |value|, largest first (ties: lower index first). */
export function topEntries(v: ArrayLike<number>, k = TOP_ENTRIES): Entry[] {
  const idx = Array.from({ length: v.length }, (_, i) => i);
  idx.sort((a, b) => Math.abs(v[b]!) - Math.abs(v[a]!) || a - b);
  return idx.slice(0, k).map((index) => ({ index, value: v[index]! }));
}

/** One term w_i · a_i of the neuron's weighted sum. */
export interface InputTerm {
  index: number;
  a: number;
  w: number;
  product: number;
}

/** δ (= ∂L/∂z) of one layer, summarised. */
export interface LayerDelta {
  /** Weight layer, 0 = first hidden. */
  layer: number;
  norm: number;
  top: Entry[];
}

/** One weight (or the bias, index −1) through the optimizer: state before, the update, the new value. */
export interface WeightStep {
  index: number;
  w: number;
  g: number;
  /** Momentum's velocity or Adam's (m, v) before the step; empty for SGD. */
  stateBefore: number[];
  stateAfter: number[];
  update: number;
  wNew: number;
}

export interface StepExplanation {
  layer: number;
  unit: number;
  /** The example whose values are shown (its label, what the network said). */
  label: number;
  predicted: number;
  // ── forward ──
  /** Its inputs a (the previous layer's outputs), the largest terms of z = Σ w·a + b. */
  inputs: InputTerm[];
  inputCount: number;
  bias: number;
  z: number;
  a: number;
  activation: string;
  logits: number[];
  probabilities: number[];
  /** −log p(label). */
  loss: number;
  // ── backward ──
  /** δ per weight layer from the output down to this neuron's layer. */
  deltas: LayerDelta[];
  /** For this neuron: the largest terms of (Wᵀ δ_next)_j = Σ_k W[k, j] δ_next[k] (empty for an output unit). */
  deltaTerms: { k: number; w: number; delta: number; product: number }[];
  /** Σ_k W[k, j] δ_next[k] (for an output unit: p_j − [j = label]). */
  upstream: number;
  /** f′(z) from the output a (1 for an output unit: softmax and the loss are fused). */
  fPrime: number;
  /** δ_j = upstream · f′. */
  delta: number;
  // ── gradient and update ──
  /** 'batch': the mean over the next training batch (what Step applies); 'example': this example alone. */
  gradientSource: 'batch' | 'example';
  batchSize: number;
  /** ∂L/∂w of the neuron's incoming weights (λw included), and of its bias. */
  gradNorm: number;
  gradBias: number;
  optimizer: OptimConfig['optimizer'];
  learningRate: number;
  /** Adam's / momentum's step count t after this step. */
  t: number;
  /** The weights with the largest gradient, and the bias (index −1), through the optimizer. */
  steps: WeightStep[];
  /** The whole row before and after the update (exactly what Step will write). */
  rowBefore: Float32Array;
  rowAfter: Float32Array;
  biasBefore: number;
  biasAfter: number;
  /**
   * Dropout in this example (training's mask of the batch's first row): the neuron's layer's rate, whether
   * this neuron was kept (a dropped one passed nothing on, so its δ here is 0), and how many of its inputs
   * were dropped. Null when the step drops nothing.
   */
  dropout: { rate: number; kept: boolean; scale: number; inputsDropped: number } | null;
  /**
   * Max-norm after the update (hidden units): ‖row‖ after the optimizer and the factor it is scaled by
   * (1: inside the ball). rowAfter is the rescaled row. Null when off or for an output unit.
   */
  maxNorm: { limit: number; norm: number; scale: number } | null;
}

export interface ExplainRequest {
  layers: readonly LayerWeights[];
  /** Weight layer of the neuron (0 = first hidden; the last = an output unit). */
  layer: number;
  unit: number;
  /** The example shown: its pixels and its label (for a drawing: the class the user says it is). */
  x: Float32Array;
  label: number;
  /**
   * The gradient Step will apply — the engine's own, over the next batch (λw included) — or null to use
   * this example's gradient alone.
   */
  batch: { gradRow: Float32Array; gradBias: number; size: number } | null;
  config: OptimConfig;
  learningRate: number;
  /** The optimizer's whole state and this neuron's parameter indices in it. */
  state: OptimizerState;
  weightsParam: number;
  biasParam: number;
  parameterCount: number;
  /** Training's dropout masks of this example ([input, hidden 1, …], null = not dropped) and their rates. */
  dropout?: { masks: (Float32Array | null)[]; inputRate: number; hiddenRate: number } | null;
  /** Max-norm's bound C (0 / absent = off). */
  maxNorm?: number;
}

/**
 * δ = ∂L/∂z of every weight layer for one example, output first rule: δ_out = softmax − onehot(label);
 * through dropout's mask where the forward had one (masks[l + 1] multiplies hidden layer l's outputs).
 */
function deltasOf(
  layers: readonly LayerWeights[],
  trace: Trace,
  label: number,
  masks?: readonly (Float32Array | null)[],
): Float32Array[] {
  const last = layers.length - 1;
  const deltas: Float32Array[] = new Array<Float32Array>(layers.length);
  const out = trace.a[last]!.slice();
  out[label] = out[label]! - 1;
  deltas[last] = out;
  for (let l = last - 1; l >= 0; l--) {
    const next = layers[l + 1]!;
    const dNext = deltas[l + 1]!;
    const d = new Float32Array(layers[l]!.outSize);
    for (let j = 0; j < d.length; j++) {
      let s = 0;
      for (let k = 0; k < next.outSize; k++) s += next.weights[k * next.inSize + j]! * dNext[k]!;
      d[j] = s;
    }
    const mask = masks?.[l + 1];
    if (mask) for (let j = 0; j < d.length; j++) d[j] = d[j]! * mask[j]!;
    const act = layers[l]!.activation;
    if (act === 'softmax') throw new Error('softmax only at the output');
    derivativeInPlace(d, trace.a[l]!, act);
    deltas[l] = d;
  }
  return deltas;
}

/** d ← d ⊙ f′ through the engine's activation table. */
function derivativeInPlace(d: Float32Array, a: Float32Array, act: keyof typeof ACTIVATION_TABLE): void {
  ACTIVATION_TABLE[act].backprop(d, a, d.length);
}

/** f′ at one unit, from its output (a one-element backprop through the table). */
function fPrimeAt(a: number, act: string): number {
  if (act === 'softmax') return 1;
  const d = new Float32Array([1]);
  ACTIVATION_TABLE[act as keyof typeof ACTIVATION_TABLE].backprop(d, new Float32Array([a]), 1);
  return d[0]!;
}

/** Runs the real optimizer on a copy of one row and one bias, with their slice of the state. */
function previewUpdate(
  req: ExplainRequest,
  row: Float32Array,
  gradRow: Float32Array,
  bias: number,
  gradBias: number,
): { row: Float32Array; bias: number; before: number[][]; after: number[][]; t: number } {
  const { state, weightsParam, biasParam, parameterCount, unit } = req;
  const inSize = row.length;
  const params: Parameter[] = [
    { name: 'row', layer: 0, kind: 'weights', value: row.slice(), grad: gradRow.slice(), decay: true },
    {
      name: 'bias',
      layer: 0,
      kind: 'biases',
      value: new Float32Array([bias]),
      grad: new Float32Array([gradBias]),
      decay: false,
    },
  ];
  const opt = createOptimizer({ parameters: params }, req.config);
  const slotKinds = parameterCount > 0 ? state.slots.length / parameterCount : 0;
  const slots: Float32Array[] = [];
  for (let s = 0; s < slotKinds; s++) {
    slots.push(state.slots[s * parameterCount + weightsParam]!.slice(unit * inSize, (unit + 1) * inSize));
    slots.push(state.slots[s * parameterCount + biasParam]!.slice(unit, unit + 1));
  }
  opt.setState({ kind: state.kind, t: state.t, slots });
  const before = slots.map((s) => Array.from(s));
  opt.step(req.learningRate);
  const after = opt.getState();
  return {
    row: params[0]!.value,
    bias: params[1]!.value[0]!,
    before,
    after: after.slots.map((s) => Array.from(s)),
    t: after.t,
  };
}

/** Everything one step does to neuron (layer, unit), with the numbers. */
export function explainStep(req: ExplainRequest): StepExplanation {
  const { layers, layer, unit, x, label } = req;
  const L = layers[layer];
  if (!L || !(unit >= 0 && unit < L.outSize))
    throw new RangeError(`no unit ${unit} in weight layer ${layer}`);
  const masks = req.dropout?.masks;
  const trace = traceForward(layers, x, masks);
  const last = layers.length - 1;
  // What this layer was fed: the masked values where training dropped (the same product as the engine's).
  const inMask = masks?.[layer];
  const fed = layer === 0 ? x : trace.a[layer - 1]!;
  const input = inMask ? fed.map((v, i) => v * inMask[i]!) : fed;
  const row = L.weights.slice(unit * L.inSize, (unit + 1) * L.inSize);
  const terms = Array.from(row, (w, i) => ({ index: i, a: input[i]!, w, product: w * input[i]! }));
  terms.sort((p, q) => Math.abs(q.product) - Math.abs(p.product) || p.index - q.index);
  const deltas = deltasOf(layers, trace, label, masks);
  const delta = deltas[layer]![unit]!;
  const a = trace.a[layer]![unit]!;
  const fPrime = fPrimeAt(a, L.activation);
  let upstream = delta;
  const deltaTerms: StepExplanation['deltaTerms'] = [];
  if (layer < last) {
    const next = layers[layer + 1]!;
    const dNext = deltas[layer + 1]!;
    upstream = 0;
    for (let k = 0; k < next.outSize; k++) {
      const w = next.weights[k * next.inSize + unit]!;
      upstream += w * dNext[k]!;
      deltaTerms.push({ k, w, delta: dNext[k]!, product: w * dNext[k]! });
    }
    // Dropped: nothing of this unit reached the next layer, so no error comes back (kept: ×1/(1 − p)).
    const mask = masks?.[layer + 1];
    if (mask) upstream *= mask[unit]!;
    deltaTerms.sort((p, q) => Math.abs(q.product) - Math.abs(p.product) || p.k - q.k);
  }
  // This example's gradient: ∂L/∂w_i = δ_j · a_i (+ λ w_i, as backward adds for L2), ∂L/∂b = δ_j.
  const exampleGrad = new Float32Array(L.inSize);
  for (let i = 0; i < L.inSize; i++) exampleGrad[i] = delta * input[i]! + req.config.l2 * row[i]!;
  const gradRow = req.batch ? req.batch.gradRow : exampleGrad;
  const gradBias = req.batch ? req.batch.gradBias : delta;
  const bias = L.biases[unit]!;
  const p = previewUpdate(req, row, gradRow, bias, gradBias);
  // Max-norm, as the step applies it after the update (engine/maxNorm.ts): the same products, the same bits.
  let maxNorm: StepExplanation['maxNorm'] = null;
  if (req.maxNorm && req.maxNorm > 0 && layer < last) {
    const norm = rowNorm(p.row, 0, L.inSize);
    const scale = maxNormScale(norm, req.maxNorm);
    if (scale !== 1) for (let i = 0; i < p.row.length; i++) p.row[i] = p.row[i]! * scale;
    maxNorm = { limit: req.maxNorm, norm, scale };
  }
  const d = req.dropout;
  const rate = d ? (layer < last ? d.hiddenRate : 0) : 0;
  const unitMask = masks?.[layer + 1];
  const dropout: StepExplanation['dropout'] =
    d && (d.inputRate > 0 || d.hiddenRate > 0)
      ? {
          rate,
          kept: !unitMask || unitMask[unit] !== 0,
          scale: unitMask ? unitMask[unit]! : 1,
          inputsDropped: inMask ? inMask.reduce((n, v) => n + (v === 0 ? 1 : 0), 0) : 0,
        }
      : null;
  const slotCount = p.before.length / 2;
  const stateOf = (arr: number[][], param: 0 | 1, i: number) =>
    Array.from({ length: slotCount }, (_, s) => arr[2 * s + param]![i]!);
  const chosen = topEntries(gradRow).map((e) => e.index);
  const steps: WeightStep[] = chosen.map((i) => ({
    index: i,
    w: row[i]!,
    g: gradRow[i]!,
    stateBefore: stateOf(p.before, 0, i),
    stateAfter: stateOf(p.after, 0, i),
    update: p.row[i]! - row[i]!,
    wNew: p.row[i]!,
  }));
  steps.push({
    index: -1,
    w: bias,
    g: gradBias,
    stateBefore: stateOf(p.before, 1, 0),
    stateAfter: stateOf(p.after, 1, 0),
    update: p.bias - bias,
    wNew: p.bias,
  });
  let gg = 0;
  for (const g of gradRow) gg += g * g;
  const logits = Array.from(trace.z[last]!);
  const probabilities = Array.from(trace.a[last]!);
  return {
    layer,
    unit,
    label,
    predicted: argmax(logits),
    inputs: terms.slice(0, TOP_ENTRIES),
    inputCount: L.inSize,
    bias,
    z: trace.z[layer]![unit]!,
    a,
    activation: L.activation,
    logits,
    probabilities,
    loss: -Math.log(Math.max(probabilities[label]!, 1e-30)),
    deltas: deltas
      .map((d, l) => ({ layer: l, norm: Math.hypot(...d), top: topEntries(d, 4) }))
      .filter((d) => d.layer >= layer)
      .reverse(),
    deltaTerms: deltaTerms.slice(0, 4),
    upstream,
    fPrime,
    delta,
    gradientSource: req.batch ? 'batch' : 'example',
    batchSize: req.batch ? req.batch.size : 1,
    gradNorm: Math.sqrt(gg),
    gradBias,
    optimizer: req.config.optimizer,
    learningRate: req.learningRate,
    t: p.t,
    steps,
    rowBefore: row,
    rowAfter: p.row,
    biasBefore: bias,
    biasAfter: p.bias,
    dropout,
    maxNorm,
  };
}
