/**
 * The representation map through the trainer: asked like the page asks, computed in pieces between
 * training slices, from the weights of the moment it was asked; its dots are the engine's own activations
 * projected, its predictions the engine's, and a second map of the same layer is aligned to the first.
 */
import { describe, expect, it } from 'vitest';
import { Network, layerSizes } from '../../src/engine/network';
import { projectPoint } from '../../src/engine/pca';
import { toFloatPixels } from '../../src/engine/evaluate';
import type { MapLayer, WorkerEvent } from '../../src/protocol/messages';
import { MAP_IMAGES, mapIndices, mapPieceRows } from '../../src/training/hiddenMap';
import { Trainer } from '../../src/training/trainer';
import { EventLog, FakeClock, mnistSlice, smallConfig } from './harness';

type MapEvent = Extract<WorkerEvent, { type: 'hidden-map-result' }>;

function setup(testCount = 600, nowStepMs = 0.5) {
  const clock = new FakeClock(25, nowStepMs);
  const log = new EventLog();
  const trainer = new Trainer({ post: log.post, clock, maxBatchesPerSlice: 4, evalLimit: 100 });
  trainer.setDataset(mnistSlice(1000, testCount));
  trainer.handle({ type: 'configure', generation: 1, config: smallConfig() });
  return { clock, log, trainer };
}

function ask(t: ReturnType<typeof setup>, id: number, layer: MapLayer, withImages = false): MapEvent {
  t.trainer.handle({ type: 'hidden-map', id, layer, withImages });
  t.clock.runUntil(() => t.log.events.some((e) => 'id' in e && e.id === id));
  const ev = t.log.events.find((e) => 'id' in e && e.id === id)!;
  if (ev.type !== 'hidden-map-result') throw new Error(`no map: ${JSON.stringify(ev)}`);
  return ev;
}

describe('hidden-map', () => {
  it('projects the engine’s own activations of the fixed test images; predictions are the engine’s', () => {
    const t = setup();
    t.trainer.handle({ type: 'step' });
    const net = t.trainer.currentSession!.network;
    const test = mnistSlice(1000, 600).test;
    let id = 10;
    for (const [layer, index] of [
      [0, 1],
      [1, 2],
      ['output', null],
      ['input', 0],
    ] as [MapLayer, number | null][]) {
      const map = ask(t, ++id, layer, true);
      expect(map.layer).toBe(layer);
      expect(Array.from(map.indices)).toEqual(Array.from(mapIndices(600)));
      expect(map.coords.length).toBe(2 * 600);
      expect(map.knn).toBeGreaterThan(0);
      expect(map.knn).toBeLessThanOrEqual(1);
      expect(map.images!.length).toBe(600 * 784);
      for (const k of [0, 17, 599]) {
        const i = map.indices[k]!;
        expect(map.labels[k]).toBe(test.labels[i]);
        const x = new Float32Array(784);
        toFloatPixels(test.images, i * 784, 784, x);
        const p = net.predict(x);
        const a = index === null ? p.logits : p.activations[index]!;
        expect(a.length).toBe(map.size);
        const [px, py] = projectPoint(map, a);
        expect(map.coords[2 * k]).toBeCloseTo(px, 3);
        expect(map.coords[2 * k + 1]).toBeCloseTo(py, 3);
        let best = 0;
        for (let c = 1; c < 10; c++) if (p.probabilities[c]! > p.probabilities[best]!) best = c;
        expect(map.predicted[k]).toBe(best);
        expect(Array.from(map.images!.subarray(k * 784, (k + 1) * 784))).toEqual(
          Array.from(test.images.subarray(i * 784, (i + 1) * 784)),
        );
      }
    }
  });

  it('a second map of the same weights lands on the first (aligned, warm-started)', () => {
    const t = setup();
    const a = ask(t, 1, 0);
    const b = ask(t, 2, 0);
    for (let i = 0; i < a.coords.length; i++) expect(b.coords[i]).toBeCloseTo(a.coords[i]!, 3);
    expect(b.knn).toBe(a.knn);
  });

  it('is computed in pieces while training runs on, from the weights of the moment it was asked', () => {
    const t = setup(2000);
    t.trainer.handle({ type: 'start' });
    t.clock.runUntil(() => t.trainer.step >= 8);
    const asked = t.trainer.step;
    const before = t.trainer.currentSession!.network.getParams();
    t.trainer.handle({ type: 'hidden-map', id: 5, layer: 1, withImages: false });
    t.clock.runUntil(() => t.log.of('hidden-map-result').length > 0);
    const map = t.log.of('hidden-map-result')[0]!;
    expect(map.indices.length).toBe(MAP_IMAGES);
    // 2,000 images at mapPieceRows rows a piece: training went on between the pieces.
    expect(mapPieceRows(layerSizes(smallConfig()))).toBeLessThan(MAP_IMAGES);
    expect(t.trainer.step).toBeGreaterThan(asked);
    expect(map.step).toBe(asked);
    // Its dots are those of the weights it was asked with, not of the later ones.
    const test = mnistSlice(10, 2000).test;
    const then = Network.create(smallConfig(), 1);
    then.setParams(before);
    const k = 123;
    const x = new Float32Array(784);
    toFloatPixels(test.images, map.indices[k]! * 784, 784, x);
    const [px] = projectPoint(map, then.predict(x).activations[2]!);
    expect(map.coords[2 * k]).toBeCloseTo(px, 3);
  });

  it('a newer question replaces an older one; a layer that does not exist, or no network, is an error', () => {
    const t = setup();
    t.trainer.handle({ type: 'hidden-map', id: 1, layer: 0, withImages: false });
    t.trainer.handle({ type: 'hidden-map', id: 2, layer: 1, withImages: false });
    t.clock.runUntil(() => t.log.of('hidden-map-result').length > 0);
    const errors = t.log.of('error');
    expect(errors).toEqual([
      { type: 'error', id: 1, error: { kind: 'map-cancelled', message: 'A newer map was asked for.' } },
    ]);
    expect(t.log.of('hidden-map-result').map((m) => m.id)).toEqual([2]);
    t.trainer.handle({ type: 'hidden-map', id: 3, layer: 2, withImages: false });
    t.trainer.handle({ type: 'hidden-map', id: 4, layer: -1, withImages: false });
    expect(
      t.log
        .of('error')
        .slice(1)
        .map((e) => [e.id, e.error.kind]),
    ).toEqual([
      [3, 'bad-layer'],
      [4, 'bad-layer'],
    ]);
    const empty = new Trainer({ post: t.log.post, clock: t.clock });
    empty.handle({ type: 'hidden-map', id: 6, layer: 0, withImages: false });
    expect(t.log.of('error').at(-1)).toMatchObject({ id: 6, error: { kind: 'no-model' } });
  });

  it('a rebuild while a map is computed ends it with an error, not a map of the old network', () => {
    // Each piece takes 5 ms of the fake clock: the map needs several turns.
    const t = setup(2000, 5);
    t.trainer.handle({ type: 'hidden-map', id: 9, layer: 0, withImages: false });
    t.clock.run(1);
    t.trainer.handle({ type: 'configure', generation: 2, config: smallConfig({ hidden: [24] }) });
    t.clock.runUntil(() => t.log.events.some((e) => 'id' in e && e.id === 9));
    expect(t.log.of('hidden-map-result')).toHaveLength(0);
    expect(t.log.of('error').at(-1)).toMatchObject({ id: 9, error: { kind: 'map-cancelled' } });
  });
});
