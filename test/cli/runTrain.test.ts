/** runCli in-process, with fake streams: the progress bar goes to stderr only, and only on a terminal. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT, runCli, type CliIo } from '../../src/cli/runTrain.ts';
import { makeMnistFixture } from './fixtures.ts';

let fixture: string;
beforeAll(() => {
  fixture = makeMnistFixture(640, 100);
});
afterAll(() => rmSync(fixture, { recursive: true, force: true }));

function fakeIo(tty: boolean): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  let t = 0;
  return {
    out,
    err,
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
    stderrIsTty: tty,
    // A clock that advances 150 ms per reading, so the bar redraws on every batch and rates are exact.
    now: () => (t += 150),
  };
}

describe('runCli', () => {
  const args = (...extra: string[]) => [
    '--data-dir',
    join(fixture, 'data'),
    '--limit',
    '640',
    '--hidden',
    '8',
    ...extra,
  ];

  it('draws a progress bar on a terminal stderr, while stdout keeps only JSON lines', async () => {
    const io = fakeIo(true);
    const status = await runCli(args('--epochs', '2', '--json'), io);
    expect(status).toBe(EXIT.ok);
    const stdout = io.out.join('');
    expect(
      stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).epoch),
    ).toEqual([1, 2, 2]); // two epoch lines, then the stopped line
    expect(stdout).not.toContain('\r');
    const stderr = io.err.join('');
    expect(stderr).toMatch(/\r {2}epoch 1\/2 \[█+·*\] +\d+% · [\d,]+ samples\/s/);
    expect(stderr).toMatch(/\r {2}epoch 2\/2 \[█{30}\] 100%/);
  });

  it('moves the bar inside a micro-batched step: a full batch is one step an epoch', async () => {
    const io = fakeIo(true);
    // 640 rows × 101,770 parameters of 784-128-10 is twice the work one micro-batch may hold.
    const argv = args('--epochs', '1', '--json', '--batch', 'all').map((a) => (a === '8' ? '128' : a));
    expect(await runCli(argv, io)).toBe(EXIT.ok);
    const bars = io.err
      .join('')
      .split('\r')
      .filter((l) => l.includes('epoch 1/1'));
    const percents = bars.map((l) => Number(/(\d+)% ·/.exec(l)![1]));
    // Halfway through the one step, then its end.
    expect(percents).toEqual([50, 100]);
  });

  it('no bar when stderr is not a terminal, or with --no-progress', async () => {
    for (const [tty, extra] of [
      [false, []],
      [true, ['--no-progress']],
    ] as const) {
      const io = fakeIo(tty);
      expect(await runCli(args('--epochs', '1', ...extra), io)).toBe(EXIT.ok);
      expect(io.err.join('')).toBe('');
      expect(io.out.join('')).toMatch(/Test accuracy/);
    }
  });

  it('samples per second counts training time only', async () => {
    const io = fakeIo(false);
    expect(await runCli(args('--json', '--epochs', '1'), io)).toBe(EXIT.ok);
    const line = JSON.parse(io.out.join('').split('\n')[0]!);
    // Without the bar, the epoch's batches are timed by exactly two clock readings, 150 ms apart:
    // 640 samples / 0.15 s. Evaluation is outside that window.
    expect(line.samplesPerSecond).toBeCloseTo(640 / 0.15, 6);
  });
});
