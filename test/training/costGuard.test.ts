/**
 * The worker's own budget: a configure, update-config or model file over it gets an `error` (kind
 * 'over-budget') at once, and the network that was there stays, answering.
 */
import { describe, expect, it, vi } from 'vitest';
import { browserBudget } from '../../src/engine/cost';
import { Network } from '../../src/engine/network';
import { Trainer } from '../../src/training/trainer';
import { EventLog, FakeClock, mnistSlice, smallConfig } from './harness';

const HUGE = { hidden: Array(8).fill(4096) as number[], batchSize: 4096 };

function setup(flopsPerSecond: number | null = 3e9) {
  const clock = new FakeClock();
  const log = new EventLog();
  const trainer = new Trainer({
    post: log.post,
    clock,
    maxBatchesPerSlice: 4,
    evalLimit: 100,
    guard: { budget: browserBudget(8), flopsPerSecond },
  });
  trainer.setDataset(mnistSlice(500, 100));
  trainer.handle({ type: 'configure', generation: 1, config: smallConfig() });
  return { clock, log, trainer };
}

describe('the worker’s cost guard', () => {
  it('refuses the issue’s link at once, keeping the network and generation it had', () => {
    const { log, trainer } = setup();
    const before = trainer.currentSession;
    // "At once": judged from the configuration, without building any of its 120 M parameters (a build is
    // what would hang the worker) — whatever the machine's speed.
    const create = vi.spyOn(Network, 'create');
    trainer.handle({ type: 'configure', generation: 2, config: smallConfig(HUGE) });
    expect(create).not.toHaveBeenCalled();
    create.mockRestore();
    const err = log.of('error').at(-1)!;
    expect(err.error.kind).toBe('over-budget');
    expect(err.error.message).toMatch(/GB of memory.*current network is kept/);
    expect(trainer.currentSession).toBe(before);
    expect(trainer.currentGeneration).toBe(1);
    // Still answering: a step trains the old network.
    trainer.handle({ type: 'step' });
    expect(trainer.step).toBe(1);
  });

  it('never refuses on time: a batch of the whole set on a slow machine is built (micro-batched)', () => {
    const { log, trainer } = setup(1e8); // a slow machine: 0.1 GFLOP/s
    trainer.handle({ type: 'update-config', config: smallConfig({ batchSize: 60_000 }) });
    expect(log.of('error')).toHaveLength(0);
    expect(trainer.currentSession!.config.batchSize).toBe(60_000);
  });

  it('without a known speed, judges memory only', () => {
    const { log, trainer } = setup(null);
    trainer.handle({
      type: 'configure',
      generation: 2,
      config: smallConfig({ hidden: [64], batchSize: 4096 }),
    });
    expect(log.of('error')).toHaveLength(0);
    expect(trainer.currentGeneration).toBe(2);
  });
});
