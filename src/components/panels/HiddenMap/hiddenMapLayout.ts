/**
 * The representation map's pure parts: the layer picker's options, the map's extent, the transform from
 * map units to canvas pixels (one scale for both axes, so distances on screen are the distances the 5-NN
 * figure counts), the nearest dot to the pointer, and the class colours.
 */
import { schemeTableau10 } from 'd3-scale-chromatic';
import type { MapLayer } from '../../../protocol/messages';

/** Ten categorical colours (Tableau 10, designed to stay apart for most colour vision). */
export const CLASS_COLORS: readonly string[] = schemeTableau10;

export interface LayerOption {
  value: string;
  layer: MapLayer;
  label: string;
}

/** input, hidden 0…H−1, output — with the width of each. */
export function layerOptions(
  inputSize: number,
  hidden: readonly number[],
  outputSize: number,
): LayerOption[] {
  return [
    { value: 'input', layer: 'input', label: `Input pixels (${inputSize})` },
    ...hidden.map((units, k) => ({ value: String(k), layer: k, label: `Hidden layer ${k + 1} (${units})` })),
    { value: 'output', layer: 'output', label: `Output logits (${outputSize})` },
  ];
}

/** The picker's value back to a layer; anything unknown is the first hidden layer (or the input). */
export function parseLayer(value: string, hiddenCount: number): MapLayer {
  if (value === 'input' || value === 'output') return value;
  const k = Number(value);
  if (Number.isInteger(k) && k >= 0 && k < hiddenCount) return k;
  return hiddenCount > 0 ? 0 : 'input';
}

export interface Extent {
  cx: number;
  cy: number;
  /** Half the side of the square the map shows, in map units. */
  half: number;
}

/**
 * A square around the dots that keeps all but the farthest 1 % on each side (a few outliers do not shrink
 * the picture), with a 10 % margin.
 */
export function mapExtent(coords: Float32Array): Extent {
  const n = coords.length / 2;
  if (n === 0) return { cx: 0, cy: 0, half: 1 };
  const xs = new Float32Array(n);
  const ys = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = coords[2 * i]!;
    ys[i] = coords[2 * i + 1]!;
  }
  xs.sort();
  ys.sort();
  const q = (a: Float32Array, p: number) => a[Math.min(n - 1, Math.max(0, Math.round(p * (n - 1))))]!;
  const [x0, x1, y0, y1] = [q(xs, 0.01), q(xs, 0.99), q(ys, 0.01), q(ys, 0.99)];
  const half = (Math.max(x1 - x0, y1 - y0, 1e-6) / 2) * 1.1;
  return { cx: (x0 + x1) / 2, cy: (y0 + y1) / 2, half };
}

export const lerpExtent = (a: Extent, b: Extent, t: number): Extent => ({
  cx: a.cx + (b.cx - a.cx) * t,
  cy: a.cy + (b.cy - a.cy) * t,
  half: a.half + (b.half - a.half) * t,
});

export interface Frame {
  /** Canvas px per map unit, and the canvas point of the extent's centre. */
  scale: number;
  ox: number;
  oy: number;
}

/** The square extent fitted into a width × height box (y up, as a plot's). */
export function frameFor(extent: Extent, width: number, height: number, pad = 6): Frame {
  const side = Math.max(1, Math.min(width, height) - 2 * pad);
  return { scale: side / (2 * extent.half), ox: width / 2, oy: height / 2 };
}

export function toScreen(f: Frame, e: Extent, x: number, y: number): [number, number] {
  return [f.ox + (x - e.cx) * f.scale, f.oy - (y - e.cy) * f.scale];
}

/** Index of the dot nearest to (px, py) in canvas pixels within `radius`, else −1. */
export function nearestDot(
  coords: Float32Array,
  f: Frame,
  e: Extent,
  px: number,
  py: number,
  radius = 8,
): number {
  let best = -1;
  let bestD = radius * radius;
  for (let i = 0; i + 1 < coords.length; i += 2) {
    const [sx, sy] = toScreen(f, e, coords[i]!, coords[i + 1]!);
    const d = (sx - px) ** 2 + (sy - py) ** 2;
    if (d <= bestD) {
      bestD = d;
      best = i / 2;
    }
  }
  return best;
}

/** The map's dots between two aligned maps of the same points (t from 0 to 1), into `out`. */
export function lerpCoords(from: Float32Array, to: Float32Array, t: number, out: Float32Array): Float32Array {
  for (let i = 0; i < to.length; i++) out[i] = from[i]! + (to[i]! - from[i]!) * t;
  return out;
}

/** Which of a prediction's vectors the map of `layer` places: pixels, a hidden layer, or the logits. */
export function drawingVector(
  layer: MapLayer,
  activations: readonly Float32Array[],
  logits: Float32Array,
): Float32Array | null {
  if (layer === 'input') return activations[0] ?? null;
  if (layer === 'output') return logits;
  return activations[layer + 1] ?? null;
}
