/**
 * The one-step view's own choice of neuron (stepChoice.ts): the first hidden layer's most active neuron
 * among those the layer diagram draws, or the most likely class with no hidden layer; nothing for a
 * snapshot of another shape.
 */
import { describe, expect, it } from 'vitest';
import { chooseStepUnit, choiceWords } from '../../src/components/panels/StepExplained/stepChoice';
import { MAX_SHOWN } from '../../src/components/panels/LayerDiagram/diagramLayout';

const f = (values: number[]) => Float32Array.from(values);
const input = new Float32Array(4);

describe('chooseStepUnit', () => {
  it('takes the most active unit of the first hidden layer', () => {
    const acts = [input, f([0.1, 0.9, 0.3]), f([5, 0]), f([0.2, 0.8])];
    expect(chooseStepUnit([4, 3, 2, 2], acts)).toEqual({
      unit: { layer: 0, unit: 1 },
      reason: 'most-active',
    });
  });

  it('looks only at the neurons the diagram draws, so its ring is visible there', () => {
    const hidden = new Float32Array(40).fill(0.1);
    hidden[3] = 0.5;
    hidden[MAX_SHOWN + 2] = 9; // not drawn
    const acts = [input, hidden, f([0.5, 0.5])];
    expect(chooseStepUnit([4, 40, 2], acts)?.unit).toEqual({ layer: 0, unit: 3 });
    expect(chooseStepUnit([4, 40, 2], acts, 40)?.unit).toEqual({ layer: 0, unit: MAX_SHOWN + 2 });
  });

  it('takes the first of equals (all silent: unit 0) and copes with negative activations (tanh)', () => {
    expect(chooseStepUnit([4, 3, 2], [input, f([0, 0, 0]), f([0.5, 0.5])])?.unit.unit).toBe(0);
    expect(chooseStepUnit([4, 3, 2], [input, f([-0.9, -0.2, -0.5]), f([0.5, 0.5])])?.unit.unit).toBe(1);
  });

  it('with no hidden layer: the output neuron of the most likely class', () => {
    const acts = [input, f([0.1, 0.2, 0.6, 0.1])];
    expect(chooseStepUnit([4, 4], acts)).toEqual({ unit: { layer: 0, unit: 2 }, reason: 'most-likely' });
  });

  it('chooses nothing without activations or for another shape (the network was just rebuilt)', () => {
    expect(chooseStepUnit([4, 3, 2], null)).toBeNull();
    expect(chooseStepUnit([4, 3, 2], [input, f([1, 2]), f([0.5, 0.5])])).toBeNull();
    expect(chooseStepUnit([4, 3, 3, 2], [input, f([1, 2, 3]), f([0.5, 0.5])])).toBeNull();
  });
});

describe('choiceWords', () => {
  it('says which neuron, why, and how to pick another', () => {
    const hidden = choiceWords({ unit: { layer: 0, unit: 5 }, reason: 'most-active' }, 'probe', []);
    expect(hidden).toContain('neuron 5 of hidden layer 1');
    expect(hidden).toContain('most active for the probe image');
    expect(hidden).toContain('click another neuron in the layer diagram');
    const out = choiceWords({ unit: { layer: 0, unit: 2 }, reason: 'most-likely' }, 'drawing', [
      'a',
      'b',
      'c',
    ]);
    expect(out).toContain('output neuron 2 (“c”)');
    expect(out).toContain('most likely for your drawing');
  });
});
