/** One step explained: the update shown is the change Step makes, to the last bit; the maths matches backward. */
import { describe, expect, it } from 'vitest';
import type { OptimizerKind } from '../../src/engine/types';
import { explainStepReply } from '../../src/training/stepCommands';
import { TrainingSession } from '../../src/training/session';
import { randomSplit, smallConfig } from '../engine/helpers';

function session(optimizer: OptimizerKind, l2 = 0) {
  const train = randomSplit(256, 4, 4, 1);
  const test = randomSplit(50, 4, 4, 2);
  const s = new TrainingSession(smallConfig({ optimizer, l2, learningRate: 0.05, activation: 'tanh' }), {
    train,
    test,
  });
  for (let i = 0; i < 3; i++) s.trainBatch();
  return { s, test };
}

function explain(
  s: TrainingSession,
  test: ReturnType<typeof randomSplit>,
  layer: number,
  unit: number,
  source: Parameters<typeof explainStepReply>[0]['source'],
) {
  const { event } = explainStepReply({ type: 'explain-step', id: 1, layer, unit, source }, s, 0, test);
  if (event.type !== 'step-explanation') throw new Error(JSON.stringify(event));
  return event.explanation;
}

describe('explain-step over the next batch', () => {
  for (const optimizer of ['sgd', 'momentum', 'adam'] as const) {
    for (const [layer, unit] of [
      [0, 3],
      [1, 2],
      [2, 1],
    ] as const) {
      it(`${optimizer}, layer ${layer + 1} unit ${unit}: the shown update is exactly what Step writes`, () => {
        const { s, test } = session(optimizer, 1e-3);
        const e = explain(s, test, layer, unit, { kind: 'batch' });
        const L = s.network.layers[layer]!;
        expect([...e.rowBefore]).toEqual([...L.weights.subarray(unit * L.inSize, (unit + 1) * L.inSize)]);
        s.trainBatch();
        expect([...L.weights.subarray(unit * L.inSize, (unit + 1) * L.inSize)]).toEqual([...e.rowAfter]);
        expect(L.biases[unit]).toBe(e.biasAfter);
        for (const st of e.steps) {
          if (st.index >= 0) expect(st.wNew).toBe(L.weights[unit * L.inSize + st.index]);
          expect(st.update).toBe(st.wNew - st.w);
        }
        expect(e.gradientSource).toBe('batch');
        expect(e.batchSize).toBe(8);
      });
    }
  }
});

describe('explain-step for one example', () => {
  it('δ and the gradient equal the engine’s backward on a batch of that one example', () => {
    const { s, test } = session('adam');
    const e = explain(s, test, 1, 4, { kind: 'test', index: 7 });
    // The engine's own backward on the single example.
    const x = new Float32Array(16);
    for (let i = 0; i < 16; i++) x[i] = test.images[7 * 16 + i]! / 255;
    s.network.forward(x, 1);
    s.network.backward(new Uint8Array([test.labels[7]!]), 0);
    const L = s.network.layers[1]!;
    expect(e.label).toBe(test.labels[7]);
    expect(e.gradientSource).toBe('example');
    expect(e.gradBias).toBeCloseTo(L.gradBiases[4]!, 6);
    expect(e.delta).toBeCloseTo(L.gradBiases[4]!, 6);
    for (const st of e.steps.filter((q) => q.index >= 0))
      expect(st.g).toBeCloseTo(L.gradWeights[4 * L.inSize + st.index]!, 6);
    // δ_j = (Wᵀ δ_next)_j · f′(z_j), and z = Σ w·a + b.
    expect(e.delta).toBeCloseTo(e.upstream * e.fPrime, 6);
    expect(e.fPrime).toBeCloseTo(1 - e.a * e.a, 6);
    const loss = -Math.log(e.probabilities[e.label]!);
    expect(e.loss).toBeCloseTo(loss, 6);
  });

  it('refuses a unit or an image that does not exist', () => {
    const { s, test } = session('sgd');
    const r = explainStepReply(
      { type: 'explain-step', id: 3, layer: 0, unit: 99, source: { kind: 'batch' } },
      s,
      0,
      test,
    );
    expect(r.event.type).toBe('error');
    const r2 = explainStepReply(
      { type: 'explain-step', id: 3, layer: 0, unit: 1, source: { kind: 'test', index: 5000 } },
      s,
      0,
      test,
    );
    expect(r2.event.type).toBe('error');
  });
});

describe('explain-step with dropout', () => {
  it('batch of one: the shown δ and the example gradient are the engine’s, through the same masks', () => {
    const train = randomSplit(64, 4, 4, 3);
    const test = randomSplit(10, 4, 4, 4);
    const s = new TrainingSession(
      smallConfig({ batchSize: 1, dropout: 0.5, inputDropout: 0.25, activation: 'relu' }),
      { train, test },
    );
    let dropped = 0;
    let kept = 0;
    for (let step = 0; step < 40; step++) {
      const [layer, unit] = step % 2 === 0 ? [0, step % 7] : [1, step % 5];
      const e = explain(s, test, layer, unit, { kind: 'batch' });
      expect(e.dropout).not.toBeNull();
      expect(e.dropout!.rate).toBe(0.5);
      if (e.dropout!.kept) kept++;
      else {
        dropped++;
        // Dropped: it passed nothing on, so no error came back and its weights get no data gradient.
        expect(Math.abs(e.delta)).toBe(0);
        expect(Math.abs(e.upstream)).toBe(0);
      }
      // With one row the batch's gradient is this example's: δ · (what the layer was fed).
      const L = s.network.layers[layer]!;
      const g = L.gradWeights.subarray(unit * L.inSize, (unit + 1) * L.inSize);
      for (const term of e.inputs) expect(g[term.index]).toBeCloseTo(e.delta * term.a, 6);
      expect(L.gradBiases[unit]).toBeCloseTo(e.delta, 6);
      s.trainBatch();
    }
    expect(dropped).toBeGreaterThan(3);
    expect(kept).toBeGreaterThan(3);
  });
});
