// @vitest-environment jsdom
/**
 * The page singleton: initWorkerClient() with the browser's own globals (jsdom's location, history and
 * popstate; a stubbed Worker), checking the wiring that the injected-env tests cannot see.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Command, WorkerEvent } from '../../src/protocol/messages';
import { useCostStore } from '../../src/store/cost';

const created: StubWorker[] = [];

class StubWorker {
  onmessage: ((ev: MessageEvent<WorkerEvent>) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  readonly sent: Command[] = [];
  constructor(
    readonly url: URL | string,
    readonly options?: WorkerOptions,
  ) {
    created.push(this);
  }
  postMessage(message: Command): void {
    this.sent.push(message);
  }
  terminate(): void {}
}

beforeAll(() => {
  vi.stubGlobal('Worker', StubWorker);
  window.history.replaceState(null, '', '/lab/?hidden=64&seed=3&data=broken');
});

afterAll(() => {
  vi.unstubAllGlobals();
});

describe('initWorkerClient (browser globals)', () => {
  it('creates one module worker, reads the page URL, writes it back, follows back/forward', async () => {
    useCostStore.setState({ calibration: 1e11 });
    const { initWorkerClient, actions } = await import('../../src/app/client');
    const { useConfigStore } = await import('../../src/store/config');
    const { useRunStore } = await import('../../src/store/run');
    initWorkerClient();
    initWorkerClient();
    expect(created.length).toBe(1);
    const w = created[0]!;
    expect(String(w.url)).toMatch(/training\.worker\.ts/);
    expect(w.options).toEqual({ type: 'module' });
    expect(w.sent.map((c) => c.type)).toEqual(['load-data', 'configure']);
    const load = w.sent[0] as Extract<Command, { type: 'load-data' }>;
    expect(load.baseUrl).toBe(`${window.location.origin}/lab/broken/`);
    expect(useConfigStore.getState().config).toMatchObject({ hidden: [64], seed: 3 });

    // A worker event reaches the run store through onmessage.
    w.onmessage?.({
      data: {
        type: 'status',
        generation: 1,
        status: 'training',
        epoch: 0,
        step: 5,
        batchesPerEpoch: 938,
        samplesPerSecond: 1000,
        learningRate: 0.001,
      },
    } as MessageEvent<WorkerEvent>);
    expect(useRunStore.getState()).toMatchObject({ status: 'training', step: 5 });

    // A change is pushed into the real history, the foreign ?data= kept.
    actions.updateConfig({ seed: 9 });
    const q = new URLSearchParams(window.location.search);
    expect(q.get('seed')).toBe('9');
    expect(q.get('data')).toBe('broken');
    expect(w.sent.at(-1)).toMatchObject({ type: 'configure', generation: 2 });

    // Back: the popstate listener restores seed 3 and rebuilds.
    window.history.back();
    await new Promise((r) => window.addEventListener('popstate', r, { once: true }));
    expect(new URLSearchParams(window.location.search).get('seed')).toBe('3');
    expect(useConfigStore.getState().config.seed).toBe(3);
    expect(w.sent.at(-1)).toMatchObject({ type: 'configure', generation: 3 });
  });
});
