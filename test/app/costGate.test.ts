/**
 * A shared link is data, not a command: the page builds only what fits the budget. Over it, no configure
 * goes to the worker, the cost store says why and offers a smaller setting; a config that fits waits for
 * the worker's speed, then is built.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { browserBudget } from '../../src/engine/cost';
import { DEFAULT_CONFIG_STATE, useConfigStore } from '../../src/store/config';
import { INITIAL_COST_STATE, useCostStore } from '../../src/store/cost';
import { INITIAL_RUN_STATE, useRunStore } from '../../src/store/run';
import { createWorkerClient, type ClientEnv, type WorkerLike } from '../../src/app/client';
import type { Command, WorkerEvent } from '../../src/protocol/messages';

const LINK = '?hidden=4096-4096-4096-4096-4096-4096-4096-4096&batch=4096';

function start(search: string) {
  const sent: Command[] = [];
  let onmessage: ((ev: MessageEvent<WorkerEvent>) => void) | null = null;
  const worker: WorkerLike = {
    get onmessage() {
      return onmessage;
    },
    set onmessage(fn) {
      onmessage = fn;
    },
    onerror: null,
    postMessage: (m: Command) => sent.push(m),
  } as unknown as WorkerLike;
  const location = { href: `http://lab.test/${search}`, search, pathname: '/', hash: '' };
  const env: ClientEnv = {
    createWorker: () => worker,
    location,
    history: {
      pushState: (_d, _u, url) => (location.search = new URL(url, 'http://lab.test').search),
      replaceState: (_d, _u, url) => (location.search = new URL(url, 'http://lab.test').search),
    },
    addPopStateListener: () => {},
    requestAnimationFrame: () => {},
    setTimeout: () => {},
    now: () => 0,
  };
  const client = createWorkerClient(env);
  const deliver = (ev: WorkerEvent) => onmessage?.({ data: ev } as MessageEvent<WorkerEvent>);
  const of = (type: Command['type']) => sent.filter((c) => c.type === type);
  return { client, deliver, of };
}

beforeEach(() => {
  useRunStore.setState({ ...INITIAL_RUN_STATE });
  useCostStore.setState({ ...INITIAL_COST_STATE, budget: browserBudget(8) });
  useConfigStore.setState({ ...DEFAULT_CONFIG_STATE });
});

describe('cost gate', () => {
  it('the issue’s link: nothing built, the reason and a smaller setting; the smaller one builds', () => {
    const { client, deliver, of } = start(LINK);
    expect(of('configure')).toHaveLength(0);
    const held = useCostStore.getState().held!;
    expect(held.kind).toBe('over');
    expect(held.reason).toMatch(/GB of memory/);
    deliver({ type: 'calibration', flopsPerSecond: 3e9, budget: browserBudget(8), fixed: false });
    expect(of('configure')).toHaveLength(0);
    const { suggestion, reason } = useCostStore.getState().held!;
    // Memory alone refuses (time never does: large batches train as micro-batches).
    expect(reason).toMatch(/^This network needs 2\.8 GB of memory \(the limit here is 2\.0 GB\)\.$/);
    // Train and Step do nothing while held.
    client.actions.start();
    client.actions.step();
    expect(of('start')).toHaveLength(0);
    expect(of('step')).toHaveLength(0);
    client.actions.updateConfig({ hidden: suggestion!.hidden, batchSize: suggestion!.batchSize });
    expect(useCostStore.getState().held).toBeNull();
    expect(of('configure')).toHaveLength(1);
    client.actions.start();
    expect(of('start')).toHaveLength(1);
  });

  it('a config within the budget waits for the worker’s speed, then builds; a slow one asks first', () => {
    const { client, deliver, of } = start('?hidden=512-512-512-512-512-512-512-512&batch=16');
    expect(of('configure')).toHaveLength(0);
    expect(useCostStore.getState().held?.kind).toBe('waiting');
    deliver({ type: 'calibration', flopsPerSecond: 3e9, budget: browserBudget(8), fixed: false });
    expect(useCostStore.getState().held?.kind).toBe('slow');
    expect(of('configure')).toHaveLength(0);
    client.actions.confirmBuild();
    expect(of('configure')).toHaveLength(1);
    // Confirmed: a new learning rate does not ask again.
    client.actions.updateConfig({ learningRate: 0.01 });
    expect(useCostStore.getState().held).toBeNull();
    expect(of('update-config')).toHaveLength(1);
  });

  it('a speed a test fixed stays the speed: the slow verdict holds, training does not re-measure it', () => {
    const eight = '?hidden=400-400-400-400-400-400-400-400&batch=16';
    const { client, deliver, of } = start(eight);
    // 1 GFLOP/s: 140 MFLOP per batch is well within 0.25 s, its 3,750 batches over 2 min an epoch.
    deliver({ type: 'calibration', flopsPerSecond: 1e9, budget: browserBudget(8), fixed: true });
    expect(useCostStore.getState().held?.kind).toBe('slow');
    client.actions.confirmBuild();
    const configure = of('configure')[0] as Extract<Command, { type: 'configure' }>;
    // Training at 100× that speed would make the same network quick; the fixed figure is kept.
    deliver({
      type: 'status',
      generation: configure.generation,
      status: 'training',
      epoch: 0,
      step: 10,
      batchesPerEpoch: 3750,
      samplesPerSecond: 1e6,
      learningRate: 0.001,
    });
    expect(useRunStore.getState().status).toBe('training');
    expect(useCostStore.getState()).toMatchObject({ calibration: 1e9, speedFixed: true, measured: null });
  });

  it('a measured calibration is replaced by the speed training measures', () => {
    const { client, deliver, of } = start('?hidden=400-400-400-400-400-400-400-400&batch=16');
    deliver({ type: 'calibration', flopsPerSecond: 1e9, budget: browserBudget(8), fixed: false });
    client.actions.confirmBuild();
    const configure = of('configure')[0] as Extract<Command, { type: 'configure' }>;
    deliver({
      type: 'status',
      generation: configure.generation,
      status: 'training',
      epoch: 0,
      step: 10,
      batchesPerEpoch: 3750,
      samplesPerSecond: 1e6,
      learningRate: 0.001,
    });
    expect(useCostStore.getState().measured).toBeGreaterThan(1e9);
  });
});
