/**
 * The activation table: every row's derivative-from-the-output against centred finite differences of
 * its own function, and every Activation has a complete row.
 */
import { describe, expect, it } from 'vitest';
import { ACTIVATION_LABELS, ACTIVATION_TABLE } from '../../src/engine/activations.ts';
import { ACTIVATIONS } from '../../src/engine/types.ts';

const ZS = [-3, -0.7, -0.05, 0.05, 0.4, 1.2, 2.5];

/** f(z) through the row's in-place loop, in float32 like the engine. */
function f(act: (typeof ACTIVATIONS)[number], z: number): number {
  const a = Float32Array.of(z);
  ACTIVATION_TABLE[act].apply(a, 1);
  return a[0]!;
}

describe('activation table', () => {
  it('has a row with a label for every activation', () => {
    expect(Object.keys(ACTIVATION_TABLE).sort()).toEqual([...ACTIVATIONS].sort());
    for (const act of ACTIVATIONS) expect(ACTIVATION_LABELS[act]).toBe(ACTIVATION_TABLE[act].label);
  });

  it.each(ACTIVATIONS)('%s: backprop multiplies by f′ computed from the output', (act) => {
    const h = 1e-3; // float32 function values: a coarse step, a matching tolerance
    const a = Float32Array.from(ZS, (z) => f(act, z));
    const d = new Float32Array(ZS.length).fill(2);
    ACTIVATION_TABLE[act].backprop(d, a, ZS.length);
    ZS.forEach((z, i) => {
      const numeric = (f(act, z + h) - f(act, z - h)) / (2 * h);
      expect(d[i]! / 2).toBeCloseTo(numeric, 2);
    });
  });

  it('apply and backprop touch only the first len values', () => {
    for (const act of ACTIVATIONS) {
      const a = Float32Array.of(-1, 0.5, -2, -3);
      const d = Float32Array.of(1, 1, 1, 1);
      ACTIVATION_TABLE[act].apply(a, 2);
      ACTIVATION_TABLE[act].backprop(d, a, 2);
      expect([a[2], a[3], d[2], d[3]]).toEqual([-2, -3, 1, 1]);
    }
  });
});
