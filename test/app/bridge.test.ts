/**
 * The bridge on its own (no store, no trainer): request ids, generations, predict coalescing and acks,
 * against a worker whose answers the test writes by hand.
 */
import { describe, expect, it } from 'vitest';
import { createBridge, type WorkerLike } from '../../src/app/bridge';
import type { Command, WorkerEvent } from '../../src/protocol/messages';

function setup() {
  const sent: Command[] = [];
  const seen: WorkerEvent[] = [];
  const generations: number[] = [];
  const frames: (() => void)[] = [];
  const worker: WorkerLike = {
    postMessage: (message) => sent.push(message),
    onmessage: null,
    onerror: null,
  };
  const bridge = createBridge(
    { createWorker: () => worker, requestAnimationFrame: (fn) => frames.push(fn) },
    {
      onEvent: (ev) => seen.push(ev),
      onGeneration: (g) => generations.push(g),
      onCrash: () => {},
    },
  );
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
  return { bridge, sent, seen, generations, frames, status };
}

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
