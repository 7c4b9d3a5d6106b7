/**
 * The trainer's threads (src/training/parallel/threads.ts) with real worker threads: a run starts at once
 * on one thread and moves onto the pool when it is ready (the same generation, its steps carried on);
 * changing `workers` moves it again; the `workers` event says what is in use and, in one line, why it is
 * fewer than asked (more than the cores, a page that is not isolated, workers that cannot start).
 */
import { describe, expect, it, vi } from 'vitest';
import { spawnNodeCompute } from '../../../src/cli/computeThreads';
import type { ComputeOptions } from '../../../src/training/parallel/threads';
import { Trainer } from '../../../src/training/trainer';
import { EventLog, FakeClock, mnistSlice, smallConfig } from '../harness';

function setup(compute: ComputeOptions, workers: number) {
  const clock = new FakeClock();
  const log = new EventLog();
  const trainer = new Trainer({ post: log.post, clock, maxBatchesPerSlice: 4, evalLimit: 100, compute });
  trainer.setDataset(mnistSlice(1000, 100));
  trainer.handle({ type: 'configure', generation: 1, config: smallConfig({ workers }) });
  const last = () => log.of('workers').at(-1);
  return { clock, log, trainer, last };
}

const NODE: ComputeOptions = { spawn: spawnNodeCompute, cores: 2, unavailable: null };

describe('Trainer threads', () => {
  it('moves the run onto two workers once they are ready, and back to one when asked', async () => {
    const { clock, log, trainer, last } = setup(NODE, 2);
    try {
      // Nothing waits for the threads: the session exists and trains on one until they are ready.
      expect(trainer.currentSession!.workers).toBe(1);
      trainer.handle({ type: 'start' });
      clock.runUntil(() => log.points().length >= 8);
      await vi.waitFor(() => expect(trainer.currentSession!.workers).toBe(2), { timeout: 30_000 });
      expect(last()).toEqual({ type: 'workers', used: 2, requested: 2, cores: 2, note: null });
      const before = trainer.step;
      clock.runUntil(() => log.points().length >= before + 8);
      // The same run: one generation, every step once, in order.
      const points = log.points();
      expect(new Set(points.map((p) => p.generation))).toEqual(new Set([1]));
      expect(points.map((p) => p.step)).toEqual(points.map((_, i) => i + 1));
      trainer.handle({ type: 'update-config', config: smallConfig({ workers: 1 }) });
      await vi.waitFor(() => expect(trainer.currentSession!.workers).toBe(1));
      expect(last()).toMatchObject({ used: 1, requested: 1, note: null });
    } finally {
      trainer.dispose();
    }
  });

  it('more workers than cores: clamped, with the note', async () => {
    const { trainer, last } = setup(NODE, 8);
    try {
      await vi.waitFor(() => expect(trainer.currentSession!.workers).toBe(2), { timeout: 30_000 });
      expect(last()).toEqual({
        type: 'workers',
        used: 2,
        requested: 8,
        cores: 2,
        note: '8 workers asked for; this machine has 2 cores: training on 2.',
      });
    } finally {
      trainer.dispose();
    }
  });

  it('a page that is not isolated trains on one worker and says why (only when more were asked)', () => {
    const { last, trainer } = setup({ spawn: spawnNodeCompute, cores: 4, unavailable: 'not-isolated' }, 0);
    expect(trainer.currentSession!.workers).toBe(1);
    expect(last()?.used).toBe(1);
    expect(last()?.note).toMatch(/^Training on 1 worker: this page is not cross-origin isolated/);
    trainer.handle({ type: 'update-config', config: smallConfig({ workers: 1 }) });
    expect(last()).toMatchObject({ used: 1, requested: 1, note: null });
  });

  it('compute workers that cannot start: one worker, and the note says so', async () => {
    const failing: ComputeOptions = {
      cores: 2,
      unavailable: null,
      spawn: () => ({
        post: () => undefined,
        terminate: () => undefined,
        ready: Promise.reject(new Error('no nested workers here')),
      }),
    };
    const { trainer, last } = setup(failing, 2);
    await vi.waitFor(() =>
      expect(last()?.note).toBe('Training on 1 worker: the compute workers could not start.'),
    );
    expect(trainer.currentSession!.workers).toBe(1);
    trainer.dispose();
  });
});
