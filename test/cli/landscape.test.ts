/**
 * `--landscape FILE.json`: after training, the CLI writes the loss landscape the page computes (the same
 * job): on the path's plane, the path ending at the final weights (0, 0) and inside the grid, each loss that
 * of the network at that point; and the bad inputs of its flags are refused with the reason.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT, runCli, type CliIo } from '../../src/cli/runTrain.ts';
import { makeMnistFixture } from './fixtures.ts';

let fixture: string;
let out: string;
beforeAll(() => {
  fixture = makeMnistFixture(640, 100);
  out = mkdtempSync(join(tmpdir(), 'landscape-'));
});
afterAll(() => {
  rmSync(fixture, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});

function io(): CliIo & { err: string[] } {
  const err: string[] = [];
  let t = 0;
  return { err, stdout: () => {}, stderr: (s) => err.push(s), stderrIsTty: false, now: () => (t += 10) };
}

describe('--landscape', () => {
  const args = (...extra: string[]) => [
    '--data-dir',
    join(fixture, 'data'),
    '--limit',
    '640',
    '--hidden',
    '8',
    '--epochs',
    '2',
    ...extra,
  ];

  it('writes the grid, the plane and the path after training', async () => {
    const file = join(out, 'land.json');
    const cli = io();
    expect(await runCli(args('--landscape', file, '--landscape-grid', '7'), cli)).toBe(EXIT.ok);
    expect(cli.err.join('')).toMatch(/Wrote the loss landscape \(7 × 7, the path’s plane, \d+ kept moments/);
    const land = JSON.parse(readFileSync(file, 'utf8'));
    expect(land.plane).toBe('path');
    expect(land.alphas).toHaveLength(7);
    expect(land.betas).toHaveLength(7);
    expect(land.losses).toHaveLength(7);
    expect(land.losses.every((row: number[]) => row.length === 7 && row.every((v) => v > 0))).toBe(true);
    // 640 images at batch 128 (the default): 5 steps an epoch, 10 in all; step 0 kept, then every step.
    expect(land.step).toBe(10);
    expect(land.path.map((p: { step: number }) => p.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const last = land.path.at(-1);
    expect([last.alpha, last.beta]).toEqual([0, 0]);
    for (const p of land.path) {
      expect(p.alpha).toBeGreaterThan(land.alphas[0]);
      expect(p.alpha).toBeLessThan(land.alphas[6]);
    }
    expect(land.images).toBe(640);
  });

  it('refuses a grid out of range, or a grid without a file', async () => {
    for (const [extra, message] of [
      [['--landscape', join(out, 'x.json'), '--landscape-grid', '3'], /--landscape-grid must be 5 to 61/],
      [['--landscape-grid', '9'], /--landscape-grid needs --landscape FILE.json/],
    ] as const) {
      const cli = io();
      expect(await runCli(args(...extra), cli)).toBe(EXIT.usage);
      expect(cli.err.join('')).toMatch(message);
    }
  });
});
