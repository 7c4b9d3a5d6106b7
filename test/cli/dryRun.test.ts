/** `npm run train -- --dry-run`: the cost without training; over the budget, a refusal unless --force. */
import { describe, expect, it } from 'vitest';
import { performance } from 'node:perf_hooks';
import { runCli, type CliIo } from '../../src/cli/runTrain.ts';
import { parseArgs } from '../../src/cli/options.ts';

const HUGE = ['--hidden', Array(8).fill(4096).join(','), '--batch', '4096'];

async function run(argv: string[]) {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    stderrIsTty: false,
    now: () => performance.now(),
    // A 4 GiB machine: a budget of 2 GiB, whatever this machine has.
    totalMemoryBytes: 4 * 1024 ** 3,
  };
  // No data folder: a dry run must not need (or load) the dataset.
  const status = await runCli([...argv, '--data-dir', '/nonexistent'], io);
  return { status, out, err };
}

describe('--dry-run', () => {
  it('prints one JSON line with the figures and trains nothing', async () => {
    const r = await run(['--dry-run', '--json', '--hidden', '800']);
    expect(r.status).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ parameters: 636_010, layers: [628_000, 8_010], withinBudget: true });
    expect(line).not.toHaveProperty('epoch');
    expect(line.memoryBytes).toBeGreaterThan(60e6);
    expect(line.secondsPerBatch).toBeGreaterThan(0);
    expect(line.secondsPerEpoch).toBeGreaterThan(line.secondsPerBatch);
  });

  it('the issue’s configuration: refused with the reason (exit 2), accepted with --force', async () => {
    const r = await run(['--dry-run', ...HUGE]);
    expect(r.status).toBe(2);
    expect(r.out).toMatch(/120,725,514/);
    expect(r.err).toMatch(/needs 2\.8 GB of memory \(the limit here is 2\.0 GB\).*--force/);
    const forced = await run(['--dry-run', '--json', '--force', ...HUGE]);
    expect(forced.status).toBe(0);
    expect(JSON.parse(forced.out)).toMatchObject({ parameters: 120_725_514, withinBudget: false });
  });

  it('a real run over the budget is refused before any data is read', async () => {
    const r = await run(HUGE);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/Not training: pass --force/);
    expect(r.err).not.toMatch(/not prepared/);
  });

  it('parses the flags', async () => {
    const p = parseArgs(['--dry-run', '--force']);
    expect(p.kind === 'run' && [p.options.dryRun, p.options.force]).toEqual([true, true]);
  });
});
