import { describe, expect, it } from 'vitest';
import {
  axisTicks,
  formatTick,
  formatTicks,
  labelMargin,
  type AxisTick,
  type AxisTickOptions,
} from '../../src/components/canvas/axisTicks';

/** An 11 px sans-serif, roughly: 6.5 px per character (wider than most, so the tests err on the safe side). */
const measure = (t: string) => t.length * 6.5;

/** Every label fits the margin, and no two labels are closer than the minimum spacing. */
function expectReadable(ticks: AxisTick[], o: AxisTickOptions, margin?: number): void {
  for (const t of ticks) {
    expect(t.label.length, `label of ${t.value}`).toBeGreaterThan(0);
    expect(t.label.length, `label of ${t.value} is compact: ${t.label}`).toBeLessThanOrEqual(8);
    if (margin !== undefined) expect(margin).toBeGreaterThanOrEqual(measure(t.label));
  }
  for (let i = 1; i < ticks.length; i++) {
    const d = Math.abs(ticks[i].pos - ticks[i - 1].pos);
    if (o.axis === 'y') expect(d).toBeGreaterThanOrEqual(o.lineHeight ?? 14);
    else expect(d).toBeGreaterThanOrEqual((measure(ticks[i].label) + measure(ticks[i - 1].label)) / 2 + 10);
    expect(ticks[i].label, 'neighbouring labels differ').not.toBe(ticks[i - 1].label);
  }
  const [r0, r1] = o.range;
  for (const t of ticks) {
    expect(t.pos).toBeGreaterThanOrEqual(Math.min(r0, r1) - 1e-6);
    expect(t.pos).toBeLessThanOrEqual(Math.max(r0, r1) + 1e-6);
  }
}

describe('formatTick', () => {
  it('is short at every magnitude', () => {
    expect(formatTick(0)).toBe('0');
    expect(formatTick(1e32)).toBe('1e32');
    expect(formatTick(1.2e21)).toBe('1.2e21');
    expect(formatTick(2e20)).toBe('2e20');
    expect(formatTick(200_000_000_000_000_000_000)).toBe('2e20');
    expect(formatTick(200_000_000)).toBe('200M');
    expect(formatTick(3.5e9)).toBe('3.5B');
    expect(formatTick(4e12)).toBe('4T');
    expect(formatTick(20_000)).toBe('20k');
    expect(formatTick(2500)).toBe('2500');
    expect(formatTick(0.25)).toBe('0.25');
    expect(formatTick(0.001)).toBe('0.001');
    expect(formatTick(0.0002)).toBe('2e-4');
    expect(formatTick(1e-30)).toBe('1e-30');
    expect(formatTick(-0.5)).toBe('\u22120.5');
    // Floating-point noise from tick arithmetic never shows.
    expect(formatTick(0.30000000000000004)).toBe('0.3');
    expect(formatTick(6.000000000000001e31)).toBe('6e31');
    // Rounding up into the next unit says so.
    expect(formatTick(999_999)).toBe('1M');
  });

  it('adds digits only where neighbours would read the same', () => {
    expect(formatTicks([1_000_000, 1_000_500, 1_001_000])).toEqual(['1M', '1.0005M', '1.001M']);
    expect(formatTicks([0, 0.5, 1])).toEqual(['0', '0.5', '1']);
  });
});

describe('labelMargin', () => {
  it('is the widest label plus padding, never less than the minimum', () => {
    expect(labelMargin(['0', '1.2e21', '2e20'], measure, 8)).toBe(Math.ceil(6 * 6.5 + 8));
    expect(labelMargin(['0'], measure, 8, 30)).toBe(30);
    expect(labelMargin([], measure, 8, 30)).toBe(30);
  });
});

describe('axisTicks', () => {
  const yAxis = (domain: [number, number], log = false, height = 300): AxisTickOptions => ({
    domain,
    range: [height, 0],
    axis: 'y',
    log,
    measure,
  });

  it.each([
    ['a normal loss', [0, 2.5]],
    ['a diverged loss of 1e32', [0, 1.1e32]],
    ['200,000,000', [0, 200_000_000]],
    ['1.2e21', [0, 1.32e21]],
    ['tiny values', [0, 3e-7]],
  ] as const)('linear y axis, %s: readable labels, margin ≥ widest label', (_, domain) => {
    for (const height of [60, 150, 300, 600]) {
      const o = yAxis([domain[0], domain[1]], false, height);
      const ticks = axisTicks(o);
      expect(ticks.length).toBeGreaterThanOrEqual(2);
      const margin = labelMargin(
        ticks.map((t) => t.label),
        measure,
      );
      expectReadable(ticks, o, margin);
    }
  });

  it('the labels that used to be cut read whole', () => {
    const ticks = axisTicks(yAxis([0, 1.32e21]));
    expect(ticks.map((t) => t.label)).toContain('1.2e21');
    expect(axisTicks(yAxis([0, 2.2e8])).map((t) => t.label)).toContain('200M');
  });

  it('log y axis spanning 30 decades: whole decades, thinned to stay ≥ 14 px apart', () => {
    for (const height of [80, 150, 250, 500, 1000]) {
      const o = yAxis([1e-4, 1e26], true, height);
      const ticks = axisTicks(o);
      expect(ticks.length).toBeGreaterThanOrEqual(2);
      expectReadable(
        ticks,
        o,
        labelMargin(
          ticks.map((t) => t.label),
          measure,
        ),
      );
      // Only powers of ten, evenly spaced in exponent.
      const exps = ticks.map((t) => Math.log10(t.value));
      for (const e of exps) expect(Math.abs(e - Math.round(e))).toBeLessThan(1e-9);
      const steps = new Set(exps.slice(1).map((e, i) => Math.round(e - exps[i])));
      expect(steps.size).toBe(1);
    }
  });

  it('log y axis over a few decades with room: 1-2-5 ticks', () => {
    const o = yAxis([0.03, 2.5], true, 400);
    expect(axisTicks(o).map((t) => t.value)).toEqual([0.05, 0.1, 0.2, 0.5, 1, 2]);
    // Less room: whole decades.
    const small = yAxis([1e-4, 10], true, 150);
    const ticks = axisTicks(small);
    expect(ticks.map((t) => t.value)).toEqual([1e-4, 1e-3, 0.01, 0.1, 1, 10]);
    expect(ticks.map((t) => t.label)).toEqual(['1e-4', '0.001', '0.01', '0.1', '1', '10']);
  });

  it('log y axis inside one decade still gets ticks', () => {
    const o = yAxis([0.2, 0.45], true, 200);
    const ticks = axisTicks(o);
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expectReadable(ticks, o);
  });

  it('the 22 crowded log labels of a 130 px chart are thinned', () => {
    // 1e-4 … 1e3 over 130 px: 1-2-5 would put 22 labels ~6 px apart.
    const o = yAxis([1e-4, 1e3], true, 130);
    const ticks = axisTicks(o);
    expect(ticks.length).toBeLessThanOrEqual(130 / 14 + 1);
    expectReadable(ticks, o);
  });

  it('x axis: labels never overlap and stay inside the bounds (room for the axis title)', () => {
    for (const [domain, width] of [
      [[0, 1000], 300],
      [[0, 2_000_000], 200],
      [[0, 1.5e21], 400],
      [[0, 937_500], 700],
    ] as const) {
      const o: AxisTickOptions = {
        domain: [domain[0], domain[1]],
        range: [40, 40 + width],
        axis: 'x',
        measure,
        bounds: [0, 40 + width - 40],
      };
      const ticks = axisTicks(o);
      expect(ticks.length).toBeGreaterThanOrEqual(1);
      expectReadable(ticks, o);
      for (const t of ticks) expect(t.pos + measure(t.label) / 2).toBeLessThanOrEqual(40 + width - 40);
    }
  });

  it('invalid domains give no ticks instead of throwing', () => {
    expect(axisTicks(yAxis([0, 10], true))).toEqual([]);
    expect(axisTicks(yAxis([Number.NaN, 1]))).toEqual([]);
    expect(axisTicks({ ...yAxis([0, 1]), range: [0, 0] })).toEqual([]);
  });
});
