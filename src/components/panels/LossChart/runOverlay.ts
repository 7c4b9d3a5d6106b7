/**
 * Painting the overlaid runs and the reference lines on the loss chart: each shown run's smoothed loss
 * (dashed, in its own colour) and its test accuracy per epoch (hollow dots); each reference a labelled
 * dotted line on the accuracy axis.
 */
import type { DatasetName } from '../../../data/dataset';
import { REFERENCES, type RunsState } from '../../../store/runs';
import type { ThemeColors } from '../../canvas/theme';

/** Colours (Tol's muted palette) not used by the chart's own series, in light and dark. */
const RUN_COLORS = ['#882255', '#44aa99', '#999933', '#aa4499', '#888888', '#332288'];

export function runColor(i: number): string {
  return RUN_COLORS[i % RUN_COLORS.length]!;
}

/** The last step of any shown run (0 when none): the chart's step axis reaches it. */
export function shownLastStep(runs: RunsState): number {
  let last = 0;
  for (const id of runs.shown) {
    const r = runs.runs.find((q) => q.id === id);
    if (r && r.curve.steps.length) last = Math.max(last, r.curve.steps[r.curve.steps.length - 1]!);
  }
  return last;
}

export interface OverlayScales {
  x(step: number): number;
  y(loss: number): number;
  /** The accuracy axis, or null when the chart has none yet. */
  ya: ((accuracy: number) => number) | null;
  x0: number;
  x1: number;
}

/** Draws the shown runs and, when on, the reference lines for `dataset`; returns how many runs it drew. */
export function paintRunOverlays(
  ctx: CanvasRenderingContext2D,
  runs: RunsState,
  dataset: DatasetName,
  s: OverlayScales,
  theme: ThemeColors,
): number {
  let drawn = 0;
  ctx.save();
  ctx.lineWidth = 1.5;
  runs.shown.forEach((id, i) => {
    const r = runs.runs.find((q) => q.id === id);
    if (!r || r.curve.steps.length === 0) return;
    drawn++;
    const color = runColor(i);
    ctx.strokeStyle = color;
    ctx.setLineDash([5, 3]);
    ctx.beginPath();
    r.curve.steps.forEach((st, k) => {
      const px = s.x(st);
      const py = s.y(r.curve.loss[k]!);
      if (k === 0) ctx.moveTo(px, py);
      else ctx.lineTo(px, py);
    });
    ctx.stroke();
    ctx.setLineDash([]);
    if (s.ya) {
      for (const e of r.epochs) {
        ctx.beginPath();
        ctx.arc(s.x(e.step), s.ya(e.testAccuracy), 3, 0, Math.PI * 2);
        ctx.fillStyle = theme.panel;
        ctx.fill();
        ctx.strokeStyle = color;
        ctx.stroke();
      }
    }
  });
  if (runs.references && s.ya) {
    ctx.setLineDash([2, 3]);
    ctx.font = `10px ${theme.font}`;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'bottom';
    for (const ref of REFERENCES) {
      if (ref.dataset !== dataset) continue;
      const py = Math.round(s.ya(ref.accuracy)) + 0.5;
      ctx.strokeStyle = theme.muted;
      ctx.beginPath();
      ctx.moveTo(s.x0, py);
      ctx.lineTo(s.x1, py);
      ctx.stroke();
      ctx.fillStyle = theme.muted;
      ctx.fillText(ref.label, s.x1 - 2, py - 1);
    }
    ctx.setLineDash([]);
  }
  ctx.restore();
  return drawn;
}
