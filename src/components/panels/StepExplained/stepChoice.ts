/**
 * Which neuron the one-step view explains when none is selected, so it never opens empty (pure,
 * unit-tested): the first hidden layer's unit that fires most for the example the layer diagram shows (the
 * drawing, else the probe), among the neurons the diagram draws, so its accent ring is visible there. With
 * no hidden layer, the output neuron of the class the network finds most likely.
 */
import type { AutoSelection, UnitRef } from '../../../store/inside';
import { MAX_SHOWN } from '../LayerDiagram/diagramLayout';

export interface StepChoice {
  unit: UnitRef;
  reason: AutoSelection['reason'];
}

/** Index of the largest of values[0 … n − 1] (the first on a tie), or -1 when n is 0. */
function argmax(values: ArrayLike<number>, n: number): number {
  let best = -1;
  for (let i = 0; i < n; i++) if (best < 0 || values[i]! > values[best]!) best = i;
  return best;
}

/**
 * @param sizes [input, hidden…, output] of the network.
 * @param activations one array per entry of `sizes` (the input image first), for one example; null or of
 *   another shape (the network was just rebuilt): no choice yet.
 * @param shown how many of a layer's first neurons the layer diagram draws.
 */
export function chooseStepUnit(
  sizes: readonly number[],
  activations: readonly ArrayLike<number>[] | null,
  shown = MAX_SHOWN,
): StepChoice | null {
  if (!activations || sizes.length < 2 || activations.length !== sizes.length) return null;
  if (activations.some((a, i) => a.length !== sizes[i])) return null;
  const hidden = sizes.length > 2;
  // Activation index 1: the first hidden layer, or the output when there is none (weight layer 0 either way).
  const values = activations[1]!;
  const unit = argmax(values, hidden ? Math.min(shown, values.length) : values.length);
  if (unit < 0) return null;
  return { unit: { layer: 0, unit }, reason: hidden ? 'most-active' : 'most-likely' };
}

/** The view's words for a neuron it chose itself. */
export function choiceWords(
  choice: StepChoice,
  example: AutoSelection['example'],
  classNames: readonly string[],
): string {
  const forWhat = example === 'drawing' ? 'your drawing' : 'the probe image';
  const u = choice.unit.unit;
  const what =
    choice.reason === 'most-active'
      ? `neuron ${u} of hidden layer 1, chosen as the most active for ${forWhat}`
      : `output neuron ${u} (“${classNames[u] ?? u}”), chosen as the class the network finds most likely for ${forWhat}`;
  return `Showing ${what} (the layer diagram shows it); click another neuron in the layer diagram to explain that one.`;
}
