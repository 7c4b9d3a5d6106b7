import { describe, expect, it } from 'vitest';
import type { StepExplanation } from '../../src/engine/stepExplain';
import {
  backwardLines,
  regulariserLines,
  stepRow,
  updateRule,
} from '../../src/components/panels/StepExplained/stepText';

const base = { optimizer: 'adam', learningRate: 0.001, t: 3 } as const;

describe('one step, in words', () => {
  it('names the rule each optimizer applies, with its rate', () => {
    expect(updateRule(base)).toMatch(/^Adam \(t = 3\).*η = 0\.00100$/);
    expect(updateRule({ ...base, optimizer: 'sgd' })).toBe('SGD: w ← w − η·g, η = 0.00100');
    expect(updateRule({ ...base, optimizer: 'momentum' })).toMatch(/^momentum: v ← μ·v \+ g/);
  });

  it('a weight row shows its state before and after, the update and the new value', () => {
    const row = stepRow(
      {
        index: 12,
        w: 0.5,
        g: 0.25,
        stateBefore: [0.1, 0.01],
        stateAfter: [0.2, 0.02],
        update: -0.001,
        wNew: 0.499,
      },
      'adam',
    );
    expect(row).toEqual([
      'w12',
      '0.5000',
      '0.2500',
      'm 0.1000 → 0.2000\nv 0.01000 → 0.02000',
      '-0.001000',
      '0.4990',
    ]);
    expect(
      stepRow({ index: -1, w: 1, g: 0, stateBefore: [], stateAfter: [], update: 0, wNew: 1 }, 'sgd')[0],
    ).toBe('b');
  });

  it('an output neuron’s δ is p − onehot; a hidden one’s is (Wᵀδ)·f′', () => {
    const e = {
      deltas: [],
      deltaTerms: [],
      delta: -0.3,
      upstream: -0.3,
      fPrime: 1,
    } as unknown as StepExplanation;
    expect(backwardLines(e, 3).at(-1)).toBe('for this output neuron: δⱼ = pⱼ − [j = label] = -0.3000');
    const h = {
      ...e,
      deltaTerms: [{ k: 2, w: 0.5, delta: 0.2, product: 0.1 }],
      upstream: 0.1,
      fPrime: 0.5,
      delta: 0.05,
    };
    expect(backwardLines(h as StepExplanation, 3).at(-1)).toBe(
      'δⱼ = (Wᵀδ)ⱼ · f′(z) = 0.1000 × 0.5000 = 0.05000',
    );
  });
});

describe('regulariserLines', () => {
  const base = { inputCount: 784 } as unknown as StepExplanation;
  it('says nothing without dropout or max-norm', () => {
    expect(regulariserLines({ ...base, dropout: null, maxNorm: null })).toEqual([]);
  });
  it('a dropped neuron: δ is 0 and why; inputs dropped; a rescaled row', () => {
    const lines = regulariserLines({
      ...base,
      dropout: { rate: 0.5, kept: false, scale: 0, inputsDropped: 150 },
      maxNorm: { limit: 3, norm: 3.5, scale: 3 / 3.5 },
    });
    expect(lines[0]).toMatch(/dropped in this image .* δⱼ = 0/);
    expect(lines[1]).toMatch(/^150 of its 784 inputs were dropped/);
    expect(lines[2]).toMatch(/‖w‖ = 3\.50+ > 3\.0+, so the row is scaled by 0\.857/);
  });
  it('a kept neuron: scaled by 1/(1 − p); a row inside the ball stays', () => {
    const lines = regulariserLines({
      ...base,
      dropout: { rate: 0.5, kept: true, scale: 2, inputsDropped: 0 },
      maxNorm: { limit: 3, norm: 1.25, scale: 1 },
    });
    expect(lines[0]).toMatch(/kept .* ×2\.0+ \(1\/\(1 − p\)\)/);
    expect(lines[1]).toMatch(/≤ 3\.0+: the row stays/);
  });
});
