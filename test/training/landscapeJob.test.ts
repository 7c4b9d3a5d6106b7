/**
 * The loss landscape through the trainer, asked like the page asks: before a path exists the plane is
 * random and the grid's centre is the network's own loss on the landscape's fixed training images; with
 * kept moments it is the path's plane, the path ends at the origin (the current weights) and lies inside
 * the grid; it is computed in pieces while training goes on, reports progress, and can be cancelled.
 */
import { describe, expect, it } from 'vitest';
import { toFloatPixels } from '../../src/engine/evaluate';
import { Network } from '../../src/engine/network';
import type { WorkerEvent } from '../../src/protocol/messages';
import { mapIndices } from '../../src/training/hiddenMap';
import { LANDSCAPE_IMAGES, LANDSCAPE_SEED } from '../../src/training/landscapeJob';
import { Trainer } from '../../src/training/trainer';
import { EventLog, FakeClock, mnistSlice, smallConfig } from './harness';

type Landscape = Extract<WorkerEvent, { type: 'loss-landscape-result' }>;
const TRAIN = 1200;

function setup() {
  const clock = new FakeClock(25, 0.5);
  const log = new EventLog();
  const trainer = new Trainer({ post: log.post, clock, maxBatchesPerSlice: 4, evalLimit: 100 });
  trainer.setDataset(mnistSlice(TRAIN, 100));
  trainer.handle({ type: 'configure', generation: 1, config: smallConfig() });
  return { clock, log, trainer };
}

function ask(t: ReturnType<typeof setup>, id: number, grid: number, plane: 'auto' | 'random'): Landscape {
  t.trainer.handle({ type: 'loss-landscape', id, grid, plane });
  t.clock.runUntil(() => t.log.events.some((e) => 'id' in e && e.id === id));
  const ev = t.log.events.find((e) => 'id' in e && e.id === id)!;
  if (ev.type !== 'loss-landscape-result') throw new Error(`no landscape: ${JSON.stringify(ev)}`);
  return ev;
}

/** The network's mean loss on the landscape's images. */
function lossOnImages(net: Network): number {
  const train = mnistSlice(TRAIN, 100).train;
  const indices = mapIndices(train.count, LANDSCAPE_IMAGES, LANDSCAPE_SEED);
  const n = indices.length;
  const x = new Float32Array(n * 784);
  indices.forEach((i, r) => toFloatPixels(train.images, i * 784, 784, x, r * 784));
  const copy = Network.create(net.config, n);
  copy.setParams(net.getParams());
  copy.forward(x, n);
  return copy.dataLoss(Uint8Array.from(indices, (i) => train.labels[i]!));
}

describe('loss-landscape', () => {
  it('before a path: two random directions, ±1, the centre is the network’s own loss', () => {
    const t = setup();
    const land = ask(t, 1, 5, 'auto');
    expect(land.plane).toBe('random');
    expect(land.explained).toBeNull();
    expect(Array.from(land.alphas)).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(Array.from(land.betas)).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(land.losses.length).toBe(25);
    expect(land.losses.every(Number.isFinite)).toBe(true);
    expect(land.images).toBe(LANDSCAPE_IMAGES);
    expect(land.losses[12]).toBeCloseTo(lossOnImages(t.trainer.currentSession!.network), 4);
    // The path is the current weights alone, at the origin.
    expect(Array.from(land.path)).toEqual([0, 0]);
    expect(Array.from(land.pathSteps)).toEqual([0]);
  });

  it('with kept moments: the path’s plane, the path inside the grid and ending at the origin', () => {
    const t = setup();
    for (let i = 0; i < 12; i++) t.trainer.handle({ type: 'step' });
    const kept = t.trainer.timeline!.moments.length;
    expect(kept).toBeGreaterThanOrEqual(3);
    const land = ask(t, 2, 7, 'auto');
    expect(land.plane).toBe('path');
    const [e1, e2] = land.explained!;
    expect(e1).toBeGreaterThanOrEqual(e2);
    expect(e1 + e2).toBeLessThanOrEqual(1 + 1e-9);
    const m = land.pathSteps.length;
    expect(land.pathSteps[m - 1]).toBe(12);
    expect(land.path[2 * m - 2]).toBeCloseTo(0, 6);
    expect(land.path[2 * m - 1]).toBeCloseTo(0, 6);
    const [a0, a1] = [land.alphas[0]!, land.alphas[6]!];
    const [b0, b1] = [land.betas[0]!, land.betas[6]!];
    for (let i = 0; i < m; i++) {
      expect(land.path[2 * i]!).toBeGreaterThan(a0);
      expect(land.path[2 * i]!).toBeLessThan(a1);
      expect(land.path[2 * i + 1]!).toBeGreaterThan(b0);
      expect(land.path[2 * i + 1]!).toBeLessThan(b1);
    }
    // The start lies a real distance away: no farther than the weights moved (a projection).
    const start = t.trainer.timeline!.moments[0]!.params;
    const now = t.trainer.currentSession!.network.getParams();
    let moved = 0;
    now.weights.forEach((w, l) => w.forEach((v, i) => (moved += (v - start.weights[l]![i]!) ** 2)));
    now.biases.forEach((b, l) => b.forEach((v, i) => (moved += (v - start.biases[l]![i]!) ** 2)));
    const onPlane = Math.hypot(land.path[0]!, land.path[1]!);
    expect(onPlane).toBeGreaterThan(0.3 * Math.sqrt(moved));
    expect(onPlane).toBeLessThanOrEqual(Math.sqrt(moved) * (1 + 1e-4));
    // 'random' is a random plane even with a path.
    expect(ask(t, 3, 5, 'random').plane).toBe('random');
  });

  it('runs in pieces while training goes on, says how far it is, and can be cancelled', () => {
    const t = setup();
    t.trainer.handle({ type: 'start' });
    t.clock.runUntil(() => t.trainer.step >= 5);
    const asked = t.trainer.step;
    const land = ask(t, 4, 9, 'auto');
    expect(land.step).toBe(asked);
    expect(t.trainer.step).toBeGreaterThan(asked);
    const progress = t.log.of('loss-landscape-progress').filter((p) => p.request === 4);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.every((p) => p.total === 81 && p.done <= 81)).toBe(true);
    expect(progress.at(-1)!.done).toBeGreaterThan(progress[0]!.done);

    t.trainer.handle({ type: 'loss-landscape', id: 5, grid: 31, plane: 'auto' });
    t.clock.runUntil(() => t.log.of('loss-landscape-progress').some((p) => p.request === 5 && p.done > 0));
    t.trainer.handle({ type: 'cancel-landscape' });
    const err = t.log.of('error').find((e) => e.id === 5)!;
    expect(err.error.kind).toBe('landscape-cancelled');
    t.trainer.handle({ type: 'pause' });
    t.clock.runUntil(() => t.clock.pending() === 0);
    expect(t.log.of('loss-landscape-result').some((r) => r.id === 5)).toBe(false);

    t.trainer.handle({ type: 'loss-landscape', id: 6, grid: 2, plane: 'auto' });
    expect(t.log.of('error').find((e) => e.id === 6)!.error.kind).toBe('bad-grid');
  });
});
