import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_STATE } from '../../src/store/config';
import {
  architectureChanged,
  readUrlState,
  sanitizeConfig,
  URL_PARAMS,
  writeUrlState,
} from '../../src/store/urlState';
import { DEFAULT_CONFIG, LIMITS } from '../../src/engine/types';

describe('URL state', () => {
  it('round-trips every setting, the seed included', () => {
    const state = {
      dataset: 'fashion-mnist' as const,
      speed: 5,
      config: {
        ...DEFAULT_CONFIG,
        hidden: [256, 32, 16],
        activation: 'tanh' as const,
        init: 'xavier' as const,
        seed: 4242,
        optimizer: 'momentum' as const,
        learningRate: 0.05,
        momentum: 0.8,
        beta1: 0.85,
        beta2: 0.99,
        epsilon: 1e-7,
        l2: 1e-4,
        schedule: 'cosine' as const,
        lrDecay: 0.9,
        stepEvery: 3,
        batchSize: 128,
        epochs: 12,
      },
    };
    const search = writeUrlState(state);
    expect(search).toContain('seed=4242');
    expect(search).toContain('hidden=256-32-16');
    expect(readUrlState(search)).toEqual(state);
    // Every field of TrainConfig except the dataset-given sizes is in the table.
    const keys = Object.keys(DEFAULT_CONFIG).filter((k) => k !== 'inputSize' && k !== 'outputSize');
    expect(URL_PARAMS.length).toBe(keys.length + 2);
  });

  it('no hidden layer is written "none" and read back as []', () => {
    const s = { ...DEFAULT_CONFIG_STATE, config: { ...DEFAULT_CONFIG, hidden: [] } };
    expect(writeUrlState(s)).toContain('hidden=none');
    expect(readUrlState('?hidden=none').config.hidden).toEqual([]);
  });

  it('clamps absurd values to LIMITS and ignores garbage', () => {
    const s = readUrlState(
      '?hidden=99999-5-0-7-7-7-7-7-7-7-7&batch=1e9&lr=-3&epochs=1e12&seed=-5&act=bogus&speed=0&momentum=2&decay=NaN',
    );
    expect(s.config.hidden.length).toBe(LIMITS.maxHiddenLayers);
    expect(s.config.hidden[0]).toBe(LIMITS.maxLayerSize);
    expect(s.config.hidden[2]).toBe(1);
    expect(s.config.batchSize).toBe(LIMITS.maxBatchSize);
    expect(s.config.learningRate).toBe(DEFAULT_CONFIG.learningRate); // not usable → default
    expect(s.config.epochs).toBe(10_000);
    // The RNG reads a seed modulo 2³²: −5 is the run of 4294967291 (a model file does the same).
    expect(s.config.seed).toBe(4294967291);
    expect(s.config.activation).toBe(DEFAULT_CONFIG.activation);
    expect(s.speed).toBe('full');
    // Momentum's range is [0, 1), the CLI's and the model file's: 2 is beyond the open end → default.
    expect(s.config.momentum).toBe(DEFAULT_CONFIG.momentum);
    expect(readUrlState('?momentum=0.9995').config.momentum).toBe(0.9995);
    expect(s.config.lrDecay).toBe(DEFAULT_CONFIG.lrDecay);
    // A layer size that is not a number makes the whole list unusable → default.
    expect(readUrlState('?hidden=12-abc').config.hidden).toEqual(DEFAULT_CONFIG.hidden);
  });

  it('batch=all is the whole training split (the largest batch), written back as all', () => {
    const s = readUrlState('?batch=all');
    expect(s.config.batchSize).toBe(LIMITS.maxBatchSize);
    expect(readUrlState('?batch=ALL').config.batchSize).toBe(LIMITS.maxBatchSize);
    expect(readUrlState('?batch=60000').config.batchSize).toBe(LIMITS.maxBatchSize);
    expect(writeUrlState(s)).toMatch(/(^|[?&])batch=all(&|$)/);
    expect(writeUrlState(readUrlState('?batch=4096'))).toMatch(/batch=4096/);
    expect(readUrlState('?batch=most').config.batchSize).toBe(DEFAULT_CONFIG.batchSize);
  });

  it('keeps foreign parameters (the test data folder)', () => {
    const search = writeUrlState(DEFAULT_CONFIG_STATE, '?data=broken&lr=0.5');
    const q = new URLSearchParams(search);
    expect(q.get('data')).toBe('broken');
    expect(q.get('lr')).toBe(String(DEFAULT_CONFIG.learningRate));
  });

  it('sanitizeConfig clamps a patched config like the URL does', () => {
    const c = sanitizeConfig({ ...DEFAULT_CONFIG, hidden: [0, 5000], batchSize: 0, learningRate: NaN });
    expect(c.hidden).toEqual([1, LIMITS.maxLayerSize]);
    expect(c.batchSize).toBe(1);
    expect(c.learningRate).toBe(DEFAULT_CONFIG.learningRate);
    expect(c.inputSize).toBe(784);
  });

  it('architectureChanged: shape, activation, init and seed only', () => {
    const a = DEFAULT_CONFIG;
    expect(architectureChanged(a, { ...a, learningRate: 0.1, batchSize: 8 })).toBe(false);
    expect(architectureChanged(a, { ...a, hidden: [128] })).toBe(true);
    expect(architectureChanged(a, { ...a, seed: 2 })).toBe(true);
    expect(architectureChanged(a, { ...a, init: 'xavier' })).toBe(true);
  });
});
