/**
 * The divergence rule (src/training/divergence.ts): on the losses of real runs recorded with
 * test/fixtures/divergence/record.ts, and live on real MNIST (short runs: a few to a few hundred batches).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/engine/types.ts';
import {
  BLOCK,
  BLOWUP_BATCHES,
  DivergenceWatch,
  STUCK_BLOCKS,
  type Divergence,
} from '../../src/training/divergence.ts';
import { TrainingSession } from '../../src/training/session.ts';
import type { RecordedRun } from '../fixtures/divergence/record.ts';
import { loadMnist } from '../engine/helpers.ts';

const RECORDED: RecordedRun[] = JSON.parse(
  readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'divergence', 'losses.json'), 'utf8'),
);

/** The first verdict on `losses` and its step (from 1), or null. */
function firstVerdict(losses: Iterable<number>): { step: number; verdict: Divergence } | null {
  const watch = new DivergenceWatch(10);
  let step = 0;
  for (const loss of losses) {
    step++;
    const verdict = watch.push(loss);
    if (verdict) return { step, verdict };
  }
  return null;
}

describe('divergence rule on recorded runs', () => {
  it.each(RECORDED.filter((r) => r.diverges).map((r) => [r.command, r] as const))('%s: stopped', (_, run) => {
    const hit = firstVerdict(run.losses);
    expect(hit).not.toBeNull();
    // A blow-up within a few batches; a loss stuck high within its 100-batch window (+ one block).
    if (hit!.verdict.reason === 'blew-up') expect(hit!.step).toBe(1 + BLOWUP_BATCHES);
    else expect(hit!.step).toBeLessThanOrEqual((STUCK_BLOCKS + 1) * BLOCK);
    expect(hit!.verdict.message).toMatch(/try a smaller learning rate/);
  });

  it.each(RECORDED.filter((r) => !r.diverges).map((r) => [r.command, r] as const))(
    '%s: recovers, never stopped',
    (_, run) => {
      expect(Math.max(...run.losses) / run.losses[0]!).toBeGreaterThan(1); // the alarming part is there
      expect(firstVerdict(run.losses)).toBeNull();
    },
  );

  it('SGD and Adam at lr 1000 blow up (step 4); SGD at 1e6 from uniform(0, 1) is stuck high (step 125)', () => {
    const by = (command: string) => firstVerdict(RECORDED.find((r) => r.command === command)!.losses)!;
    expect(by('--lr 1000 --optimizer sgd --limit 5000')).toMatchObject({
      step: 4,
      verdict: { reason: 'blew-up' },
    });
    expect(by('--lr 1000 --limit 5000')).toMatchObject({ step: 4, verdict: { reason: 'blew-up' } });
    expect(by('--lr 1000')).toMatchObject({ step: 4, verdict: { reason: 'blew-up' } });
    expect(by('--lr 1000000 --optimizer sgd --init uniform')).toMatchObject({
      step: 125,
      verdict: { reason: 'stuck-high' },
    });
  });
});

describe('DivergenceWatch', () => {
  it('a single huge spike that comes back is not a verdict; three in a row are', () => {
    expect(firstVerdict([2.3, 2.2, 5e6, 2.1, 2.0, 5e6, 5e6, 1.9])).toBeNull();
    expect(firstVerdict([2.3, 2.2, 5e6, 5e6, 5e6])).toMatchObject({ step: 5 });
  });

  it('the reference is floored at ln(classes): a trained model’s tiny early losses do not make 0.1 “high”', () => {
    const watch = new DivergenceWatch(10);
    const losses = [0.001, ...Array<number>(400).fill(0.1)];
    expect(losses.map((l) => watch.push(l)).filter(Boolean)).toEqual([]);
    expect(watch.reference).toBeCloseTo(Math.log(10));
  });

  it('a loss stuck far above where it began is stopped; the same loss falling is not', () => {
    const flat = Array.from({ length: 200 }, (_, i) => (i < 10 ? 2.3 : 30));
    expect(firstVerdict(flat)).toMatchObject({ verdict: { reason: 'stuck-high' } });
    const falling = Array.from({ length: 400 }, (_, i) => (i < 10 ? 2.3 : 300 * 0.98 ** i));
    expect(firstVerdict(falling)).toBeNull();
  });

  it('ignores non-finite losses (the caller stops on those) and starts over after a verdict', () => {
    const watch = new DivergenceWatch(10);
    expect(watch.push(NaN)).toBeNull();
    expect(watch.reference).toBe(Infinity);
    for (const l of [2.3, 1e5, 1e5]) expect(watch.push(l)).toBeNull();
    expect(watch.push(1e5)).not.toBeNull();
    // Training on: the new reference is the loss the user chose to keep.
    expect(watch.reference).toBe(Infinity);
    for (let i = 0; i < 300; i++) expect(watch.push(1e5)).toBeNull();
  });
});

describe('divergence rule live, real MNIST', () => {
  const data = loadMnist();
  function train(patch: Partial<TrainConfig>, steps: number, limit?: number) {
    const session = new TrainingSession({ ...DEFAULT_CONFIG, ...patch }, data, { trainLimit: limit });
    const losses: number[] = [];
    const hit = firstVerdict(
      (function* () {
        for (let i = 0; i < steps; i++) {
          const { loss } = session.trainBatch();
          losses.push(loss);
          yield loss;
        }
      })(),
    );
    return { hit, losses };
  }

  it('SGD at lr 1000 (--limit 5000) is stopped at step 4, its loss still finite', () => {
    const { hit, losses } = train({ optimizer: 'sgd', learningRate: 1000 }, 50, 5000);
    expect(hit).toMatchObject({ step: 4, verdict: { reason: 'blew-up' } });
    expect(losses.every(Number.isFinite)).toBe(true);
  });

  it('Adam at lr 1000 is stopped at step 4', () => {
    expect(train({ learningRate: 1000 }, 50, 5000).hit).toMatchObject({ step: 4 });
  });

  it('the uniform(0, 1) init lesson runs on: its loss starts near 55,000 and falls', () => {
    const { hit, losses } = train({ init: 'uniform' }, 150, 10_000);
    expect(hit).toBeNull();
    expect(losses[0]).toBeGreaterThan(3e4);
    const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
    expect(mean(losses.slice(-25))).toBeLessThan(mean(losses.slice(0, 25)) / 10);
  }, 15_000);

  it('Adam at 0.05 spikes and recovers: not stopped', () => {
    const { hit, losses } = train({ learningRate: 0.05 }, 120, 10_000);
    expect(hit).toBeNull();
    expect(Math.max(...losses.slice(0, 10))).toBeGreaterThan(4 * losses[0]!);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
  }, 15_000);
});
