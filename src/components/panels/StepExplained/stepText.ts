/**
 * The one-step view's words and numbers, as plain text lines (pure, unit-tested): each line pairs a
 * formula with the engine's numbers.
 */
import type { StepExplanation, WeightStep } from '../../../engine/stepExplain';
import { formatValue } from '../../ui/format';

const f = (v: number) => formatValue(v, 4);
const sub = (i: number) => String(i);

/** "layer 2" for a hidden layer, "the output layer" for the last. */
export function layerWord(layer: number, layerCount: number): string {
  return layer === layerCount - 1 ? 'the output layer' : `hidden layer ${layer + 1}`;
}

/** The optimizer's rule, as it will be applied. */
export function updateRule(e: Pick<StepExplanation, 'optimizer' | 'learningRate' | 't'>): string {
  const lr = formatValue(e.learningRate, 3);
  switch (e.optimizer) {
    case 'sgd':
      return `SGD: w ← w − η·g, η = ${lr}`;
    case 'momentum':
      return `momentum: v ← μ·v + g; w ← w − η·v, η = ${lr}`;
    case 'adam':
      return `Adam (t = ${e.t}): m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; w ← w − η·m̂/(√v̂ + ε), m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ), η = ${lr}`;
  }
}

/** One weight's row in the update table: name, w, g, state before → after, Δw, new w. */
export function stepRow(s: WeightStep, optimizer: StepExplanation['optimizer']): string[] {
  const name = s.index < 0 ? 'b' : `w${sub(s.index)}`;
  const state =
    optimizer === 'adam'
      ? `m ${f(s.stateBefore[0]!)} → ${f(s.stateAfter[0]!)}\nv ${f(s.stateBefore[1]!)} → ${f(s.stateAfter[1]!)}`
      : optimizer === 'momentum'
        ? `v ${f(s.stateBefore[0]!)} → ${f(s.stateAfter[0]!)}`
        : '–';
  return [name, f(s.w), f(s.g), state, f(s.update), f(s.wNew)];
}

/** The forward pass, the way to the neuron and onward. */
export function forwardLines(e: StepExplanation, names: string[]): string[] {
  const terms = e.inputs.map(
    (t) => `w${sub(t.index)}·a${sub(t.index)} = ${f(t.w)} × ${f(t.a)} = ${f(t.product)}`,
  );
  const act = e.activation === 'softmax' ? 'softmax' : e.activation;
  return [
    `z = Σ w·a + b over ${e.inputCount} inputs; the largest terms: ${terms.join('; ')}; b = ${f(e.bias)}`,
    `z = ${f(e.z)}  →  a = ${act}(z) = ${f(e.a)}`,
    `onward to the output: p(${names[e.label] ?? e.label}) = ${f(e.probabilities[e.label]!)}, the network says ${names[e.predicted] ?? e.predicted}; loss = −log p(${names[e.label] ?? e.label}) = ${f(e.loss)}`,
  ];
}

/** The backward pass, from the output down to the neuron. */
export function backwardLines(e: StepExplanation, layerCount: number): string[] {
  const lines = e.deltas.map(
    (d) =>
      `δ at ${layerWord(d.layer, layerCount)}: ‖δ‖ = ${f(d.norm)}; largest ${d.top.map((t) => `δ${sub(t.index)} = ${f(t.value)}`).join(', ')}`,
  );
  if (e.deltaTerms.length) {
    const terms = e.deltaTerms.map((t) => `W[${t.k},j]·δ${sub(t.k)} = ${f(t.w)} × ${f(t.delta)}`).join('; ');
    // With dropout the error passes back through the neuron's mask (0 dropped, 1/(1 − p) kept).
    const masked = (e.dropout?.rate ?? 0) > 0;
    lines.push(
      masked
        ? `for this neuron: (Wᵀδ)ⱼ · mask = Σₖ W[k,j]·δₖ × ${f(e.dropout!.scale)} = ${f(e.upstream)} (largest: ${terms})`
        : `for this neuron: (Wᵀδ)ⱼ = Σₖ W[k,j]·δₖ = ${f(e.upstream)} (largest: ${terms})`,
      `δⱼ = (Wᵀδ)ⱼ${masked ? ' · mask' : ''} · f′(z) = ${f(e.upstream)} × ${f(e.fPrime)} = ${f(e.delta)}`,
    );
  } else {
    lines.push(`for this output neuron: δⱼ = pⱼ − [j = label] = ${f(e.delta)}`);
  }
  return lines;
}

/** Where the gradient comes from. */
export function gradientLine(e: StepExplanation): string {
  const src =
    e.gradientSource === 'batch'
      ? `the mean over the ${e.batchSize} images of the next training batch`
      : 'this one example alone (what it would contribute; it is not trained on)';
  return `∂L/∂wᵢ = δⱼ · aᵢ (+ λwᵢ), ∂L/∂b = δⱼ — ${src}: ‖∂L/∂w‖ = ${f(e.gradNorm)}, ∂L/∂b = ${f(e.gradBias)}`;
}

const percent = (p: number) => `${Math.round(p * 100)} %`;

/** What dropout and max-norm did in this step (empty when the run uses neither). */
export function regulariserLines(e: StepExplanation): string[] {
  const lines: string[] = [];
  const d = e.dropout ?? null;
  if (d) {
    if (d.rate > 0) {
      lines.push(
        d.kept
          ? `dropout (p = ${percent(d.rate)}): this neuron was kept in this image — its output went on ×${f(d.scale)} (1/(1 − p)), and so does the error that comes back`
          : `dropout (p = ${percent(d.rate)}): this neuron was dropped in this image — it passed 0 on, so no error comes back and δⱼ = 0 here; its gradient comes only from the batch's other images`,
      );
    }
    if (d.inputsDropped > 0) {
      lines.push(
        `${d.inputsDropped} of its ${e.inputCount} inputs were dropped in this image (aᵢ = 0 above)`,
      );
    }
  }
  const m = e.maxNorm ?? null;
  if (m) {
    lines.push(
      m.scale < 1
        ? `max-norm: after the update ‖w‖ = ${f(m.norm)} > ${f(m.limit)}, so the row is scaled by ${f(m.scale)} (included in Δw and w after)`
        : `max-norm: after the update ‖w‖ = ${f(m.norm)} ≤ ${f(m.limit)}: the row stays as it is`,
    );
  }
  return lines;
}
