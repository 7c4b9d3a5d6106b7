/** --stats-every and --init-report: the inside views' numbers, headless. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT, runCli, type CliIo } from '../../src/cli/runTrain.ts';
import { parseArgs, UsageError } from '../../src/cli/options.ts';
import { makeMnistFixture } from './fixtures.ts';

let fixture: string;
beforeAll(() => {
  fixture = makeMnistFixture(640, 100);
});
afterAll(() => rmSync(fixture, { recursive: true, force: true }));

function io(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
    stderrIsTty: false,
    now: () => 0,
  };
}

const base = (...extra: string[]) => ['--data-dir', join(fixture, 'data'), '--limit', '640', ...extra];

describe('--stats-every N', () => {
  it('adds one JSON line after every N-th step (the first at step N), epoch lines keep their shape', async () => {
    const o = io();
    // 640 samples, batch 64 → 10 steps per epoch, 2 epochs → stats at steps 4, 8, 12, 16, 20.
    const status = await runCli(
      base('--hidden', '16,8', '--batch', '64', '--epochs', '2', '--json', '--stats-every', '4'),
      o,
    );
    expect(status).toBe(EXIT.ok);
    const lines = o.out
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const stats = lines.filter((l) => 'step' in l && 'layers' in l);
    expect(stats.map((l) => l.step)).toEqual([4, 8, 12, 16, 20]);
    for (const s of stats) {
      expect(s.layers.map((l: { layer: number }) => l.layer)).toEqual([1, 2, 3]);
      for (const l of s.layers) {
        expect(Object.keys(l).sort()).toEqual(
          [
            'activationMean',
            'activationStd',
            'deadFraction',
            'gradNorm',
            'layer',
            'saturatedFraction',
            'updateRatio',
          ].sort(),
        );
        expect(l.gradNorm).toBeGreaterThan(0);
        expect(l.deadFraction).toBeGreaterThanOrEqual(0);
        expect(l.deadFraction).toBeLessThanOrEqual(1);
      }
    }
    const epochs = lines.filter((l) => 'epoch' in l && !('stopped' in l));
    expect(lines.at(-1)).toMatchObject({ stopped: 'epochs', epoch: 2 });
    expect(epochs.map((l) => l.epoch)).toEqual([1, 2]);
    expect(Object.keys(epochs[0]).sort()).toEqual(
      ['epoch', 'samplesPerSecond', 'testAccuracy', 'testLoss', 'trainAccuracy', 'trainLoss'].sort(),
    );
  });

  it('is refused when not a whole number ≥ 1', async () => {
    expect(() => parseArgs(['--stats-every', '0'])).toThrow(UsageError);
    expect(() => parseArgs(['--stats-every', 'x'])).toThrow(/--stats-every/);
  });
});

describe('--init-report', () => {
  it('prints one JSON line per init of the lab, hidden layers and logits, without training', async () => {
    const o = io();
    const status = await runCli(base('--hidden', '32,16', '--init-report'), o);
    expect(status).toBe(EXIT.ok);
    const lines = o.out
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.init)).toEqual(['uniform', 'small', 'xavier', 'he']);
    for (const l of lines) {
      expect(l).not.toHaveProperty('epoch');
      expect(l.layers.map((x: { layer: number }) => x.layer)).toEqual([1, 2, 3]);
    }
    const uniform = lines[0].layers;
    const he = lines[3].layers;
    // The blow-up grows layer by layer; He keeps the layers within 10× of each other.
    expect(uniform[1].meanAbs).toBeGreaterThan(10 * uniform[0].meanAbs);
    const m = he.map((x: { meanAbs: number }) => x.meanAbs);
    expect(Math.max(...m) / Math.min(...m)).toBeLessThan(10);
  });
});
