import { describe, expect, it } from 'vitest';
import {
  centreOfMass,
  inkBoundingBox,
  preprocessMnist,
  resampleArea,
  toInk,
} from '../../src/draw/mnistPreprocess';

/** A W×H grey canvas (0..1) with helpers to paint shapes, like a pen on a high-resolution canvas. */
function canvas(width: number, height: number) {
  const data = new Float32Array(width * height);
  return {
    data,
    width,
    height,
    rect(x0: number, y0: number, x1: number, y1: number, v = 1) {
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data[y * width + x] = v;
    },
    /** A ring (a "0"): centre (cx, cy), radii rx, ry, stroke thickness t. */
    ring(cx: number, cy: number, rx: number, ry: number, t: number) {
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const dx = (x + 0.5 - cx) / rx;
          const dy = (y + 0.5 - cy) / ry;
          const r = Math.hypot(dx, dy);
          // Distance to the ellipse ≈ |r − 1|·mean radius.
          if (Math.abs(r - 1) * ((rx + ry) / 2) < t / 2) data[y * width + x] = 1;
        }
      }
    },
  };
}

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

describe('toInk', () => {
  it('reads the alpha channel of RGBA canvas data as 0..1', () => {
    const rgba = new Uint8ClampedArray([0, 0, 0, 0, 10, 20, 30, 255, 0, 0, 0, 51]);
    const ink = toInk({ data: rgba, width: 3, height: 1, channels: 4 });
    expect(Array.from(ink)).toEqual([0, 1, expect.closeTo(0.2, 6)]);
  });

  it('rejects data shorter than width·height·channels', () => {
    expect(() => toInk({ data: new Float32Array(5), width: 3, height: 2 })).toThrow(/expected 6/);
  });
});

describe('inkBoundingBox', () => {
  it('is the half-open box of every inked pixel', () => {
    const c = canvas(50, 40);
    c.rect(10, 5, 12, 30);
    c.rect(30, 20, 33, 21);
    expect(inkBoundingBox(c.data, c.width, c.height)).toEqual({ x0: 10, y0: 5, x1: 33, y1: 30 });
  });

  it('ignores ink at or below the threshold', () => {
    const c = canvas(20, 20);
    c.rect(5, 5, 10, 10);
    c.rect(0, 0, 1, 1, 0.03);
    expect(inkBoundingBox(c.data, 20, 20, 0.05)).toEqual({ x0: 5, y0: 5, x1: 10, y1: 10 });
    expect(inkBoundingBox(c.data, 20, 20, 0)).toEqual({ x0: 0, y0: 0, x1: 10, y1: 10 });
  });

  it('is null for an empty canvas', () => {
    expect(inkBoundingBox(new Float32Array(100), 10, 10)).toBeNull();
  });
});

describe('centreOfMass', () => {
  it('uses pixel centres (x + ½) and weights by ink', () => {
    const c = canvas(10, 10);
    c.rect(2, 3, 3, 4, 1); // centre (2.5, 3.5), mass 1
    c.rect(6, 3, 7, 4, 3); // centre (6.5, 3.5), mass 3
    const com = centreOfMass(c.data, 10, 10)!;
    expect(com.mass).toBe(4);
    expect(com.x).toBeCloseTo((2.5 * 1 + 6.5 * 3) / 4, 10);
    expect(com.y).toBeCloseTo(3.5, 10);
  });

  it('is null without ink', () => {
    expect(centreOfMass(new Float32Array(16), 4, 4)).toBeNull();
  });
});

describe('resampleArea', () => {
  it('averages blocks when shrinking (box filter)', () => {
    // 4×4 → 2×2 at scale ½: each output pixel is the mean of a 2×2 block.
    const src = new Float32Array([1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0]);
    const out = resampleArea(src, 4, 4, 2, 2, 0.5, { x: 0, y: 0 }, { x: 0, y: 0 });
    expect(Array.from(out)).toEqual([1, 0, 0, 0.25]);
  });

  it('spreads a pixel over neighbours in proportion to overlap at a fractional shift', () => {
    const src = new Float32Array([0, 1, 0, 0]);
    const out = resampleArea(src, 4, 1, 4, 1, 1, { x: 0, y: 0 }, { x: 0.25, y: 0 });
    expect(Array.from(out).map((v) => +v.toFixed(6))).toEqual([0, 0.75, 0.25, 0]);
  });

  it('keeps ink mass × scale² when the content stays inside', () => {
    const c = canvas(200, 200);
    c.ring(100, 100, 60, 70, 13);
    const out = resampleArea(c.data, 200, 200, 28, 28, 0.1, { x: 100, y: 100 }, { x: 14, y: 14 });
    expect(sum(out)).toBeCloseTo(sum(c.data) * 0.01, 3);
  });
});

describe('preprocessMnist', () => {
  /** Bounding box and centre of mass of a 28×28 result. */
  function measure(out: Float32Array) {
    return { box: inkBoundingBox(out, 28, 28, 0.05)!, com: centreOfMass(out, 28, 28)! };
  }

  it('returns null for an empty canvas', () => {
    expect(
      preprocessMnist({ data: new Uint8ClampedArray(280 * 280 * 4), width: 280, height: 280, channels: 4 }),
    ).toBeNull();
  });

  it('returns 784 values in 0..1 whose brightest pixel is 1', () => {
    const c = canvas(280, 280);
    c.ring(140, 140, 60, 90, 20);
    const out = preprocessMnist(c)!;
    expect(out).toHaveLength(784);
    expect(Math.max(...out)).toBe(1);
    expect(Math.min(...out)).toBeGreaterThanOrEqual(0);
  });

  it('fits the longer side of the ink into 20 pixels and keeps the aspect ratio', () => {
    // A tall bar 30 × 150 (1 : 5) → about 4 × 20.
    const c = canvas(300, 300);
    c.rect(100, 60, 130, 210);
    const { box } = measure(preprocessMnist(c)!);
    const h = box.y1 - box.y0;
    const w = box.x1 - box.x0;
    expect(h).toBeGreaterThanOrEqual(20);
    expect(h).toBeLessThanOrEqual(21); // 20 plus at most one partially covered row
    expect(w).toBeGreaterThanOrEqual(4);
    expect(w).toBeLessThanOrEqual(5);

    // A wide bar 150 × 30 → about 20 × 4: same rule on the other axis.
    const d = canvas(300, 300);
    d.rect(60, 100, 210, 130);
    const wide = measure(preprocessMnist(d)!).box;
    expect(wide.x1 - wide.x0).toBeGreaterThanOrEqual(20);
    expect(wide.x1 - wide.x0).toBeLessThanOrEqual(21);
    expect(wide.y1 - wide.y0).toBeLessThanOrEqual(5);
  });

  it('anti-aliases: a 1 : 5 bar has partially covered edge pixels, not a hard 4- or 5-pixel step', () => {
    const c = canvas(300, 300);
    c.rect(100, 60, 131, 210); // 31 wide → 31 · 20/150 = 4.13 pixels
    const out = preprocessMnist(c)!;
    const row = Array.from(out.slice(14 * 28, 15 * 28));
    const partial = row.filter((v) => v > 0.01 && v < 0.99);
    expect(partial.length).toBeGreaterThan(0);
    // Coverage is conserved along the row: about 4.13 pixels of full ink.
    expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(31 * (20 / 150), 1);
  });

  const cases: [string, (c: ReturnType<typeof canvas>) => void][] = [
    ['a large centred 0', (c) => c.ring(140, 140, 100, 120, 22)],
    ['a small 0', (c) => c.ring(140, 140, 18, 24, 14)],
    ['a small 0 in the top-left corner', (c) => c.ring(40, 45, 20, 28, 14)],
    ['a 1 off-centre to the right', (c) => c.rect(230, 30, 248, 150)],
    [
      'an asymmetric 7 near the bottom',
      (c) => {
        c.rect(60, 180, 160, 196); // heavy top bar
        c.rect(140, 180, 156, 270); // stem
      },
    ],
  ];

  for (const [name, draw] of cases) {
    it(`puts the centre of mass of ${name} at (14, 14) ± 0.5`, () => {
      const c = canvas(280, 280);
      draw(c);
      const { box, com } = measure(preprocessMnist(c)!);
      expect(Math.abs(com.x - 14)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(com.y - 14)).toBeLessThanOrEqual(0.5);
      // And the digit fits the 20-pixel box on its longer side.
      expect(Math.max(box.x1 - box.x0, box.y1 - box.y0)).toBeGreaterThanOrEqual(19);
      expect(Math.max(box.x1 - box.x0, box.y1 - box.y0)).toBeLessThanOrEqual(21);
    });
  }

  it('gives the same picture for the same digit drawn small, large or elsewhere', () => {
    const big = canvas(280, 280);
    big.ring(140, 140, 80, 100, 20);
    const small = canvas(280, 280);
    small.ring(60, 200, 40, 50, 10); // half the size (stroke too), bottom-left
    const a = preprocessMnist(big)!;
    const b = preprocessMnist(small)!;
    let diff = 0;
    for (let i = 0; i < 784; i++) diff += Math.abs(a[i] - b[i]);
    // Same shape up to pixel-grid rounding: mean absolute difference well under 5 %.
    expect(diff / 784).toBeLessThan(0.05);
  });

  it('works at any input resolution and reads RGBA alpha', () => {
    const w = 97;
    const h = 61;
    const rgba = new Uint8ClampedArray(w * h * 4);
    for (let y = 10; y < 50; y++) for (let x = 40; x < 48; x++) rgba[(y * w + x) * 4 + 3] = 255;
    const out = preprocessMnist({ data: rgba, width: w, height: h, channels: 4 })!;
    const { box, com } = measure(out);
    expect(box.y1 - box.y0).toBeGreaterThanOrEqual(20);
    expect(Math.abs(com.x - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(com.y - 14)).toBeLessThanOrEqual(0.5);
  });

  it('cuts off (never wraps) ink pushed past the border by the centring shift', () => {
    // A long bar with a heavy blob at its right end: the centre of mass sits near the blob, so
    // centring pushes the left end of the bar past the left border.
    const c = canvas(400, 400);
    c.rect(0, 195, 400, 200); // thin bar across the canvas
    c.rect(360, 150, 400, 250); // heavy block on the right
    const out = preprocessMnist(c)!;
    const { com } = measure(out);
    expect(Math.abs(com.x - 14)).toBeLessThanOrEqual(1.5); // part of the mass is cut off
    // The bar reaches the left border (it was cut there) …
    let leftInk = 0;
    for (let y = 0; y < 28; y++) leftInk += out[y * 28];
    expect(leftInk).toBeGreaterThan(0);
    // … and the cut part did not reappear on the right: the block ends near x = 18, beyond it is empty.
    for (let y = 0; y < 28; y++) for (let x = 19; x < 28; x++) expect(out[y * 28 + x]).toBe(0);
  });
});
