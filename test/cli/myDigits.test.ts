/**
 * `npm run train -- --my-digits FILE.zip` (spawned, on a small MNIST fixture): the file's test half
 * evaluated every epoch (myDigitsAccuracy in the JSON lines and a column in the table), --mine-weight K
 * trains on its teach half, and bad files or flags are refused with the CLI's usual exit codes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDatasetFromDisk } from '../../src/cli/data.ts';
import type { MyDigit } from '../../src/data/myDigits.ts';
import { encodeMyDigits } from '../../src/data/myDigitsFile.ts';
import { ROOT, makeMnistFixture } from './fixtures.ts';

const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const CLI = join(ROOT, 'src', 'cli', 'train.ts');
const NAMES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

let fixture: string;
let dataDir: string;
let dir: string;
let zip: string;

/** Digits taken from the fixture's test images (real handwriting), alternating teach / test. */
function someDigits(count: number, dataset: MyDigit['dataset'] = 'mnist'): MyDigit[] {
  const { test } = loadDatasetFromDisk(dataDir, 'mnist');
  return Array.from({ length: count }, (_, i) => ({
    id: `d${i}`,
    dataset,
    label: test.labels[i]!,
    half: i % 2 === 0 ? 'teach' : 'test',
    pixels: test.images.slice(i * 784, (i + 1) * 784),
    strokes: [],
    savedAt: i,
  }));
}

beforeAll(() => {
  fixture = makeMnistFixture(600, 200);
  dataDir = join(fixture, 'data');
  dir = mkdtempSync(join(tmpdir(), 'my-digits-'));
  zip = join(dir, 'mine.zip');
  writeFileSync(zip, encodeMyDigits(someDigits(40), 'mnist', NAMES));
});

afterAll(() => {
  rmSync(fixture, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

function run(args: string[]) {
  const r = spawnSync(TSX, [CLI, '--data-dir', dataDir, '--limit', '600', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const lines = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('{"epoch"'))
    .map((l) => JSON.parse(l) as Record<string, number>);

describe('--my-digits', () => {
  it('evaluates the test half every epoch; without --mine-weight the run is the run without the file', () => {
    const r = run(['--epochs', '2', '--json', '--my-digits', zip]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const withFile = lines(r.stdout);
    expect(withFile).toHaveLength(2);
    for (const l of withFile) {
      expect(l.myDigitsAccuracy).toBeGreaterThanOrEqual(0);
      expect(l.myDigitsAccuracy).toBeLessThanOrEqual(1);
      // 20 test digits: a multiple of 1/20.
      expect(Math.abs(l.myDigitsAccuracy! * 20 - Math.round(l.myDigitsAccuracy! * 20))).toBeLessThan(1e-9);
    }
    const without = lines(run(['--epochs', '2', '--json']).stdout);
    const strip = (ls: Record<string, number>[]) =>
      ls.map(({ samplesPerSecond: _, myDigitsAccuracy: __, ...rest }) => rest);
    expect(strip(withFile)).toEqual(strip(without));
  });

  it('--mine-weight K trains on the teach half too: other figures, more samples, and a column in the table', () => {
    const r = run(['--epochs', '1', '--mine-weight', '20', '--my-digits', zip]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('My digits (');
    expect(r.stdout).toContain('20 to teach (each seen 20× per epoch), 20 to test');
    // 600 images + 20 digits × 20 = 1,000 samples: 8 batches of 128.
    expect(r.stdout).toContain('Training on 600 samples + 400 of my digits (8 batches per epoch)');
    expect(r.stdout).toMatch(/my digits\n/); // the table's last column
    expect(r.stdout).toMatch(/\d+\.\d\d%\n/);
  });

  it('--mine-weight without --my-digits is refused (exit 2, the flag named)', () => {
    const r = run(['--epochs', '1', '--mine-weight', '5']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--mine-weight needs --my-digits');
  });

  it('a bad file is refused with its name and the fault (exit 1), as a bad data file', () => {
    const notZip = join(dir, 'notes.zip');
    writeFileSync(notZip, 'just text');
    const r = run(['--epochs', '1', '--my-digits', notZip]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('notes.zip is not a zip file');
    const missing = run(['--epochs', '1', '--my-digits', join(dir, 'nope.zip')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('cannot read --my-digits');
    const fashion = join(dir, 'fashion.zip');
    writeFileSync(fashion, encodeMyDigits(someDigits(4, 'fashion-mnist'), 'fashion-mnist', NAMES));
    const other = run(['--epochs', '1', '--my-digits', fashion]);
    expect(other.status).toBe(1);
    expect(other.stderr).toContain('holds digits drawn for fashion-mnist');
  });
});
