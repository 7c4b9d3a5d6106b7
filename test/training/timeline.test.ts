import { describe, expect, it } from 'vitest';
import type { NetworkParams } from '../../src/engine/network';
import { TIMELINE_MAX, WeightTimeline } from '../../src/training/timeline';

const params = (step: number): NetworkParams => ({ weights: [Float32Array.of(step)], biases: [] });

describe('WeightTimeline', () => {
  it('keeps at most 64 moments, evenly spread over the whole run, step 0 first', () => {
    const t = new WeightTimeline(1000, 1e12);
    expect(t.capacity).toBe(TIMELINE_MAX);
    let copies = 0;
    for (let step = 0; step <= 10_000; step++) {
      if (t.offer(step, Math.floor(step / 100), () => (copies++, params(step)))) {
        expect(t.moments.at(-1)!.params.weights[0]![0]).toBe(step);
      }
      expect(t.moments.length).toBeLessThanOrEqual(TIMELINE_MAX);
    }
    const steps = t.moments.map((m) => m.step);
    expect(steps[0]).toBe(0);
    const gaps = new Set(steps.slice(1).map((s, i) => s - steps[i]!));
    expect([...gaps]).toEqual([t.interval]);
    expect(steps.length).toBeGreaterThan(TIMELINE_MAX / 2);
    expect(10_000 - steps.at(-1)!).toBeLessThan(t.interval);
    // Copies grow with the log of the steps, not with the steps.
    expect(copies).toBeLessThan(64 * 10);
    expect(t.bytes).toBe(steps.length * 1000);
    expect(t.at(steps[3]!)?.step).toBe(steps[3]);
  });

  it('a quarter of the memory budget bounds it, never below two moments', () => {
    expect(new WeightTimeline(1e6, 40e6).capacity).toBe(10);
    expect(new WeightTimeline(1e9, 1e6).capacity).toBe(2);
    const t = new WeightTimeline(1e6, 40e6);
    for (let s = 0; s < 1000; s++) t.offer(s, 0, () => params(s));
    expect(t.moments.length).toBeLessThanOrEqual(10);
    expect(t.offer(999, 0, () => params(999))).toBe(false);
  });
});
