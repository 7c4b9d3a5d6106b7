/**
 * Painting the overlaid runs and the reference lines on the loss chart: each shown run's smoothed loss
 * (dashed, in its own colour) and its test accuracy per epoch (hollow dots); each reference a labelled
 * dotted line on the accuracy axis.
 */
import type { DatasetName } from '../../../data/dataset';
import { formatSeconds } from '../../../engine/cost';
import { LIMITS } from '../../../engine/types';
import { REFERENCES, type RunsState, type SavedRun } from '../../../store/runs';
import type { ThemeColors } from '../../canvas/theme';
import { formatInt } from '../../ui/format';

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

/**
 * A shown run's figures, drawn in its colour at the top of the plot: its batch, the steps an epoch makes,
 * the time a step took and how far it got in how long — "batch 1 · 6,000 steps/epoch · 0.9 ms/step ·
 * loss 0.31 after 14 s" (the lesson "batch size" compares them). Without a recorded time (runs kept before
 * it was), the batch and the steps alone.
 */
export function runFigures(r: SavedRun): string {
  const batch = r.config.batchSize >= LIMITS.maxBatchSize ? 'all' : formatInt(r.config.batchSize);
  const parts = [`batch ${batch}`];
  const first = r.epochs[0];
  const last = r.epochs[r.epochs.length - 1];
  if (first && first.epoch > 0) {
    const perEpoch = Math.round(first.step / first.epoch);
    parts.push(`${formatInt(perEpoch)} ${perEpoch === 1 ? 'step' : 'steps'}/epoch`);
  }
  if (last && last.trainSeconds !== undefined && last.step > 0) {
    parts.push(`${formatSeconds(last.trainSeconds / last.step)}/step`);
    const loss = r.curve.loss[r.curve.loss.length - 1];
    if (loss !== undefined)
      parts.push(`loss ${loss.toPrecision(2)} after ${formatSeconds(last.trainSeconds)}`);
  }
  return parts.join(' · ');
}

export interface OverlayScales {
  x(step: number): number;
  y(loss: number): number;
  /** The accuracy axis, or null when the chart has none yet. */
  ya: ((accuracy: number) => number) | null;
  x0: number;
  x1: number;
  /** The plot's top edge (the runs' figures go under it). */
  top: number;
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
  // Each shown run's figures, one line each under the plot's top edge, right-aligned, in its colour (over
  // the reference lines' labels).
  ctx.font = `10px ${theme.font}`;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'top';
  let line = 0;
  runs.shown.forEach((id, i) => {
    const r = runs.runs.find((q) => q.id === id);
    if (!r || r.curve.steps.length === 0) return;
    const text = runFigures(r);
    const y = s.top + 4 + 13 * line++;
    const w = ctx.measureText(text).width;
    ctx.fillStyle = theme.panel;
    ctx.globalAlpha = 0.9;
    ctx.fillRect(s.x1 - 6 - w, y - 1, w + 4, 12);
    ctx.globalAlpha = 1;
    ctx.fillStyle = runColor(i);
    ctx.fillText(text, s.x1 - 4, y);
  });
  ctx.restore();
  return drawn;
}
