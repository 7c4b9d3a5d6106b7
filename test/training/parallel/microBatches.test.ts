/**
 * Batches larger than the step's work bound train as micro-batches (engine/stepPlan.ts): their gradients
 * accumulated in a fixed order, the optimizer applied once. The bits depend on the batch and the network
 * alone — 1, 2 and 3 real threads alike, a step trained in one call or micro-batch by micro-batch — the
 * gradient is the whole batch's (checked against one plain forward and backward over every row), One step
 * shows exactly what Step writes, a checkpoint in the middle of a step resumes at the step's start, and an
 * explanation in the middle of a step leaves the step as it was.
 */
import { describe, expect, it } from 'vitest';
import { addWeightDecay, Network } from '../../../src/engine/network';
import { stepPlan } from '../../../src/engine/stepPlan';
import type { OptimizerKind, TrainConfig } from '../../../src/engine/types';
import { TrainingSession } from '../../../src/training/session';
import { explainStepReply } from '../../../src/training/stepCommands';
import { mnistSlice, smallConfig } from '../harness';
import { threadPoolsForFile } from './threadPools';

const data = mnistSlice(1000, 50);
const pools = threadPoolsForFile([2, 3]);

/**
 * 784-256-64-10 (218,058 parameters): micro-batches of ≤ 153 rows. Batches of 400 over 1,000 images: two of
 * 3 micro-batches and a short last one of 200 in 2, per epoch.
 */
function config(optimizer: OptimizerKind, extra: Partial<TrainConfig> = {}): TrainConfig {
  return smallConfig({
    hidden: [256, 64],
    optimizer,
    batchSize: 400,
    l2: 1e-4,
    learningRate: optimizer === 'adam' ? 2e-3 : 0.05,
    ...extra,
  });
}

const session = (c: TrainConfig, workers: number) =>
  new TrainingSession(c, data, { pool: workers > 1 ? pools.get(workers) : undefined });

function bitsOf(a: Float32Array): number[] {
  return Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
}
const paramBits = (s: TrainingSession) => {
  const p = s.network.getParams();
  return [...p.weights, ...p.biases].map(bitsOf);
};

describe('micro-batched steps', () => {
  it('the plan of the test network cuts its batches of 400 into 3 micro-batches', () => {
    const s = session(config('sgd'), 1);
    expect(s.microsPerBatch).toBe(3);
    expect(stepPlan(400, s.network.parameterCount()).microCapacity).toBe(134);
  });

  it.each(['sgd', 'momentum', 'adam'] as const)(
    '%s: One step shows what Step writes over 7 steps (an epoch end included); 1, 2 and 3 threads give the same bits',
    (optimizer) => {
      const runs = [1, 2, 3].map((workers) => {
        const s = session(config(optimizer, { augment: 'shift', dropout: 0.2 }), workers);
        expect(s.workers).toBe(workers);
        const losses: number[] = [];
        for (let step = 0; step < 7; step++) {
          const [layer, unit] = (
            [
              [0, 5],
              [1, 3],
              [2, 7],
            ] as const
          )[step % 3]!;
          const { event } = explainStepReply(
            { type: 'explain-step', id: step, layer, unit, source: { kind: 'batch' } },
            s,
            0,
            data.test,
          );
          if (event.type !== 'step-explanation') throw new Error(JSON.stringify(event));
          const e = event.explanation;
          expect(e.batchSize).toBe(step % 3 === 2 ? 200 : 400);
          losses.push(s.trainBatch().loss);
          const L = s.network.layers[layer]!;
          const row = L.weights.subarray(unit * L.inSize, (unit + 1) * L.inSize);
          expect(bitsOf(row), `${workers} threads, step ${step + 1}`).toEqual(bitsOf(e.rowAfter));
          expect(L.biases[unit]).toBe(e.biasAfter);
        }
        return { losses, bits: paramBits(s), stats: s.layerStats() };
      });
      expect(runs[1]).toEqual(runs[0]);
      expect(runs[2]).toEqual(runs[0]);
    },
  );

  it('the accumulated gradient is the whole batch’s: one plain forward and backward over its 400 rows', () => {
    const c = config('sgd');
    const s = session(c, 2);
    s.trainBatch(); // not at the initial weights
    const next = s.nextBatchGradient();
    expect(next.size).toBe(400);
    // The same rows, gathered whole, through a plain network with the session's weights.
    const x = new Float32Array(400 * c.inputSize);
    const y = new Uint8Array(400);
    expect(s.gatherNextRows(x, y, 0, 400)).toBe(400);
    const plain = Network.create(c, 400);
    plain.setParams(s.network.getParams());
    plain.forward(x, 400);
    plain.backward(y, 0, 400);
    addWeightDecay(plain.parameters, c.l2, 0, plain.parameterCount());
    for (let l = 0; l < plain.layers.length; l++) {
      const want = plain.layers[l]!.gradWeights;
      const got = s.network.layers[l]!.gradWeights;
      let worst = 0;
      let scale = 0;
      for (let i = 0; i < want.length; i++) {
        worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
        scale = Math.max(scale, Math.abs(want[i]!));
      }
      // Float32 sums in another order: equal to rounding, and not all zero.
      expect(scale).toBeGreaterThan(0);
      expect(worst / scale, `layer ${l}`).toBeLessThan(1e-5);
    }
    // The first example is the batch's first row.
    expect(bitsOf(next.x)).toEqual(bitsOf(x.subarray(0, c.inputSize)));
  });

  it('micro-batch by micro-batch is the bits of one call; progress says how far; nothing moves before the last', () => {
    const c = config('adam');
    const whole = session(c, 1);
    whole.trainBatch();
    const parts = session(c, 2);
    const before = paramBits(parts);
    expect(parts.stepProgress).toBeNull();
    expect(parts.trainMicroBatch()).toBeNull();
    expect(parts.stepProgress).toEqual({ microsDone: 1, micros: 3, rowsDone: 133, rows: 400 });
    expect(parts.trainMicroBatch()).toBeNull();
    expect(parts.stepProgress).toMatchObject({ microsDone: 2, rowsDone: 266 });
    // The weights, the optimizer and the position are the step's start until its last micro-batch.
    expect(paramBits(parts)).toEqual(before);
    expect(parts.step).toBe(0);
    expect(parts.optimizer.steps).toBe(0);
    const r = parts.trainMicroBatch();
    expect(r).not.toBeNull();
    expect(r!.batchSize).toBe(400);
    expect(parts.stepProgress).toBeNull();
    expect(parts.step).toBe(1);
    expect(paramBits(parts)).toEqual(paramBits(whole));
  });

  it('a checkpoint in the middle of a step resumes at its start, to the bit', () => {
    const c = config('momentum');
    const straight = session(c, 1);
    for (let i = 0; i < 4; i++) straight.trainBatch();
    const interrupted = session(c, 2);
    interrupted.trainBatch();
    interrupted.trainMicroBatch();
    const checkpoint = interrupted.getState();
    expect(checkpoint.step).toBe(1);
    const resumed = session(c, 3);
    resumed.setState(checkpoint);
    for (let i = 0; i < 3; i++) resumed.trainBatch();
    expect(paramBits(resumed)).toEqual(paramBits(straight));
  });

  it('an explanation in the middle of a step leaves the step as it was', () => {
    const c = config('sgd');
    const straight = session(c, 1);
    straight.trainBatch();
    const s = session(c, 2);
    s.trainMicroBatch();
    s.nextBatchGradient();
    expect(s.stepProgress).toMatchObject({ microsDone: 1 });
    while (!s.trainMicroBatch());
    expect(paramBits(s)).toEqual(paramBits(straight));
  });

  it('batch "all": the whole training split in one step per epoch', () => {
    const c = config('sgd', { batchSize: 60_000, hidden: [32] });
    const s = session(c, 2);
    expect(s.batchesPerEpoch).toBe(1);
    const r = s.trainBatch();
    expect(r.batchSize).toBe(1000);
    expect(r.epochEnded).toBe(true);
    expect(s.epoch).toBe(1);
  });
});
