/**
 * Model files that age well: today's format keeps loading (a committed fixture), a file older than a
 * setting takes its default, and older versions are upgraded step by step.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  MODEL_FORMAT_VERSION,
  ModelFileError,
  parseModel,
  upgradeModelJson,
  type JsonObject,
} from '../../src/engine/modelFile.ts';
import { Network } from '../../src/engine/network.ts';
import { DEFAULT_CONFIG } from '../../src/engine/types.ts';

/**
 * Written by the CLI of the day the format was version 1 (784-8-10, 2 epochs on the first 10,000 MNIST
 * training images, seed 7, lr 0.003). Never regenerate it: it stands for the files people have.
 */
const V1_FIXTURE = new URL('../fixtures/model/v1-784-8-10.json', import.meta.url);

describe('the version-1 fixture keeps loading', () => {
  const parsed = parseModel(readFileSync(V1_FIXTURE, 'utf8'));

  it('config and training record as written', () => {
    expect(parsed.config).toEqual({
      ...DEFAULT_CONFIG,
      hidden: [8],
      seed: 7,
      learningRate: 0.003,
      batchSize: 64,
      epochs: 2,
    });
    expect(parsed.training).toEqual({ epochs: 2, steps: 314, testAccuracy: 0.804 });
    // Older than the training subset, the validation split, the stop rules and workers: their defaults.
    expect(parsed.config).toMatchObject({
      trainSize: 60_000,
      validation: 0,
      untilLoss: 0,
      patience: 0,
      workers: 0,
    });
  });

  it('weights and predictions as trained', () => {
    const { weights, biases } = parsed.params;
    expect(weights.map((w) => w.length)).toEqual([784 * 8, 8 * 10]);
    // Float32 values, bit for bit.
    expect(weights[0][0]).toBe(Math.fround(0.08500413596630096));
    expect(weights[0][784 * 3 + 400]).toBe(Math.fround(-0.001607122365385294));
    expect(biases[1][3]).toBe(Math.fround(-0.15964049100875854));

    const net = Network.create(parsed.config);
    net.setParams(parsed.params);
    // Stripes of ramps: every other row 0…1 left to right. The network says "2".
    const x = Float32Array.from({ length: 784 }, (_, i) => ((i % 28) / 27) * (Math.floor(i / 28) % 2));
    const p = net.predict(x).probabilities;
    expect(p[2]).toBeCloseTo(0.821113, 5);
    expect(p[6]).toBeCloseTo(0.074837, 5);
    expect(net.predict(new Float32Array(784)).probabilities[1]).toBeCloseTo(0.140346, 5);
  });
});

describe('version upgrades', () => {
  it('this code writes the newest version it reads', () => {
    expect(MODEL_FORMAT_VERSION).toBe(1);
    const v1 = { version: 1, config: {} };
    expect(upgradeModelJson(v1)).toBe(v1);
  });

  it('applies one step per version, in order, up to the current one', () => {
    const steps = {
      1: (f: JsonObject) => ({ ...f, version: 2, log: [...(f.log as string[]), '1→2'] }),
      2: (f: JsonObject) => ({ ...f, version: 3, log: [...(f.log as string[]), '2→3'] }),
    };
    expect(upgradeModelJson({ version: 1, log: [] }, 3, steps)).toEqual({ version: 3, log: ['1→2', '2→3'] });
    expect(upgradeModelJson({ version: 2, log: [] }, 3, steps)).toEqual({ version: 3, log: ['2→3'] });
    expect(upgradeModelJson({ version: 3, log: [] }, 3, steps)).toEqual({ version: 3, log: [] });
  });

  it('refuses versions it cannot know, saying so', () => {
    for (const version of [4, 0, 1.5, '1', null, undefined]) {
      expect(() => upgradeModelJson({ version }, 3, {})).toThrow(ModelFileError);
    }
    expect(() => upgradeModelJson({ version: 4 }, 3, {})).toThrow(/versions 1 to 3 .*newer Backprop Lab/);
  });
});
