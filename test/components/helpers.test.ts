import { describe, expect, it } from 'vitest';
import { divergingIndex, sequentialIndex, toRgb } from '../../src/components/canvas/colors';
import {
  hitTest,
  estimateTextWidth,
  layoutDiagram,
  MAX_SHOWN,
  topKByMagnitude,
} from '../../src/components/panels/LayerDiagram/diagramLayout';
import { formatInt, formatLr, formatPercent, lrFromLog } from '../../src/components/ui/format';
import {
  accuracyDomain,
  nearestIndex,
  smoothSeries,
} from '../../src/components/panels/LossChart/lossChartLayout';
import {
  gridLayout,
  gridOrigin,
  rasterizeTile,
  tileAt,
  weightTile,
} from '../../src/components/panels/WeightImages/WeightImages';

describe('format', () => {
  it('writes learning rates the way people do', () => {
    expect(formatLr(1e-3)).toBe('1e-3');
    expect(formatLr(0.00032)).toBe('3.2e-4');
    expect(formatLr(0.05)).toBe('5e-2');
    expect(formatLr(0.3)).toBe('0.3');
    expect(formatLr(1)).toBe('1');
    expect(formatLr(20)).toBe('20');
    expect(formatLr(100000)).toBe('1e5');
    expect(formatLr(9.99e-4)).toBe('1e-3'); // mantissa rounding carries into the exponent
  });

  it('maps the log10 slider to two significant digits', () => {
    expect(lrFromLog(-3)).toBe(0.001);
    expect(lrFromLog(-2.5)).toBe(0.0032);
    expect(formatLr(lrFromLog(-2.5))).toBe('3.2e-3');
  });

  it('formats percent and integers with stable shapes', () => {
    expect(formatPercent(0.9741)).toBe('97.4%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatInt(11900.4)).toBe('11,900');
    expect(formatInt(NaN)).toBe('–');
  });
});

describe('colours', () => {
  it('maps −1, 0, 1 to the ends and the middle of a diverging LUT', () => {
    expect(divergingIndex(-1)).toBe(0);
    expect(divergingIndex(0)).toBe(128);
    expect(divergingIndex(1)).toBe(255);
    expect(divergingIndex(-7)).toBe(0);
    expect(sequentialIndex(NaN)).toBe(0);
    expect(sequentialIndex(2)).toBe(255);
  });

  it('parses the colour strings d3 produces', () => {
    expect(toRgb('rgb(5, 48, 97)')).toEqual([5, 48, 97]);
    expect(toRgb('#0072b2')).toEqual([0, 114, 178]);
    expect(toRgb('#fff')).toEqual([255, 255, 255]);
  });
});

describe('layoutDiagram', () => {
  it('shows at most MAX_SHOWN neurons per layer, the rest as "+N more", all inside the canvas', () => {
    const sizes = [784, 128, 64, 10];
    const L = layoutDiagram(700, 330, sizes);
    expect(L.columns.map((c) => c.nodes.length)).toEqual([MAX_SHOWN, MAX_SHOWN, 10]);
    expect(L.columns.map((c) => c.more)).toEqual([128 - MAX_SHOWN, 64 - MAX_SHOWN, 0]);
    for (const c of L.columns) {
      for (const n of c.nodes) {
        expect(n.x - c.r).toBeGreaterThanOrEqual(0);
        expect(n.x + c.r).toBeLessThanOrEqual(700);
        expect(n.y - c.r).toBeGreaterThanOrEqual(0);
        expect(n.y + c.r).toBeLessThanOrEqual(330);
      }
    }
    // Left to right: image, hidden columns, output, with room for the class labels.
    const xs = L.columns.map((c) => c.x);
    expect(L.image.x + L.image.side).toBeLessThan(xs[0]);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expect(xs[xs.length - 1] + L.labelWidth).toBeLessThanOrEqual(700);
  });

  it.each([
    [700, 330, 'the 1280×720 screen'],
    [340, 260, 'a phone'],
  ])('eight wide layers: no two labels overlap (%i×%i, %s)', (w, h) => {
    const sizes = [784, ...Array(8).fill(4096), 10];
    const L = layoutDiagram(w, h, sizes, { activationLabel: 'ReLU' });
    const boxes: { x0: number; x1: number; y: number }[] = [
      { x0: L.image.x, x1: L.image.x + estimateTextWidth('28×28 input'), y: L.captionY },
    ];
    for (const c of L.columns) {
      const cw = estimateTextWidth(c.caption);
      boxes.push({ x0: c.x - cw / 2, x1: c.x + cw / 2, y: c.captionY });
      if (c.moreLabel) {
        const mw = estimateTextWidth(c.moreLabel.text);
        boxes.push({ x0: c.x - mw / 2, x1: c.x + mw / 2, y: c.moreLabel.y });
        // Not on a neuron either.
        for (const n of c.nodes) expect(Math.abs(n.y - (c.moreLabel.y - 4))).toBeGreaterThan(c.r);
      }
      expect(c.caption).toMatch(/^4096|^10/);
    }
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i]!, boxes[j]!];
        const sameLine = Math.abs(a.y - b.y) < 11;
        const overlap = a.x0 < b.x1 && b.x0 < a.x1;
        expect(sameLine && overlap, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(false);
      }
    }
    for (const b of boxes) {
      expect(b.x0).toBeGreaterThanOrEqual(0);
      expect(b.y).toBeLessThanOrEqual(h);
      expect(b.y).toBeGreaterThan(8);
    }
  });

  it('captions say the activation when there is room', () => {
    const L = layoutDiagram(700, 330, [784, 128, 64, 10], { activationLabel: 'ReLU' });
    expect(L.columns.map((c) => c.caption)).toEqual(['128 · ReLU', '64 · ReLU', '10 · softmax']);
    expect(L.columns[0].moreLabel?.text).toBe(`+${128 - MAX_SHOWN} more`);
  });

  it('handles no hidden layer and one-neuron layers', () => {
    expect(layoutDiagram(600, 300, [784, 10]).columns).toHaveLength(1);
    const L = layoutDiagram(600, 300, [784, 1, 10]);
    expect(L.columns[0].nodes).toHaveLength(1);
    expect(L.columns[0].more).toBe(0);
  });

  it('hit-tests neurons and input pixels', () => {
    const L = layoutDiagram(700, 330, [784, 32, 10]);
    const n = L.columns[1].nodes[7];
    expect(hitTest(L, n.x + 1, n.y - 1)).toMatchObject({ kind: 'neuron', layer: 2, index: 7 });
    const cell = L.image.side / 28;
    expect(hitTest(L, L.image.x + 3.5 * cell, L.image.y + 10.5 * cell)).toMatchObject({
      kind: 'pixel',
      col: 3,
      row: 10,
      index: 10 * 28 + 3,
    });
    expect(hitTest(L, 699, 1)).toBeNull();
  });
});

describe('topKByMagnitude', () => {
  it('agrees with a full sort by |v|', () => {
    let s = 12345;
    const rand = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
    for (const [n, k] of [
      [784, 3],
      [256, 64],
      [10, 20],
      [50, 1],
    ]) {
      const v = Float32Array.from({ length: n }, rand);
      const ref = Array.from(v.keys())
        .sort((a, b) => Math.abs(v[b]) - Math.abs(v[a]))
        .slice(0, k);
      expect(topKByMagnitude(v, k)).toEqual(ref);
    }
  });

  it('skips zeros and handles k = 0', () => {
    expect(topKByMagnitude([0, 0, -2, 0, 1], 4)).toEqual([2, 4]);
    expect(topKByMagnitude([1, 2], 0)).toEqual([]);
  });
});

describe('smoothSeries', () => {
  it('is the series itself for a constant and starts at the first value (debiased)', () => {
    const x = [1, 2, 3, 4, 5];
    expect(Array.from(smoothSeries(x, [2, 2, 2, 2, 2]))).toEqual(
      [2, 2, 2, 2, 2].map(() => expect.closeTo(2, 12)),
    );
    expect(smoothSeries(x, [2.3, 0, 0, 0, 0])[0]).toBeCloseTo(2.3, 12);
  });

  it('matches the per-step EMA formula and weighs a gap of d steps like d steps', () => {
    const beta = 0.9;
    const y = [3, 1, 2, 5];
    // Reference: num/den recursion written out.
    let num = 0;
    let den = 0;
    const ref = y.map((v) => {
      num = beta * num + (1 - beta) * v;
      den = beta * den + (1 - beta);
      return num / den;
    });
    expect(Array.from(smoothSeries([1, 2, 3, 4], y, beta))).toEqual(ref.map((r) => expect.closeTo(r, 12)));
    // One point standing for 2 steps of the same value = two points.
    const a = smoothSeries([1, 3], [4, 1], beta);
    const b = smoothSeries([1, 2, 3], [4, 1, 1], beta);
    expect(a[1]).toBeCloseTo(b[2], 12);
  });

  it('falls when the loss falls (what the chart’s data-last-loss reports)', () => {
    const x = Array.from({ length: 300 }, (_, i) => i + 1);
    const y = x.map((s) => 2.3 * Math.exp(-s / 60) + 0.1 + 0.2 * Math.sin(s * 1.7));
    const s = smoothSeries(x, y);
    expect(s[299]).toBeLessThan(s[50]);
  });
});

describe('chart helpers', () => {
  it('finds the nearest x by binary search', () => {
    const x = [1, 2, 4, 8, 16];
    expect(nearestIndex(x, 0)).toBe(0);
    expect(nearestIndex(x, 5.9)).toBe(2);
    expect(nearestIndex(x, 6.1)).toBe(3);
    expect(nearestIndex(x, 99)).toBe(4);
    expect(nearestIndex([], 3)).toBe(-1);
  });

  it('zooms the accuracy axis to a round 5 % below the lowest value, spanning at least 10 %', () => {
    expect(accuracyDomain([])).toEqual([0, 1]);
    expect(accuracyDomain([0.962, 0.975])).toEqual([0.9, 1]);
    expect(accuracyDomain([0.874, 0.95])).toEqual([0.85, 1]);
    expect(accuracyDomain([0.1])).toEqual([0.05, 1]);
    expect(accuracyDomain([0.999])[0]).toBe(0.9);
    // An hour of epochs on a small training set: no spread of every value (Math.min(...) overflows here).
    const many = Array.from({ length: 300_000 }, (_, i) => 0.9 + (i % 7) / 100);
    many[123_456] = 0.874;
    expect(accuracyDomain(many)).toEqual([0.85, 1]);
  });
});

describe('gridLayout', () => {
  it('finds the largest tiles that fit every neuron', () => {
    const g = gridLayout(128, 400, 250, 2, 14);
    expect(g.shown).toBe(128);
    expect(g.cols * g.rows).toBeGreaterThanOrEqual(128);
    expect(g.cols * g.tile + (g.cols - 1) * 2).toBeLessThanOrEqual(400);
    expect(g.rows * g.tile + (g.rows - 1) * 2).toBeLessThanOrEqual(250);
    // No other column count gives bigger tiles.
    for (let cols = 1; cols <= 128; cols++) {
      const rows = Math.ceil(128 / cols);
      expect(
        Math.floor(Math.min((400 - 2 * (cols - 1)) / cols, (250 - 2 * (rows - 1)) / rows)),
      ).toBeLessThanOrEqual(g.tile);
    }
  });

  it('shows fewer, legible tiles (and leaves a slot for "+N") when there are too many', () => {
    const g = gridLayout(512, 300, 200, 2, 14);
    expect(g.tile).toBe(14);
    expect(g.shown).toBe(g.cols * g.rows - 1);
    expect(g.shown).toBeLessThan(512);
  });
});

describe('tileAt', () => {
  // 3 columns × 2 rows of 20 px tiles, 2 px gaps: 64×42, centred in 100×60 → origin (18, 9).
  const grid = { cols: 3, rows: 2, tile: 20, shown: 5 };
  const o = gridOrigin(grid, 100, 60, 2);

  it('finds the tile under the point', () => {
    expect(o).toEqual({ x: 18, y: 9 });
    expect(tileAt(grid, 100, 60, o.x, o.y, 2)).toBe(0);
    expect(tileAt(grid, 100, 60, o.x + 19.9, o.y + 19.9, 2)).toBe(0);
    expect(tileAt(grid, 100, 60, o.x + 22, o.y, 2)).toBe(1);
    expect(tileAt(grid, 100, 60, o.x + 22 + 10, o.y + 22 + 10, 2)).toBe(4);
  });

  it('returns null in a gap', () => {
    expect(tileAt(grid, 100, 60, o.x + 21, o.y + 5, 2)).toBeNull();
    expect(tileAt(grid, 100, 60, o.x + 5, o.y + 20.5, 2)).toBeNull();
  });

  it('returns null beyond the last shown tile (the "+N" slot)', () => {
    expect(tileAt(grid, 100, 60, o.x + 44 + 5, o.y + 22 + 5, 2)).toBeNull();
  });

  it('returns null outside the grid', () => {
    expect(tileAt(grid, 100, 60, o.x - 1, o.y + 5, 2)).toBeNull();
    expect(tileAt(grid, 100, 60, o.x + 5, o.y - 1, 2)).toBeNull();
    expect(tileAt(grid, 100, 60, o.x + 64, o.y + 5, 2)).toBeNull();
    expect(tileAt(grid, 100, 60, o.x + 5, o.y + 42, 2)).toBeNull();
    expect(tileAt({ cols: 1, rows: 1, tile: 0, shown: 0 }, 100, 60, 50, 30)).toBeNull();
  });

  it('matches the painter on a real layout', () => {
    const g = gridLayout(256, 388, 228);
    const r = gridOrigin(g, 400, 240);
    const j = 37;
    const x = r.x + (j % g.cols) * (g.tile + 2) + g.tile / 2;
    const y = r.y + Math.floor(j / g.cols) * (g.tile + 2) + g.tile / 2;
    expect(tileAt(g, 400, 240, x, y)).toBe(j);
  });
});

describe('weightTile', () => {
  it('without a baseline, normalises the raw weights symmetrically by their max |w|', () => {
    expect(Array.from(weightTile([1, -2, 0.5, 0], null))).toEqual([0.5, -1, 0.25, 0]);
  });

  it('with a baseline, shows the change: untouched pixels are exactly 0 (white)', () => {
    const w0 = new Float32Array([0.05, -0.04, 0.03, 0.01]);
    const w = new Float32Array([0.05, -0.04, 0.13, -0.09]);
    const v = weightTile(w, w0);
    expect(v[0]).toBe(0);
    expect(v[1]).toBe(0);
    expect(v[2]).toBeCloseTo(1, 5);
    expect(v[3]).toBeCloseTo(-1, 5);
  });

  it('is all zeros when nothing changed, and writes into the given buffer', () => {
    const w = new Float32Array([0.3, -0.2]);
    const out = new Float32Array(2).fill(7);
    expect(weightTile(w, w.slice(), out)).toBe(out);
    expect(Array.from(out)).toEqual([0, 0]);
  });
});

describe('rasterizeTile', () => {
  // A LUT whose red channel is the index itself: a pixel's red says which colour it got.
  const lut = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) lut[i * 3] = i;
  const red = (out: { data: Uint8ClampedArray; width: number }, x: number, y: number) =>
    out.data[(y * out.width + x) * 4];
  const alpha = (out: { data: Uint8ClampedArray; width: number }, x: number, y: number) =>
    out.data[(y * out.width + x) * 4 + 3];
  // Two 2×2 tiles: tile 1 is [+1, -1, 0.5, 0] (its own max |w| is 1).
  const weights = new Float32Array([9, 9, 9, 9, 1, -1, 0.5, 0]);

  it('scales tile j up by nearest neighbour at (x0, y0), each source pixel a size/side square', () => {
    const out = { data: new Uint8ClampedArray(6 * 5 * 4), width: 6, height: 5 };
    rasterizeTile(out, 1, 1, 4, weights, null, 1, 2, lut, new Float32Array(4));
    const want = [divergingIndex(1), divergingIndex(-1), divergingIndex(0.5), divergingIndex(0)];
    for (let y = 0; y < 4; y++) {
      for (let x = 0; x < 4; x++) {
        expect(red(out, 1 + x, 1 + y), `(${x}, ${y})`).toBe(want[(y >> 1) * 2 + (x >> 1)]);
        expect(alpha(out, 1 + x, 1 + y)).toBe(255);
      }
    }
    // Nothing outside the tile's square.
    for (let y = 0; y < 5; y++) expect(alpha(out, 0, y)).toBe(0);
    for (let x = 0; x < 6; x++) expect(alpha(out, x, 0)).toBe(0);
    for (let y = 0; y < 5; y++) expect(alpha(out, 5, y)).toBe(0);
  });

  it('shows the change from the baseline, and clips at the edges', () => {
    const out = { data: new Uint8ClampedArray(3 * 3 * 4), width: 3, height: 3 };
    const base = new Float32Array([0, 0, 0, 0, 1, -1, 0.5, 0.5]); // tile 1 changed only in its last pixel
    rasterizeTile(out, 1, 1, 4, weights, base, 1, 2, lut, new Float32Array(4));
    expect(red(out, 1, 1)).toBe(divergingIndex(0));
    expect(red(out, 2, 2)).toBe(divergingIndex(0)); // still the first source pixel (4/2 = 2 per pixel)
    expect(alpha(out, 0, 0)).toBe(0);
    const wide = { data: new Uint8ClampedArray(8 * 8 * 4), width: 8, height: 8 };
    rasterizeTile(wide, 0, 0, 8, weights, base, 1, 2, lut, new Float32Array(4));
    expect(red(wide, 7, 7)).toBe(divergingIndex(-1)); // 0 - 0.5, normalised by its own max
  });
});
