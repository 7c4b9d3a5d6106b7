// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/engine/types';
import {
  MAX_RUNS,
  STORAGE_KEY,
  clearRuns,
  differences,
  downsample,
  recordRun,
  toggleShown,
  useRunsStore,
  type SavedRun,
} from '../../src/store/runs';

const run = (id: string, patch: Partial<SavedRun['config']> = {}): SavedRun => ({
  id,
  startedAt: 1,
  dataset: 'mnist',
  config: { ...DEFAULT_CONFIG, ...patch },
  curve: { steps: [1, 2], loss: [2.3, 2.1] },
  epochs: [{ epoch: 1, step: 938, trainLoss: 0.3, testLoss: 0.2, testAccuracy: 0.95 }],
});

describe('runs of a session', () => {
  beforeEach(() => {
    localStorage.clear();
    clearRuns();
  });

  it('labels a run by the settings in which it differs, by their URL names', () => {
    expect(differences(run('a', { learningRate: 0.01, l2: 1e-4 }), 'mnist', DEFAULT_CONFIG)).toBe(
      'lr 0.01 · l2 0.0001',
    );
    expect(differences(run('a', { hidden: [] }), 'mnist', DEFAULT_CONFIG)).toBe('hidden none');
    expect(differences(run('a'), 'fashion-mnist', DEFAULT_CONFIG)).toBe('dataset mnist');
    expect(differences(run('a'), 'mnist', DEFAULT_CONFIG)).toBe('same settings');
  });

  it('keeps at most MAX_RUNS, the newest, in localStorage; updates a run in place', () => {
    for (let i = 0; i < MAX_RUNS + 3; i++) recordRun(run(`r${i}`));
    recordRun({ ...run('r14'), epochs: [] });
    const { runs } = useRunsStore.getState();
    expect(runs).toHaveLength(MAX_RUNS);
    expect(runs[0]!.id).toBe('r3');
    expect(runs.at(-1)!.epochs).toEqual([]);
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY)!);
    expect(stored.runs).toHaveLength(MAX_RUNS);
  });

  it('a shown run that is dropped is no longer shown', () => {
    recordRun(run('old'));
    toggleShown('old');
    expect(useRunsStore.getState().shown).toEqual(['old']);
    for (let i = 0; i < MAX_RUNS; i++) recordRun(run(`n${i}`));
    expect(useRunsStore.getState().shown).toEqual([]);
  });

  it('downsamples a long curve to at most the bound, keeping its ends', () => {
    const steps = Array.from({ length: 1000 }, (_, i) => i + 1);
    const d = downsample(
      steps,
      steps.map((s) => 1 / s),
      240,
    );
    expect(d.steps.length).toBeLessThanOrEqual(241);
    expect(d.steps[0]).toBe(1);
    expect(d.steps.at(-1)).toBe(1000);
  });
});
