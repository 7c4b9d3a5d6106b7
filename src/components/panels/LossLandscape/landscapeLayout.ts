/**
 * The loss landscape's geometry and colours, free of React: where the plot sits in the canvas, α/β to
 * pixels and back, the contour levels (evenly spaced in log(loss): a loss surface spans orders of
 * magnitude, and linear levels would all crowd near its peaks), and the heat map's colour of a loss.
 */
import { contours } from 'd3-contour';
import { interpolateViridis } from 'd3-scale-chromatic';
import type { LossLandscape } from '../../../protocol/messages';

export interface PlotFrame {
  left: number;
  top: number;
  width: number;
  height: number;
  /** The plot's α and β at its edges: half a grid step beyond the outer grid points. */
  a0: number;
  a1: number;
  b0: number;
  b1: number;
}

const MARGIN = { left: 44, right: 64, top: 8, bottom: 34 };

/** Half a step past the first and last of evenly spaced values. */
function edges(v: Float32Array): [number, number] {
  const n = v.length;
  const half = n > 1 ? (v[n - 1]! - v[0]!) / (n - 1) / 2 : 0.5;
  return [v[0]! - half, v[n - 1]! + half];
}

/** The square-celled plot inside a `width` × `height` canvas (room left for the axes and the colour key). */
export function plotFrame(land: LossLandscape, width: number, height: number): PlotFrame {
  const [a0, a1] = edges(land.alphas);
  const [b0, b1] = edges(land.betas);
  const w = Math.max(1, width - MARGIN.left - MARGIN.right);
  const h = Math.max(1, height - MARGIN.top - MARGIN.bottom);
  return { left: MARGIN.left, top: MARGIN.top, width: w, height: h, a0, a1, b0, b1 };
}

/** (α, β) → canvas pixels (β upwards). */
export function toPixel(f: PlotFrame, alpha: number, beta: number): [number, number] {
  return [
    f.left + ((alpha - f.a0) / (f.a1 - f.a0)) * f.width,
    f.top + (1 - (beta - f.b0) / (f.b1 - f.b0)) * f.height,
  ];
}

/** The grid point under canvas pixel (x, y), or null outside the plot. */
export function gridPointAt(
  land: LossLandscape,
  f: PlotFrame,
  x: number,
  y: number,
): { column: number; row: number; alpha: number; beta: number; loss: number } | null {
  const u = (x - f.left) / f.width;
  const v = 1 - (y - f.top) / f.height;
  if (!(u >= 0 && u <= 1 && v >= 0 && v <= 1)) return null;
  const cols = land.alphas.length;
  const rows = land.betas.length;
  const column = Math.min(cols - 1, Math.floor(u * cols));
  const row = Math.min(rows - 1, Math.floor(v * rows));
  return {
    column,
    row,
    alpha: land.alphas[column]!,
    beta: land.betas[row]!,
    loss: land.losses[row * cols + column]!,
  };
}

/** The smallest and largest finite loss of the grid (a diverged corner can be Infinity or NaN). */
export function lossRange(losses: Float32Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of losses) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [1, 1];
}

/** `count` contour levels evenly spaced in log(loss), strictly between the grid's extremes. */
export function logLevels(losses: Float32Array, count: number): number[] {
  const [lo, hi] = lossRange(losses);
  if (!(hi > lo) || lo <= 0) return [];
  const [l0, l1] = [Math.log(lo), Math.log(hi)];
  return Array.from({ length: count }, (_, i) => Math.exp(l0 + ((l1 - l0) * (i + 1)) / (count + 1)));
}

/** Where 0 … 1 of the colour key a loss falls (log scale), clamped. */
export function logPosition(loss: number, [lo, hi]: [number, number]): number {
  if (!(hi > lo) || !(loss > 0) || !(lo > 0)) return 0;
  const t = (Math.log(loss) - Math.log(lo)) / (Math.log(hi) - Math.log(lo));
  return Math.min(1, Math.max(0, Number.isFinite(t) ? t : 1));
}

/** Low loss dark, high loss light (viridis), so the valley reads as a valley in either theme. */
export const heatColor = (t: number): string => interpolateViridis(t);

/**
 * The contour lines of the losses at `levels`, as polylines in (α, β). d3-contour places grid value i at
 * the cell centre i + 0.5, which is where our grid point i is drawn.
 */
export function contourLines(
  land: LossLandscape,
  levels: number[],
): { level: number; rings: number[][][] }[] {
  const cols = land.alphas.length;
  const rows = land.betas.length;
  if (levels.length === 0 || cols < 2 || rows < 2) return [];
  const values = Array.from(land.losses, (v) => (Number.isFinite(v) ? Math.log(v) : 1e9));
  const da = (land.alphas[cols - 1]! - land.alphas[0]!) / (cols - 1);
  const db = (land.betas[rows - 1]! - land.betas[0]!) / (rows - 1);
  const gen = contours()
    .size([cols, rows])
    .smooth(true)
    .thresholds(levels.map((l) => Math.log(l)));
  return gen(values).map((c, i) => ({
    level: levels[i]!,
    rings: c.coordinates.flatMap((polygon) =>
      polygon.map((ring) =>
        ring.map(([gx, gy]) => [land.alphas[0]! + (gx! - 0.5) * da, land.betas[0]! + (gy! - 0.5) * db]),
      ),
    ),
  }));
}
