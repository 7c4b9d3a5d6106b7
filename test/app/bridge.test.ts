/**
 * The bridge on its own (no store, no trainer): request ids, generations, predict coalescing and acks,
 * against a worker whose answers the test writes by hand.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBridge, WATCHDOG, type LostReason, type WorkerLike } from '../../src/app/bridge';
import type { Command, WorkerEvent } from '../../src/protocol/messages';

function setup() {
  const sent: Command[] = [];
  const seen: WorkerEvent[] = [];
  const generations: number[] = [];
  const frames: (() => void)[] = [];
  const workers: (WorkerLike & { terminated: boolean })[] = [];
  const lost: { reason: LostReason; message: string }[] = [];
  const workerErrors: string[] = [];
  const bridge = createBridge(
    {
      createWorker: () => {
        const w = {
          postMessage: (message: Command) => sent.push(message),
          onmessage: null,
          onerror: null,
          terminated: false,
          terminate: () => {
            w.terminated = true;
          },
        };
        workers.push(w);
        return w;
      },
      requestAnimationFrame: (fn) => frames.push(fn),
      // Fake timers (vi.useFakeTimers) drive both.
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      now: () => Date.now(),
    },
    {
      onEvent: (ev) => seen.push(ev),
      onGeneration: (g) => generations.push(g),
      onLost: (reason, message) => lost.push({ reason, message }),
      onWorkerError: (message) => workerErrors.push(message),
    },
  );
  /** The current worker posts `ev` to the page (as its onmessage would see it). */
  const post = (ev: WorkerEvent) => workers.at(-1)!.onmessage?.({ data: ev } as MessageEvent<WorkerEvent>);
  /** The current worker's error event; returns whether the page called preventDefault. */
  const fail = (message: string): boolean => {
    let prevented = false;
    workers.at(-1)!.onerror?.({ message, preventDefault: () => (prevented = true) });
    return prevented;
  };
  const status = (generation: number): WorkerEvent => ({
    type: 'status',
    generation,
    status: 'idle',
    epoch: 0,
    step: 0,
    batchesPerEpoch: 1,
    samplesPerSecond: 0,
    learningRate: 0.1,
  });
  return { bridge, sent, seen, generations, frames, status, workers, lost, workerErrors, post, fail };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('bridge', () => {
  it('numbers requests and settles them by id: answer → resolve, error → reject (not shown)', async () => {
    const { bridge, sent, seen } = setup();
    const save = bridge.request('save-model', {});
    const exp = bridge.request('export-tfjs', {});
    const [a, b] = sent as Extract<Command, { id: number }>[];
    expect(a).toEqual({ type: 'save-model', id: a!.id });
    expect(b!.id).not.toBe(a!.id);
    bridge.receive({ type: 'error', id: b!.id, error: { kind: 'x', message: 'no network' } });
    bridge.receive({ type: 'model-saved', id: a!.id, text: '{}' });
    await expect(save).resolves.toMatchObject({ text: '{}' });
    await expect(exp).rejects.toThrow('no network');
    expect(seen.map((e) => e.type)).toEqual(['model-saved']);
  });

  it('a landscape’s progress reaches the stores and leaves its request waiting for the answer', async () => {
    const { bridge, sent, seen } = setup();
    const land = bridge.request('loss-landscape', { grid: 5, plane: 'auto' });
    const { id } = sent[0] as Extract<Command, { id: number }>;
    const progress: WorkerEvent = {
      type: 'loss-landscape-progress',
      request: id,
      generation: 0,
      done: 3,
      total: 25,
    };
    bridge.receive(progress);
    expect(seen).toEqual([progress]);
    bridge.receive({
      type: 'error',
      id,
      error: { kind: 'landscape-cancelled', message: 'The landscape was cancelled.' },
    });
    await expect(land).rejects.toThrow('cancelled');
  });

  it('drops events of other generations; adopts a loaded model’s generation only on success', async () => {
    const { bridge, sent, seen, generations, status } = setup();
    bridge.startGeneration((generation) => ({ type: 'reset', generation }));
    expect(sent).toEqual([{ type: 'reset', generation: 1 }]);
    expect(generations).toEqual([1]);
    bridge.receive(status(0));
    bridge.receive(status(1));
    expect(seen).toEqual([status(1)]);
    const proposed = bridge.proposeGeneration();
    const loading = bridge.request('load-model', { generation: proposed, text: 'x' });
    expect(bridge.generation).toBe(1);
    const { id } = sent[1] as Extract<Command, { type: 'load-model' }>;
    bridge.receive({ type: 'model-loaded', id, generation: proposed, config: {} as never });
    await loading;
    expect(bridge.generation).toBe(proposed);
    expect(generations).toEqual([1, proposed]);
  });

  it('one predict in flight, the newest pixels next; acks a snapshot after the next frame', () => {
    const { bridge, sent, seen, frames } = setup();
    bridge.predict(new Float32Array([0.1]));
    bridge.predict(new Float32Array([0.2]));
    bridge.predict(new Float32Array([0.3]));
    const predicts = () =>
      sent.filter((c): c is Extract<Command, { type: 'predict' }> => c.type === 'predict');
    expect(predicts().length).toBe(1);
    const answer = (id: number): WorkerEvent => ({
      type: 'prediction',
      id,
      generation: 0,
      probabilities: new Float32Array(1),
      activations: [],
      logits: new Float32Array(1),
    });
    bridge.receive(answer(predicts()[0]!.id));
    expect(predicts().map((p) => p.pixels[0])).toEqual([Math.fround(0.1), Math.fround(0.3)]);
    bridge.clearPrediction();
    bridge.receive(answer(predicts()[1]!.id));
    expect(seen.filter((e) => e.type === 'prediction').length).toBe(1);

    bridge.receive({
      type: 'snapshot',
      generation: 0,
      seq: 7,
      step: 0,
      epoch: 0,
      layers: [],
      probe: { pixels: new Float32Array(1), label: 0, activations: [] },
    });
    expect(sent.some((c) => c.type === 'ack-snapshot')).toBe(false);
    frames.forEach((f) => f());
    expect(sent.at(-1)).toEqual({ type: 'ack-snapshot', seq: 7 });
  });
});

describe('bridge watchdog (fake worker, fake timers)', () => {
  const HELLO: WorkerEvent = { type: 'hello', version: 1 };
  const BEAT: WorkerEvent = { type: 'heartbeat' };

  it('a worker that beats every second — or every 2 s, busy with 1 s slices — is never given up', () => {
    const { post, lost, seen } = setup();
    post(HELLO);
    for (let i = 0; i < 30; i++) {
      vi.advanceTimersByTime(1000);
      post(BEAT);
    }
    for (let i = 0; i < 30; i++) {
      vi.advanceTimersByTime(2000);
      post(BEAT);
    }
    expect(lost).toEqual([]);
    // Heartbeats are the watchdog's: the page's router never sees them.
    expect(seen.map((e) => e.type)).toEqual(['hello']);
  });

  it('silence (closed, crashed or hung) is noticed within 3–3.25 s: terminated, requests rejected, nothing sent', async () => {
    const { bridge, post, lost, workers, sent } = setup();
    post(HELLO);
    vi.advanceTimersByTime(500);
    post(BEAT);
    const saving = bridge.request('save-model', {});
    const t0 = Date.now();
    let noticedAfter = -1;
    while (noticedAfter < 0 && Date.now() - t0 < 10_000) {
      vi.advanceTimersByTime(50);
      if (lost.length) noticedAfter = Date.now() - t0;
    }
    expect(noticedAfter).toBeGreaterThan(WATCHDOG.SILENCE_MS);
    expect(noticedAfter).toBeLessThanOrEqual(WATCHDOG.SILENCE_MS + WATCHDOG.CHECK_MS);
    expect(lost).toEqual([{ reason: 'silent', message: expect.stringMatching(/stopped answering/) }]);
    expect(workers[0]!.terminated).toBe(true);
    expect(bridge.lost).toBe(true);
    await expect(saving).rejects.toThrow(/worker stopped/);
    const n = sent.length;
    bridge.send({ type: 'start' });
    expect(sent.length).toBe(n);
    vi.advanceTimersByTime(60_000);
    expect(lost.length).toBe(1);
  });

  it('no first message within START_MS, or an error before it (the script failed to load): lost', () => {
    const slow = setup();
    vi.advanceTimersByTime(WATCHDOG.START_MS - 500);
    expect(slow.lost).toEqual([]);
    vi.advanceTimersByTime(1000);
    expect(slow.lost.map((l) => l.reason)).toEqual(['no-start']);

    const broken = setup();
    expect(broken.fail('Failed to fetch a worker script')).toBe(true);
    expect(broken.lost).toEqual([
      { reason: 'load-failed', message: expect.stringMatching(/could not start/) },
    ]);
    expect(broken.workers[0]!.terminated).toBe(true);
  });

  it('an uncaught error in a live worker is reported as such (not a page error, not a loss) — unless the beat stops', () => {
    const { post, fail, lost, workerErrors } = setup();
    post(HELLO);
    expect(fail('Uncaught Error: boom')).toBe(true);
    expect(workerErrors).toEqual(['Uncaught Error: boom']);
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(1000);
      post(BEAT);
    }
    expect(lost).toEqual([]);
    vi.advanceTimersByTime(WATCHDOG.SILENCE_MS + WATCHDOG.CHECK_MS);
    expect(lost.map((l) => l.reason)).toEqual(['silent']);
  });

  it('a late check (this page busy or throttled) looks again rather than judge queued messages', () => {
    const { post, lost } = setup();
    post(HELLO);
    // The page's thread is blocked for 5 s: no timer runs; the worker's beats wait in the queue.
    vi.setSystemTime(Date.now() + 5000);
    vi.advanceTimersByTime(WATCHDOG.CHECK_MS);
    post(BEAT); // the queued beat is handled after the late check
    vi.advanceTimersByTime(1000);
    expect(lost).toEqual([]);
  });

  it('restart: the old worker terminated, a new one watched; its messages flow again', () => {
    const { bridge, post, lost, workers, sent, seen } = setup();
    post(HELLO);
    vi.advanceTimersByTime(WATCHDOG.SILENCE_MS + WATCHDOG.CHECK_MS);
    expect(lost.length).toBe(1);
    const old = workers[0]!;
    bridge.restart();
    expect(workers.length).toBe(2);
    expect(bridge.lost).toBe(false);
    // A late message of the old worker is not the new one's sign of life.
    old.onmessage?.({ data: HELLO } as MessageEvent<WorkerEvent>);
    bridge.send({ type: 'start' });
    expect(sent.at(-1)).toEqual({ type: 'start' });
    post(HELLO);
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(1000);
      post(BEAT);
    }
    expect(lost.length).toBe(1);
    expect(seen.filter((e) => e.type === 'hello').length).toBe(2);
    vi.advanceTimersByTime(WATCHDOG.SILENCE_MS + WATCHDOG.CHECK_MS);
    expect(lost.length).toBe(2);
  });
});
