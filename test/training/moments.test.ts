/**
 * A kept moment brought back (the timeline scrubber): the weights the answer carries are the ones kept at
 * that step, the probe and the drawing go through them (not through the live network), and the run in
 * progress is untouched; a moment that is not kept is refused with the reason.
 */
import { describe, expect, it } from 'vitest';
import { evaluate, toFloatPixels } from '../../src/engine/evaluate';
import { Network } from '../../src/engine/network';
import { Trainer } from '../../src/training/trainer';
import { EventLog, FakeClock, mnistSlice, smallConfig } from './harness';

function setup() {
  const clock = new FakeClock(25, 0.5);
  const log = new EventLog();
  const trainer = new Trainer({ post: log.post, clock, maxBatchesPerSlice: 4, evalLimit: 100 });
  trainer.setDataset(mnistSlice(1000, 100));
  trainer.handle({ type: 'configure', generation: 1, config: smallConfig() });
  return { clock, log, trainer };
}

describe('moment', () => {
  it('answers with the kept weights, the probe and the drawing through them; training is untouched', () => {
    const t = setup();
    for (let i = 0; i < 6; i++) t.trainer.handle({ type: 'step' });
    const kept = t.trainer.timeline!.at(3)!;
    expect(kept).toBeDefined();
    const live = t.trainer.currentSession!.network.getParams();
    const pixels = Float32Array.from({ length: 784 }, (_, i) => ((i * 7) % 13) / 13);
    t.trainer.handle({ type: 'moment', id: 9, step: 3, pixels: pixels.slice() });
    const ev = t.log.of('moment-result').find((e) => e.id === 9)!;
    expect(ev.step).toBe(3);
    ev.layers.forEach((layer, l) => {
      expect(Array.from(layer.weights)).toEqual(Array.from(kept.params.weights[l]!));
      expect(Array.from(layer.biases)).toEqual(Array.from(kept.params.biases[l]!));
    });
    const then = Network.create(smallConfig(), 1);
    then.setParams(kept.params);
    const p = then.predict(pixels);
    expect(Array.from(ev.prediction!.probabilities)).toEqual(Array.from(p.probabilities));
    expect(Array.from(ev.prediction!.logits)).toEqual(Array.from(p.logits));
    const probeOut = then.predict(ev.probe.pixels);
    expect(Array.from(ev.probe.activations.at(-1)!)).toEqual(Array.from(probeOut.probabilities));
    // The live network is as it was, and the next step trains on from it.
    expect(t.trainer.currentSession!.network.getParams()).toEqual(live);
    t.trainer.handle({ type: 'step' });
    expect(t.trainer.step).toBe(7);
  });

  it('without a drawing: no prediction; a step not kept is refused', () => {
    const t = setup();
    t.trainer.handle({ type: 'step' });
    t.trainer.handle({ type: 'moment', id: 1, step: 0, pixels: null });
    expect(t.log.of('moment-result')[0]!.prediction).toBeNull();
    t.trainer.handle({ type: 'moment', id: 2, step: 5, pixels: null });
    const err = t.log.of('error').find((e) => e.id === 2)!;
    expect(err.error.kind).toBe('no-moment');
    expect(err.error.message).toMatch(/Step 5 is not a kept moment/);
  });

  it('a moment’s test-set evaluation (in pieces, while training runs) and its map are those of its weights', () => {
    const t = setup();
    for (let i = 0; i < 4; i++) t.trainer.handle({ type: 'step' });
    const kept = t.trainer.timeline!.at(2)!;
    t.trainer.handle({ type: 'start' });
    t.trainer.handle({ type: 'moment-eval', id: 20, step: 2 });
    t.clock.runUntil(() => t.log.of('moment-eval-result').length > 0);
    const ev = t.log.of('moment-eval-result')[0]!;
    expect(t.trainer.step).toBeGreaterThan(4);
    const then = Network.create(smallConfig(), 256);
    then.setParams(kept.params);
    const want = evaluate(then, mnistSlice(1000, 100).test);
    expect(Array.from(ev.confusion)).toEqual(Array.from(want.confusion));
    expect(ev.accuracy).toBeCloseTo(want.accuracy, 10);
    expect(ev.loss).toBeCloseTo(want.loss, 5);
    expect(ev.count).toBe(100);

    t.trainer.handle({ type: 'hidden-map', id: 21, layer: 'output', withImages: false, at: 2 });
    t.clock.runUntil(() => t.log.of('hidden-map-result').length > 0);
    const map = t.log.of('hidden-map-result')[0]!;
    expect(map.step).toBe(2);
    const x = new Float32Array(784);
    toFloatPixels(mnistSlice(1000, 100).test.images, map.indices[0]! * 784, 784, x);
    const p = then.predict(x);
    let best = 0;
    for (let c = 1; c < 10; c++) if (p.probabilities[c]! > p.probabilities[best]!) best = c;
    expect(map.predicted[0]).toBe(best);
    t.trainer.handle({ type: 'pause' });

    t.trainer.handle({ type: 'moment-eval', id: 22, step: 9999 });
    expect(t.log.of('error').find((e) => e.id === 22)!.error.kind).toBe('no-moment');
  });
});
