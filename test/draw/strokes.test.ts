import { describe, expect, it } from 'vitest';
import { MAX_STROKE_RATIO, planRaster, strokeBounds } from '../../src/draw/strokes';

describe('strokeBounds', () => {
  it('bounds every sample of every stroke, null when there is none', () => {
    expect(strokeBounds([])).toBeNull();
    expect(strokeBounds([[]])).toBeNull();
    expect(
      strokeBounds([
        [
          { x: 0.4, y: 0.2 },
          { x: 0.5, y: 0.7 },
        ],
        [{ x: 0.1, y: 0.5 }],
      ]),
    ).toEqual({ x0: 0.1, y0: 0.2, x1: 0.5, y1: 0.7 });
  });
});

describe('planRaster', () => {
  const brush = 0.075;

  it('centres the digit and makes its longer side `inner` pixels', () => {
    const b = { x0: 0.6, y0: 0.1, x1: 0.7, y1: 0.5 }; // a tall "1" in the top right
    const p = planRaster(b, brush, 280, 200);
    const map = (x: number, y: number) => [x * p.scale + p.dx, y * p.scale + p.dy];
    const [ax, ay] = map(b.x0, b.y0);
    const [bx, by] = map(b.x1, b.y1);
    expect(by - ay).toBeCloseTo(200, 9);
    expect(bx - ax).toBeCloseTo(50, 9);
    expect((ax + bx) / 2).toBeCloseTo(140, 9);
    expect((ay + by) / 2).toBeCloseTo(140, 9);
  });

  it('keeps the user’s pen width for a large digit', () => {
    const p = planRaster({ x0: 0.1, y0: 0.05, x1: 0.9, y1: 0.95 }, brush, 280, 200);
    expect(p.lineWidth).toBeCloseTo(brush * p.scale, 9);
    expect(p.lineWidth / 200).toBeLessThan(MAX_STROKE_RATIO);
  });

  it('thins the pen for a small digit to MNIST-like strokes, the same whatever the size', () => {
    const small = planRaster({ x0: 0.45, y0: 0.45, x1: 0.55, y1: 0.6 }, brush, 280, 200);
    const tiny = planRaster({ x0: 0.1, y0: 0.1, x1: 0.12, y1: 0.13 }, brush, 280, 200);
    expect(small.lineWidth).toBeCloseTo(MAX_STROKE_RATIO * 200, 9);
    expect(tiny.lineWidth).toBeCloseTo(MAX_STROKE_RATIO * 200, 9);
    // Seen by the user the same pen would have been 0.075/0.15 = half the digit's height.
    expect(brush * small.scale).toBeGreaterThan(small.lineWidth * 4);
  });

  it('leaves room for half a pen width inside the raster', () => {
    for (const b of [
      { x0: 0.1, y0: 0.05, x1: 0.9, y1: 0.95 },
      { x0: 0.45, y0: 0.45, x1: 0.55, y1: 0.6 },
      { x0: 0.5, y0: 0.5, x1: 0.5, y1: 0.5 }, // a single tap
    ]) {
      const p = planRaster(b, brush, 280, 200);
      const half = p.lineWidth / 2;
      expect(b.x0 * p.scale + p.dx - half).toBeGreaterThanOrEqual(0);
      expect(b.y1 * p.scale + p.dy + half).toBeLessThanOrEqual(280);
      expect(Number.isFinite(p.scale)).toBe(true);
    }
  });
});
