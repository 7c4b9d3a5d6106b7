/** The figures a shown run carries on the loss chart (the lesson "batch size" compares them). */
import { describe, expect, it } from 'vitest';
import { runFigures } from '../../src/components/panels/LossChart/runOverlay';
import { DEFAULT_CONFIG } from '../../src/engine/types';
import type { SavedRun } from '../../src/store/runs';

function run(batchSize: number, epochs: SavedRun['epochs'], loss = [2.3, 0.31]): SavedRun {
  return {
    id: 'r',
    startedAt: 0,
    dataset: 'mnist',
    config: { ...DEFAULT_CONFIG, batchSize },
    curve: { steps: loss.map((_, i) => i + 1), loss },
    epochs,
  };
}
const epoch = (e: number, step: number, trainSeconds?: number) => ({
  epoch: e,
  step,
  trainLoss: 0.3,
  testLoss: 0.3,
  testAccuracy: 0.9,
  ...(trainSeconds !== undefined ? { trainSeconds } : {}),
});

describe('runFigures', () => {
  it('batch, steps per epoch, time per step, and how far in how long', () => {
    expect(runFigures(run(1, [epoch(1, 10_000, 9)]))).toBe(
      'batch 1 · 10,000 steps/epoch · 1 ms/step · loss 0.31 after 9.0 s',
    );
    expect(runFigures(run(128, [epoch(1, 79, 1.2), epoch(2, 158, 2.5)]))).toBe(
      'batch 128 · 79 steps/epoch · 16 ms/step · loss 0.31 after 2.5 s',
    );
  });

  it('the whole training split is "all", one step an epoch', () => {
    expect(runFigures(run(60_000, [epoch(1, 1, 0.8), epoch(2, 2, 1.6)], [2.3, 1.2]))).toBe(
      'batch all · 1 step/epoch · 800 ms/step · loss 1.2 after 1.6 s',
    );
  });

  it('a run kept before times were recorded: the batch and its steps alone', () => {
    expect(runFigures(run(64, [epoch(1, 938)]))).toBe('batch 64 · 938 steps/epoch');
  });
});
