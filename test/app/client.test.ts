/**
 * The worker client's routing, driven against a real Trainer through a fake Worker whose message pipe
 * is under the test's control (so "an old event still in flight" can be staged exactly).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_STATE, useConfigStore } from '../../src/store/config';
import { DEFAULT_CONFIG } from '../../src/engine/types';
import { INITIAL_RUN_STATE, useRunStore } from '../../src/store/run';
import { INITIAL_VIEW_STATE, useViewStore } from '../../src/store/view';
import { INITIAL_COST_STATE, useCostStore } from '../../src/store/cost';
import { initialTelemetry, telemetryStore } from '../../src/store/telemetry';
import { Trainer } from '../../src/training/trainer';
import { createWorkerClient, type ClientEnv, type WorkerLike } from '../../src/app/client';
import { memoryMyDigitsDb } from '../../src/app/myDigitsDb';
import { setMyDigitsDb } from '../../src/app/myDigitsActions';
import { INITIAL_MY_DIGITS_STATE, useMyDigitsStore } from '../../src/store/myDigits';
import type { Command, WorkerEvent } from '../../src/protocol/messages';
import { FakeClock, mnistSlice } from '../training/harness';

/** A Worker whose two directions are queues the test flushes. */
class FakeWorker implements WorkerLike {
  onmessage: ((ev: MessageEvent<WorkerEvent>) => void) | null = null;
  onerror: WorkerLike['onerror'] = null;
  terminated = false;
  readonly toWorker: Command[] = [];
  readonly sent: Command[] = [];
  readonly toPage: WorkerEvent[] = [];
  postMessage(message: Command, transfer: Transferable[]): void {
    const clone = structuredClone(message, { transfer });
    this.toWorker.push(clone);
    this.sent.push(clone);
  }
  terminate(): void {
    this.terminated = true;
  }
  /** Delivers queued events to the page (optionally only the first n). */
  deliver(n = Infinity): void {
    for (let i = 0; i < n && this.toPage.length > 0; i++) {
      this.onmessage?.({ data: this.toPage.shift()! } as MessageEvent<WorkerEvent>);
    }
  }
  sentOf<T extends Command['type']>(type: T): Extract<Command, { type: T }>[] {
    return this.sent.filter((c): c is Extract<Command, { type: T }> => c.type === type);
  }
}

function makeEnv(search = '') {
  const worker = new FakeWorker();
  const frames: (() => void)[] = [];
  const timers: (() => void)[] = [];
  const popListeners: (() => void)[] = [];
  const historyLog: { kind: 'push' | 'replace'; url: string }[] = [];
  const location = { href: `http://lab.test/app/${search}`, search, pathname: '/app/', hash: '' };
  const setUrl = (url: string) => {
    const u = new URL(url, 'http://lab.test');
    location.href = u.href;
    location.search = u.search;
  };
  let now = 0;
  const env: ClientEnv = {
    createWorker: () => worker,
    location,
    history: {
      pushState: (_d, _u, url) => {
        historyLog.push({ kind: 'push', url });
        setUrl(url);
      },
      replaceState: (_d, _u, url) => {
        historyLog.push({ kind: 'replace', url });
        setUrl(url);
      },
    },
    addPopStateListener: (fn) => popListeners.push(fn),
    requestAnimationFrame: (fn) => frames.push(fn),
    setTimeout: (fn) => timers.push(fn),
    now: () => now,
  };
  return {
    env,
    worker,
    historyLog,
    location,
    /** Runs the animation frames requested so far. */
    frame: () => frames.splice(0).forEach((f) => f()),
    advance: (ms: number) => (now += ms),
    popTo: (url: string) => {
      setUrl(url);
      popListeners.forEach((f) => f());
    },
    timers,
  };
}

/** A real trainer behind the fake worker; `pump` moves commands in and lets it work. */
function withTrainer(worker: FakeWorker) {
  const clock = new FakeClock();
  const trainer = new Trainer({
    post: (e, t) => worker.toPage.push(structuredClone(e, { transfer: (t ?? []) as Transferable[] })),
    clock,
    maxBatchesPerSlice: 4,
    evalLimit: 200,
  });
  trainer.setDataset(mnistSlice(1000, 200));
  const pump = (tasks = 0) => {
    for (const cmd of worker.toWorker.splice(0)) {
      // The client's load-data would fetch; the dataset is already set here.
      if (cmd.type !== 'load-data') trainer.handle(cmd);
    }
    clock.run(tasks);
  };
  return { trainer, clock, pump };
}

beforeEach(() => {
  useRunStore.setState({ ...INITIAL_RUN_STATE });
  useViewStore.setState({ ...INITIAL_VIEW_STATE });
  // As if the worker had announced its speed (a fast machine): the cost gate lets these sizes through.
  useCostStore.setState({ ...INITIAL_COST_STATE, calibration: 1e11 });
  telemetryStore.setState(initialTelemetry());
  useConfigStore.setState({
    ...DEFAULT_CONFIG_STATE,
    config: { ...DEFAULT_CONFIG_STATE.config, hidden: [...DEFAULT_CONFIG_STATE.config.hidden] },
  });
});

describe('worker client', () => {
  it('gives the worker the dataset’s own digits after each data load: at start, a new worker, a switch', async () => {
    setMyDigitsDb(memoryMyDigitsDb());
    useMyDigitsStore.setState({ ...INITIAL_MY_DIGITS_STATE });
    const { env, worker } = makeEnv();
    const client = createWorkerClient(env);
    await new Promise((r) => setTimeout(r, 0));
    const order = () =>
      worker.sent.map((c) => c.type).filter((t) => t === 'load-data' || t === 'set-my-digits');
    expect(order()).toEqual(['load-data', 'set-my-digits']);
    expect(useMyDigitsStore.getState()).toMatchObject({ dataset: 'mnist', loaded: true });
    await client.actions.saveDigit(2, new Float32Array(784).fill(0.5), []);
    expect(worker.sentOf('set-my-digits').at(-1)!.teach.count).toBe(1);
    client.actions.restartWorker();
    expect(order().slice(-2)).toEqual(['load-data', 'set-my-digits']);
    expect(worker.sentOf('set-my-digits').at(-1)!.teach.count).toBe(1);
    client.actions.setDataset('fashion-mnist');
    await new Promise((r) => setTimeout(r, 0));
    expect(order().slice(-2)).toEqual(['load-data', 'set-my-digits']);
    expect(worker.sentOf('set-my-digits').at(-1)!.teach.count).toBe(0);
    expect(useMyDigitsStore.getState()).toMatchObject({ dataset: 'fashion-mnist', digits: [] });
  });

  it('reads the URL, loads the data from the ?data folder, configures generation 1', () => {
    const { env, worker } = makeEnv('?hidden=32-16&lr=0.01&seed=7&data=broken');
    const client = createWorkerClient(env);
    const load = worker.sentOf('load-data')[0]!;
    expect(load.dataset).toBe('mnist');
    expect(load.baseUrl).toBe('http://lab.test/app/broken/');
    const conf = worker.sentOf('configure')[0]!;
    expect(conf.generation).toBe(1);
    expect(conf.config).toMatchObject({ hidden: [32, 16], learningRate: 0.01, seed: 7 });
    expect(useConfigStore.getState().config.seed).toBe(7);
    expect(client.generation).toBe(1);
    expect(useRunStore.getState().generation).toBe(1);
  });

  it('routes a real trainer’s stream into the stores; drops every event of an old generation', () => {
    const { env, worker, frame } = makeEnv('?hidden=16&batch=16');
    const client = createWorkerClient(env);
    const { pump } = withTrainer(worker);
    worker.sent.length = 0;
    client.actions.start();
    pump(20);
    worker.deliver();
    frame();
    const run1 = useRunStore.getState();
    expect(run1.status).toBe('training');
    const t1 = telemetryStore.getState();
    expect(t1.loss.x.length).toBeGreaterThan(0);
    expect(t1.snapshot?.layers.map((l) => l.outSize)).toEqual([16, 10]);
    // The generation's first snapshot is kept as the baseline (a copy of layer 0's weights).
    expect(t1.baseline?.weights.length).toBe(16 * 784);
    expect(t1.baseline?.seq).toBeLessThanOrEqual(t1.snapshot!.seq);
    expect(t1.baseline?.weights).not.toBe(t1.snapshot!.layers[0]!.weights);
    // The snapshot was acked after the frame.
    expect(worker.sentOf('ack-snapshot').map((a) => a.seq)).toEqual([t1.snapshot!.seq]);

    // Old-generation events pile up in the pipe; then the user changes the architecture.
    pump(20);
    const inFlight = worker.toPage.length;
    expect(inFlight).toBeGreaterThan(0);
    client.actions.updateConfig({ hidden: [24, 12] });
    expect(client.generation).toBe(2);
    expect(useRunStore.getState().notice).toBe('network reset');
    expect(telemetryStore.getState().loss.x).toEqual([]);
    // The old events arrive after the change: none of them may reach the stores.
    worker.deliver(inFlight);
    expect(telemetryStore.getState().loss.x).toEqual([]);
    expect(telemetryStore.getState().snapshot).toBeNull();
    expect(telemetryStore.getState().baseline).toBeNull();
    expect(useRunStore.getState().step).toBe(0);

    // The new network's stream is accepted.
    client.actions.start();
    pump(20);
    worker.deliver();
    frame();
    const t2 = telemetryStore.getState();
    // Steps 1…n of the new network, each once (the status, throttled, may lag behind the series).
    expect(t2.loss.x).toEqual(Array.from({ length: t2.loss.x.length }, (_, i) => i + 1));
    expect(t2.loss.x.length).toBeGreaterThanOrEqual(useRunStore.getState().step);
    expect(t2.snapshot?.layers.map((l) => l.outSize)).toEqual([24, 12, 10]);
    expect(t2.baseline?.weights.length).toBe(24 * 784);
    expect(useRunStore.getState().generation).toBe(2);
  });

  it('acks a snapshot only after the next animation frame (back-pressure follows drawing)', () => {
    const { env, worker, frame } = makeEnv('?hidden=16');
    createWorkerClient(env);
    const { pump } = withTrainer(worker);
    pump(2);
    worker.deliver();
    expect(telemetryStore.getState().snapshot).not.toBeNull();
    expect(worker.sentOf('ack-snapshot')).toEqual([]);
    frame();
    expect(worker.sentOf('ack-snapshot').length).toBe(1);
  });

  it('predict: at most one in flight, the latest pixels win; a cleared canvas ignores late answers', () => {
    const { env, worker } = makeEnv('?hidden=16');
    const client = createWorkerClient(env);
    const { pump } = withTrainer(worker);
    pump();
    worker.deliver();
    const img = (v: number) => new Float32Array(784).fill(v);
    client.actions.predict(img(0.1));
    client.actions.predict(img(0.2));
    client.actions.predict(img(0.3));
    expect(worker.sentOf('predict').length).toBe(1);
    pump();
    worker.deliver();
    // The first answer is stored, and the newest pixels were sent right after it.
    const sent = worker.sentOf('predict');
    expect(sent.length).toBe(2);
    expect(sent[1]!.pixels[0]).toBeCloseTo(0.3);
    expect(telemetryStore.getState().prediction?.id).toBe(sent[0]!.id);
    pump();
    worker.deliver();
    const p = telemetryStore.getState().prediction!;
    expect(p.id).toBe(sent[1]!.id);
    expect(p.activations[0]![0]).toBeCloseTo(0.3);
    expect(p.probabilities.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);

    client.actions.predict(img(0.4));
    client.actions.clearPrediction();
    pump();
    worker.deliver();
    expect(telemetryStore.getState().prediction).toBeNull();
  });

  it('hyper-parameters: update-config without a new generation; slider drags replace the history entry', () => {
    const { env, worker, historyLog, advance, location } = makeEnv();
    const client = createWorkerClient(env);
    worker.sent.length = 0;
    client.actions.updateConfig({ learningRate: 0.01 });
    advance(100);
    client.actions.updateConfig({ learningRate: 0.02 });
    advance(2000);
    const batch = DEFAULT_CONFIG.batchSize === 128 ? 256 : 128;
    client.actions.updateConfig({ batchSize: batch });
    expect(worker.sentOf('configure')).toEqual([]);
    expect(worker.sentOf('update-config').map((c) => [c.config.learningRate, c.config.batchSize])).toEqual([
      [0.01, DEFAULT_CONFIG.batchSize],
      [0.02, DEFAULT_CONFIG.batchSize],
      [0.02, batch],
    ]);
    expect(client.generation).toBe(1);
    expect(historyLog.map((h) => h.kind)).toEqual(['push', 'replace', 'push']);
    expect(new URLSearchParams(location.search).get('lr')).toBe('0.02');
    expect(new URLSearchParams(location.search).get('batch')).toBe(String(batch));
  });

  it('back/forward (popstate) restores the config and rebuilds when the shape differs', () => {
    const { env, worker, popTo } = makeEnv('?hidden=32');
    const client = createWorkerClient(env);
    client.actions.updateConfig({ hidden: [64, 32] });
    expect(client.generation).toBe(2);
    worker.sent.length = 0;
    popTo('/app/?hidden=32');
    expect(useConfigStore.getState().config.hidden).toEqual([32]);
    expect(worker.sentOf('configure').map((c) => c.config.hidden)).toEqual([[32]]);
    expect(client.generation).toBe(3);
  });

  it('a lesson’s link: every setting from the link, fresh weights, presenter mode and the data folder kept', () => {
    const { env, worker, historyLog, location, popTo } = makeEnv(
      '?data=dir&present=1&foo=500&momentum=0.5&lr=0.5',
    );
    const client = createWorkerClient(env);
    expect(useViewStore.getState()).toEqual({ lesson: null, present: true, lessonStep: 0 });
    worker.sent.length = 0;
    // Only the optimizer and rate change: no rebuild, but a reset (every set-up starts from its seed).
    client.actions.followLink('lesson=dead-relu&opt=sgd&lr=1', ['lesson', 'foo']);
    expect(worker.sent.map((c) => c.type)).toEqual(['update-config', 'reset']);
    expect(client.generation).toBe(2);
    const q = new URLSearchParams(location.search);
    expect([q.get('data'), q.get('present'), q.get('lesson'), q.get('foo')]).toEqual([
      'dir',
      '1',
      'dead-relu',
      null,
    ]);
    expect([q.get('opt'), q.get('lr'), q.get('momentum')]).toEqual(['sgd', '1', '0.9']);
    expect(useConfigStore.getState().config).toMatchObject({
      optimizer: 'sgd',
      learningRate: 1,
      momentum: 0.9,
    });
    expect(useViewStore.getState()).toEqual({ lesson: 'dead-relu', present: true, lessonStep: 0 });
    expect(historyLog.at(-1)!.kind).toBe('push');

    // Another architecture: a rebuild, no extra reset.
    worker.sent.length = 0;
    client.actions.followLink('lesson=no-hidden&hidden=none', ['lesson']);
    expect(worker.sent.map((c) => c.type)).toEqual(['configure']);
    expect(useConfigStore.getState().config.optimizer).toBe(DEFAULT_CONFIG.optimizer);

    // A view parameter: replaced, not pushed; back/forward brings the lesson back.
    client.actions.setView({ lesson: null, present: false });
    expect(historyLog.at(-1)!.kind).toBe('replace');
    expect(location.search).not.toMatch(/lesson|present/);
    expect(useViewStore.getState()).toEqual({ lesson: null, present: false, lessonStep: 0 });
    popTo('/app/?present=1&lesson=dead-relu&opt=sgd&lr=1');
    expect(useViewStore.getState()).toEqual({ lesson: 'dead-relu', present: true, lessonStep: 0 });
  });

  it('a lesson’s bare link builds its first set-up: the first configure is the lesson’s, the address says so', () => {
    const { env, worker, historyLog, location } = makeEnv('?lesson=vanishing&present=1&data=dir&workers=2');
    createWorkerClient(env);
    // One network built, the lesson's (not the default's first, then the lesson's).
    const configs = worker.sentOf('configure').map((c) => c.config);
    expect(configs).toHaveLength(1);
    expect(configs[0]).toMatchObject({
      hidden: [64, 64, 64, 64, 64],
      activation: 'sigmoid',
      init: 'xavier',
      optimizer: 'sgd',
      learningRate: 0.1,
      workers: 2,
    });
    // The same history entry, rewritten: Back leaves the page as before.
    expect(historyLog.map((h) => h.kind)).toEqual(['replace']);
    const q = new URLSearchParams(location.search);
    expect([q.get('lesson'), q.get('present'), q.get('data'), q.get('workers')]).toEqual([
      'vanishing',
      '1',
      'dir',
      '2',
    ]);
    expect([q.get('hidden'), q.get('act'), q.get('init')]).toEqual(['64-64-64-64-64', 'sigmoid', 'xavier']);
    expect(useViewStore.getState()).toEqual({ lesson: 'vanishing', present: true, lessonStep: 0 });
  });

  it('a lesson’s link with settings of its own keeps them: the address is not rewritten', () => {
    const { env, worker, historyLog, location } = makeEnv('?lesson=vanishing&lr=0.5');
    createWorkerClient(env);
    expect(historyLog).toEqual([]);
    expect(location.search).toBe('?lesson=vanishing&lr=0.5');
    expect(worker.sentOf('configure').map((c) => c.config)).toEqual([
      { ...DEFAULT_CONFIG, learningRate: 0.5 },
    ]);
  });

  it('dataset change: load-data + configure; progress of another dataset is ignored', () => {
    const { env, worker } = makeEnv();
    const client = createWorkerClient(env);
    worker.sent.length = 0;
    client.actions.setDataset('fashion-mnist');
    expect(worker.sent.map((c) => c.type)).toEqual(['load-data', 'configure']);
    expect(useConfigStore.getState().dataset).toBe('fashion-mnist');
    client.handleEvent({ type: 'data-progress', progress: { dataset: 'mnist', files: [] } });
    expect(useRunStore.getState().data.progress).toBeNull();
    client.handleEvent({
      type: 'data-progress',
      progress: { dataset: 'fashion-mnist', files: [{ file: 'a.gz', received: 1, total: 2 }] },
    });
    expect(useRunStore.getState().data.progress?.files[0]?.received).toBe(1);
    client.handleEvent({
      type: 'data-error',
      error: { kind: 'truncated', file: 'a.gz', message: 'a.gz is cut short' },
    });
    expect(useRunStore.getState().data.error?.file).toBe('a.gz');
    client.actions.retryData();
    expect(worker.sentOf('load-data').length).toBe(2);
  });

  it('model files: save resolves with the text; a bad load rejects and changes nothing; a good one adopts', async () => {
    const { env, worker } = makeEnv('?hidden=16');
    const client = createWorkerClient(env);
    const { pump } = withTrainer(worker);
    pump(3);
    worker.deliver();
    const saving = client.actions.saveModel();
    pump();
    worker.deliver();
    const text = await saving;
    expect(JSON.parse(text).format).toBe('backprop-lab-model');

    const bad = client.actions.loadModel('not json');
    pump();
    worker.deliver();
    await expect(bad).rejects.toThrow(/not valid JSON/);
    expect(client.generation).toBe(1);
    expect(useRunStore.getState().error).toBeNull();

    client.actions.updateConfig({ hidden: [8] });
    const good = client.actions.loadModel(text);
    pump();
    worker.deliver();
    await good;
    expect(client.generation).toBeGreaterThan(2);
    expect(useConfigStore.getState().config.hidden).toEqual([16]);
    expect(useRunStore.getState().notice).toBe('model loaded');

    const tf = client.actions.exportTfjs();
    pump();
    worker.deliver();
    expect((await tf).weightsBin.byteLength).toBeGreaterThan(0);
  });

  it('divergence lands in the run store; nothing non-finite in the series', () => {
    const { env, worker } = makeEnv('?hidden=32-16&batch=32&opt=sgd&lr=1000000');
    const client = createWorkerClient(env);
    const { pump, trainer } = withTrainer(worker);
    client.actions.start();
    pump(30);
    worker.deliver();
    expect(trainer.currentStatus).toBe('diverged');
    const run = useRunStore.getState();
    expect(run.status).toBe('diverged');
    expect(run.diverged?.message).toMatch(/The loss exploded at step \d+/);
    const { loss } = telemetryStore.getState();
    expect(loss.y.every(Number.isFinite)).toBe(true);
    expect(loss.x.length).toBe(run.diverged!.step - 1);
  });
});
