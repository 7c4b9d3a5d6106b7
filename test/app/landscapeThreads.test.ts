/**
 * The landscape's grid on the page's threads: the training worker's plan, cut into bands of rows, computed
 * by computeBand on each (here in-process, asynchronously, as a worker would), put back in order: the same
 * bits as the grid the training worker computes in one go; progress adds up; Cancel terminates them all.
 */
import { describe, expect, it } from 'vitest';
import { bands, computeGridOnThreads, type GridThread } from '../../src/app/landscapeThreads';
import type { WorkerEvent } from '../../src/protocol/messages';
import { computeBand, type GridBandTask } from '../../src/engine/landscapeBand';
import { Trainer } from '../../src/training/trainer';
import { EventLog, FakeClock, mnistSlice, smallConfig } from '../training/harness';

function planAndGrid(grid: number) {
  const clock = new FakeClock(25, 0.5);
  const log = new EventLog();
  const trainer = new Trainer({ post: log.post, clock, maxBatchesPerSlice: 4, evalLimit: 100 });
  trainer.setDataset(mnistSlice(600, 100));
  trainer.handle({ type: 'configure', generation: 1, config: smallConfig() });
  for (let i = 0; i < 5; i++) trainer.handle({ type: 'step' });
  const answered = (id: number) => () => log.events.some((e) => 'id' in e && e.id === id);
  trainer.handle({ type: 'landscape-plan', id: 1, grid, plane: 'auto' });
  clock.runUntil(answered(1));
  trainer.handle({ type: 'loss-landscape', id: 2, grid, plane: 'auto' });
  clock.runUntil(answered(2));
  const plan = log.events.find((e) => e.type === 'landscape-plan-result')!;
  const whole = log.events.find((e) => e.type === 'loss-landscape-result')!;
  return {
    plan: plan as Extract<WorkerEvent, { type: 'landscape-plan-result' }>,
    whole: whole as Extract<WorkerEvent, { type: 'loss-landscape-result' }>,
  };
}

/** A thread that runs computeBand a task later, as a worker would. */
function fakeThreads() {
  const started: { terminated: boolean }[] = [];
  const start = (): GridThread => {
    const t: GridThread & { terminated: boolean } = {
      terminated: false,
      onmessage: null,
      onerror: null,
      postMessage(task: GridBandTask) {
        setTimeout(
          () =>
            computeBand(
              task,
              (m) => !t.terminated && t.onmessage?.({ data: m }),
              () => performance.now(),
            ),
          0,
        );
      },
      terminate() {
        t.terminated = true;
      },
    };
    started.push(t);
    return t;
  };
  return { start, started };
}

describe('the landscape on the page’s threads', () => {
  it('bands cover the rows once, in order', () => {
    expect(bands(31, 2)).toEqual([
      [0, 15],
      [15, 31],
    ]);
    expect(bands(5, 8)).toHaveLength(5);
    expect(bands(31, 3).flatMap(([a, b]) => Array.from({ length: b - a }, (_, i) => a + i))).toEqual(
      Array.from({ length: 31 }, (_, i) => i),
    );
  });

  it('the bands put together are the training worker’s own grid, bit for bit', async () => {
    const { plan, whole } = planAndGrid(7);
    expect(plan.plane).toBe(whole.plane);
    expect(Array.from(plan.alphas)).toEqual(Array.from(whole.alphas));
    expect(Array.from(plan.path)).toEqual(Array.from(whole.path));
    for (const threads of [1, 2, 3]) {
      const { start, started } = fakeThreads();
      const seen: number[] = [];
      const run = computeGridOnThreads(plan, threads, start, (done, total) => {
        expect(total).toBe(49);
        seen.push(done);
      });
      const { losses, threads: used } = await run.result;
      expect(used).toBe(threads);
      expect(started.every((t) => t.terminated)).toBe(true);
      expect(Array.from(losses)).toEqual(Array.from(whole.losses));
      expect(seen.at(-1)).toBe(49);
    }
  });

  it('Cancel terminates every thread and rejects', async () => {
    const { plan } = planAndGrid(5);
    const { start, started } = fakeThreads();
    const run = computeGridOnThreads(plan, 2, start, () => {});
    run.cancel();
    await expect(run.result).rejects.toThrow('cancelled');
    expect(started.every((t) => t.terminated)).toBe(true);
  });

  it('a thread that never says a word is given up on: the run rejects as a failed thread, all terminated', async () => {
    const { plan, whole } = planAndGrid(5);
    const pending: { fn: () => void; ms: number; cleared: boolean }[] = [];
    const timers = {
      set: (fn: () => void, ms: number) => {
        const t = { fn, ms, cleared: false };
        pending.push(t);
        return t;
      },
      clear: (h: unknown) => {
        (h as { cleared: boolean }).cleared = true;
      },
    };
    // Thread 0 works (it says 'started', as the real thread's script does, then computes); thread 1 is
    // the stalled start: it takes its task and never answers.
    const { start: working, started } = fakeThreads();
    let n = 0;
    const silent = { terminated: 0 };
    const start = (): GridThread => {
      if (n++ === 0) {
        const t = working();
        setTimeout(() => t.onmessage?.({ data: { type: 'started' } }), 0);
        return t;
      }
      return {
        onmessage: null,
        onerror: null,
        postMessage() {},
        terminate() {
          silent.terminated++;
        },
      };
    };
    const run = computeGridOnThreads(plan, 2, start, () => {}, timers, 10_000);
    expect(pending.map((t) => t.ms)).toEqual([10_000, 10_000]);
    await new Promise((r) => setTimeout(r, 20));
    // The working thread's word cleared its watchdog; the silent one's is still armed.
    expect(pending[0]!.cleared).toBe(true);
    expect(pending[1]!.cleared).toBe(false);
    pending[1]!.fn();
    await expect(run.result).rejects.toThrow(/thread failed: it did not start within 10 s/);
    expect(silent.terminated).toBeGreaterThanOrEqual(1);
    expect(started.every((t) => t.terminated)).toBe(true);

    // Threads that answer: every watchdog cleared, the grid as before.
    pending.length = 0;
    const ok = fakeThreads();
    const done = await computeGridOnThreads(plan, 2, ok.start, () => {}, timers, 10_000).result;
    expect(Array.from(done.losses)).toEqual(Array.from(whole.losses));
    expect(pending.every((t) => t.cleared)).toBe(true);
  });
});
