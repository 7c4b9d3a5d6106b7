/**
 * Loss and accuracy over training steps: the raw per-batch training loss (faint), its smoothed curve, test
 * loss and test accuracy dots at each epoch end (accuracy on the right axis), validation loss dots and line
 * when the run holds images out, epoch boundaries, where and why the run stopped by itself (a marker), a
 * hover read-out and a log-scale toggle for the loss.
 *
 * d3 computes scales and ticks; the canvas draws (thousands of points at 15 updates/s). The element carries
 * its state for tests: data-points (raw points held), data-last-loss (last smoothed loss), data-test-points,
 * data-validation-points, data-stop-marker (the marker's label, '' when none).
 */
import { useCallback, useRef, useState } from 'react';
import { scaleLinear, scaleLog } from 'd3-scale';
import { useRunStore, type EpochResult } from '../../../store/run';
import { useConfigStore } from '../../../store/config';
import { useRunsStore } from '../../../store/runs';
import { telemetryStore } from '../../../store/telemetry';
import { RunsMenu } from './RunsMenu';
import { paintRunOverlays, shownLastStep } from './runOverlay';
import { formatInt, formatPercent, formatValue } from '../../ui/format';
import { accuracyDomain, nearestIndex, smoothSeries } from './lossChartLayout';
import { axisTicks, labelMargin, type Measure } from '../../canvas/axisTicks';
import { Timeline } from '../Timeline/Timeline';
import { useTimelineStore } from '../../../store/timeline';
import { Panel } from '../../ui/Panel';
import { getTheme } from '../../canvas/theme';
import { columnPoints, spacedMarks, type ColumnPoints } from '../../canvas/pixelColumns';
import {
  useHoverHandlers,
  useCanvasPainter,
  type HoverPoint,
  type PaintSize,
  type Subscribe,
} from '../../canvas/useCanvasPainter';

const SOURCES: Subscribe[] = [
  (cb) => telemetryStore.subscribe(cb),
  (cb) => useRunStore.subscribe(cb),
  (cb) => useRunsStore.subscribe(cb),
  (cb) =>
    useTimelineStore.subscribe((s, prev) => {
      if (s.viewing !== prev.viewing) cb();
    }),
];
/** Fixed margins; the left and right ones grow with their labels (see paintLoss). */
const M = { left: 30, right: 30, top: 24, bottom: 22 };
/** Pixels between an axis and its labels. */
const LABEL_PAD = 6;

let smoothBuf = new Float64Array(0);
/** The series reduced to the canvas's pixel columns (pixelColumns.ts), reused between paints. */
const columns: ColumnPoints = { x: new Float64Array(0), y: new Float64Array(0), count: 0 };
/** Epoch marks closer than this (CSS px) are thinned: a smear of dashed lines, and a stroke each. */
const EPOCH_MARK_GAP = 6;
/** Dots closer than this (their diameter) are thinned the same way; the line still joins every epoch. */
const DOT_GAP = 8;

/** A polyline through n points, reduced to what the canvas's pixel columns can show. */
function strokeColumns(
  ctx: CanvasRenderingContext2D,
  n: number,
  px: (i: number) => number,
  py: (i: number) => number,
  dpr: number,
): void {
  const c = columnPoints(n, px, py, dpr, columns);
  ctx.beginPath();
  for (let i = 0; i < c.count; i++) {
    if (i === 0) ctx.moveTo(c.x[i], c.y[i]);
    else ctx.lineTo(c.x[i], c.y[i]);
  }
  ctx.stroke();
}

function paintLoss(
  ctx: CanvasRenderingContext2D,
  size: PaintSize,
  log: boolean,
  hover: { x: number; y: number } | null,
  host: HTMLElement | null,
) {
  const theme = getTheme();
  const { loss } = telemetryStore.getState();
  const { epochs, stopped } = useRunStore.getState();
  const validated = epochs.filter((e) => e.validationLoss !== undefined);
  const n = loss.x.length;
  if (smoothBuf.length < n) smoothBuf = new Float64Array(Math.max(n, 2 * smoothBuf.length));
  const smooth = smoothSeries(loss.x, loss.y, 0.98, smoothBuf);
  if (host) {
    host.dataset.points = String(n);
    host.dataset.lastLoss = n ? smooth[n - 1].toFixed(4) : '';
    host.dataset.testPoints = String(epochs.length);
    host.dataset.validationPoints = String(validated.length);
    host.dataset.stopMarker = stopped?.message ?? '';
  }
  const W = size.width;
  const H = size.height;
  const y0 = H - M.bottom;
  const y1 = M.top;
  ctx.font = `11px ${theme.font}`;
  const measure: Measure = (t) => ctx.measureText(t).width;

  if (n === 0) {
    ctx.fillStyle = theme.muted;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText('Press Train: the loss curve appears here.', W / 2, H / 2);
    return;
  }
  if (y0 - y1 < 20) return;

  // ── vertical scales and their ticks first: their labels' widths decide the side margins ──
  let maxL = 0;
  let minL = Infinity;
  for (let i = 0; i < n; i++) {
    if (smooth[i] > maxL) maxL = smooth[i];
    if (loss.y[i] > 0 && loss.y[i] < minL) minL = loss.y[i];
  }
  for (const e of epochs) {
    for (const l of [e.testLoss, e.validationLoss ?? NaN]) {
      if (!Number.isFinite(l)) continue;
      maxL = Math.max(maxL, l);
      if (l > 0) minL = Math.min(minL, l);
    }
  }
  if (!Number.isFinite(maxL)) maxL = Number.MAX_VALUE / 2;
  const yLin = scaleLinear()
    .domain([0, maxL * 1.1 || 1])
    .range([y0, y1]);
  const yLog = scaleLog()
    .domain([Math.max(1e-4, Number.isFinite(minL) ? minL * 0.9 : 1e-3), Math.max(maxL * 1.3, 1e-3)])
    .range([y0, y1])
    .clamp(true);
  const y = (v: number) => (log ? yLog(Math.max(v, 1e-6)) : Math.min(y0, Math.max(y1 - 4, yLin(v))));
  // My digits' test half: its own series on the accuracy axis (epochs that had one).
  const mine = epochs.filter((e) => e.myDigitsAccuracy !== undefined);
  if (host) host.dataset.myDigitsPoints = String(mine.length);
  const accs = [...epochs.map((e) => e.testAccuracy), ...mine.map((e) => e.myDigitsAccuracy!)].filter(
    Number.isFinite,
  );
  const ya = scaleLinear().domain(accuracyDomain(accs)).range([y0, y1]);
  const [dLo, dHi] = (log ? yLog : yLin).domain();
  const yTicks = axisTicks({ domain: [dLo, dHi], range: [y0, y1], axis: 'y', log, measure });
  const aTicks = accs.length
    ? axisTicks({
        domain: ya.domain() as [number, number],
        range: [y0, y1],
        axis: 'y',
        measure,
        format: (vs) => vs.map((v) => formatPercent(v, 0)),
      })
    : [];
  const x0 = labelMargin(
    yTicks.map((t) => t.label),
    measure,
    LABEL_PAD + 2,
    M.left,
  );
  const x1 = W - labelMargin(['100%', ...aTicks.map((t) => t.label)], measure, LABEL_PAD + 2, M.right);
  if (x1 - x0 < 20) return;

  const firstX = loss.x[0];
  const runs = useRunsStore.getState();
  const lastX = Math.max(
    loss.x[n - 1],
    epochs.length ? epochs[epochs.length - 1].step : 0,
    firstX + 1,
    shownLastStep(runs),
  );
  // 2 % of room on the right so the newest epoch's dots are not cut by the axis.
  const x0Domain = Math.min(0, firstX);
  const x = scaleLinear()
    .domain([x0Domain, lastX + (lastX - x0Domain) * 0.02])
    .range([x0, x1]);

  // ── grid and axes ──
  ctx.strokeStyle = theme.grid;
  ctx.lineWidth = 1;
  ctx.fillStyle = theme.muted;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of yTicks) {
    const py = Math.round(t.pos) + 0.5;
    ctx.beginPath();
    ctx.moveTo(x0, py);
    ctx.lineTo(x1, py);
    ctx.stroke();
    ctx.fillText(t.label, x0 - LABEL_PAD, py);
  }
  // The axis title sits at the right end of the tick row (under the plot, clear of the accuracy labels);
  // ticks whose label would reach it are dropped.
  const title = 'step';
  const titleLeft = x1 - measure(title);
  const xTicks = axisTicks({
    domain: x.domain() as [number, number],
    range: [x0, x1],
    axis: 'x',
    measure,
    bounds: [0, titleLeft - 10],
  });
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of xTicks) ctx.fillText(t.label, t.pos, y0 + 5);
  ctx.textAlign = 'left';
  ctx.fillText(title, titleLeft, y0 + 5);
  if (aTicks.length) {
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    for (const t of aTicks) ctx.fillText(t.label, x1 + LABEL_PAD, t.pos);
  }
  ctx.strokeStyle = theme.border;
  ctx.beginPath();
  ctx.moveTo(x0 + 0.5, y1);
  ctx.lineTo(x0 + 0.5, y0 + 0.5);
  ctx.lineTo(x1, y0 + 0.5);
  ctx.stroke();

  // Epoch boundaries: one path; where epochs are only a few pixels apart, every few (the newest always).
  const epochX = epochs.map((e) => x(e.step));
  ctx.setLineDash([3, 4]);
  ctx.strokeStyle = theme.border;
  ctx.beginPath();
  for (const i of spacedMarks(epochX, EPOCH_MARK_GAP)) {
    const px = Math.round(epochX[i]) + 0.5;
    ctx.moveTo(px, y1);
    ctx.lineTo(px, y0);
  }
  ctx.stroke();
  ctx.setLineDash([]);

  // ── series ──
  ctx.save();
  ctx.beginPath();
  ctx.rect(x0, y1 - 4, x1 - x0, y0 - y1 + 4);
  ctx.clip();
  ctx.lineJoin = 'round';
  ctx.strokeStyle = theme.loss;
  ctx.globalAlpha = 0.22;
  ctx.lineWidth = 1;
  const stepX = (i: number) => x(loss.x[i]);
  strokeColumns(ctx, n, stepX, (i) => y(loss.y[i]), size.dpr);
  ctx.globalAlpha = 1;
  ctx.lineWidth = 2;
  strokeColumns(ctx, n, stepX, (i) => y(smooth[i]), size.dpr);
  ctx.restore();

  // Per-epoch series: a line through every epoch, dots a few pixels apart (the newest always).
  const line = (xs: number[], yOf: (i: number) => number, colour: string, dash: number[] = []) => {
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1.5;
    ctx.setLineDash(dash);
    strokeColumns(ctx, xs.length, (i) => xs[i], yOf, size.dpr);
    ctx.setLineDash([]);
  };
  const dots = (xs: number[], yOf: (i: number) => number, colour: string) => {
    for (const i of spacedMarks(xs, DOT_GAP)) dot(ctx, xs[i], yOf(i), colour, theme.panel);
  };
  if (epochs.length) {
    const acc = (i: number) => ya(epochs[i].testAccuracy);
    line(epochX, acc, theme.testAccuracy);
    dots(epochX, acc, theme.testAccuracy);
    dots(epochX, (i) => y(epochs[i].testLoss), theme.testLoss);
  }
  if (mine.length) {
    const mineX = mine.map((e) => x(e.step));
    const acc = (i: number) => ya(mine[i].myDigitsAccuracy!);
    line(mineX, acc, theme.myDigits, [4, 3]);
    dots(mineX, acc, theme.myDigits);
  }
  // Validation loss per epoch: a line (its rise while the training loss falls is overfitting) and dots.
  if (validated.length) {
    const validatedX = validated.map((e) => x(e.step));
    const validationY = (i: number) => y(validated[i].validationLoss!);
    line(validatedX, validationY, theme.validation);
    dots(validatedX, validationY, theme.validation);
  }
  // Where and why the run stopped by itself: a vertical marker with its label.
  if (stopped) {
    const px = Math.round(x(stopped.step)) + 0.5;
    ctx.strokeStyle = theme.fg;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.moveTo(px, y1);
    ctx.lineTo(px, y0);
    ctx.stroke();
    ctx.fillStyle = theme.fg;
    ctx.textBaseline = 'top';
    const tw = ctx.measureText(stopped.message).width;
    ctx.textAlign = px + 4 + tw < x1 ? 'left' : 'right';
    ctx.fillText(stopped.message, ctx.textAlign === 'left' ? px + 4 : px - 4, y1 + 2);
  }

  // The kept moment the timeline shows (its views are of then): a dashed line at its step.
  const viewing = useTimelineStore.getState().viewing;
  if (viewing !== null) {
    const px = Math.round(x(viewing)) + 0.5;
    ctx.strokeStyle = theme.accent;
    ctx.lineWidth = 2;
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.moveTo(px, y1);
    ctx.lineTo(px, y0);
    ctx.stroke();
    ctx.setLineDash([]);
  }

  // ── earlier runs of the session, and the literature's figures ──
  const overlaid = paintRunOverlays(
    ctx,
    runs,
    useConfigStore.getState().dataset,
    { x, y, ya, x0, x1, top: y1 },
    theme,
  );
  if (host) host.dataset.runsShown = String(overlaid);

  // ── legend ──
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  let lx = x0 + 2;
  const ly = 10;
  // With a validation item too, shorter words keep the legend on one line of a narrow panel.
  const trainLabel = validated.length || mine.length ? 'train loss' : 'train loss (smoothed)';
  const item = (draw: () => void, text: string) => {
    draw();
    ctx.fillStyle = theme.muted;
    ctx.fillText(text, lx + 16, ly);
    lx += 16 + ctx.measureText(text).width + 14;
  };
  item(() => {
    ctx.strokeStyle = theme.loss;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(lx, ly);
    ctx.lineTo(lx + 12, ly);
    ctx.stroke();
  }, trainLabel);
  item(() => dot(ctx, lx + 6, ly, theme.testLoss, theme.panel), 'test loss');
  if (validated.length) item(() => dot(ctx, lx + 6, ly, theme.validation, theme.panel), 'validation');
  item(
    () => dot(ctx, lx + 6, ly, theme.testAccuracy, theme.panel),
    mine.length ? 'test acc. →' : 'test accuracy →',
  );
  if (mine.length) item(() => dot(ctx, lx + 6, ly, theme.myDigits, theme.panel), 'mine →');

  // ── hover read-out ──
  if (hover && hover.x >= x0 && hover.x <= x1 && hover.y >= y1 - 4 && hover.y <= y0) {
    const i = nearestIndex(loss.x, x.invert(hover.x));
    const px = x(loss.x[i]);
    ctx.strokeStyle = theme.muted;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(Math.round(px) + 0.5, y1);
    ctx.lineTo(Math.round(px) + 0.5, y0);
    ctx.stroke();
    dot(ctx, px, y(smooth[i]), theme.loss, theme.panel);
    const lines = [
      `step ${formatInt(loss.x[i])}`,
      `loss ${formatValue(loss.y[i])} · smoothed ${formatValue(smooth[i])}`,
    ];
    let last: EpochResult | null = null;
    for (const e of epochs) if (e.step <= loss.x[i]) last = e;
    if (last) {
      lines.push(
        `epoch ${last.epoch}: test ${formatPercent(last.testAccuracy)} · loss ${formatValue(last.testLoss)}`,
      );
      if (last.myDigitsAccuracy !== undefined)
        lines.push(`my digits (test half) ${formatPercent(last.myDigitsAccuracy)}`);
      if (last.validationLoss !== undefined) {
        lines.push(
          `validation ${formatPercent(last.validationAccuracy ?? 0)} · loss ${formatValue(last.validationLoss)}`,
        );
      }
    }
    const tw = Math.max(...lines.map((l) => ctx.measureText(l).width)) + 14;
    const th = lines.length * 15 + 8;
    const bx = px + 10 + tw < x1 ? px + 10 : px - 10 - tw;
    const by = y1 + 4;
    ctx.fillStyle = theme.fg;
    ctx.globalAlpha = 0.92;
    roundRect(ctx, bx, by, tw, th, 5);
    ctx.fill();
    ctx.globalAlpha = 1;
    ctx.fillStyle = theme.panel;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    lines.forEach((l, k) => ctx.fillText(l, bx + 7, by + 5 + k * 15));
  }
}

function dot(ctx: CanvasRenderingContext2D, x: number, y: number, fill: string, ring: string) {
  ctx.beginPath();
  ctx.arc(x, y, 4, 0, Math.PI * 2);
  ctx.fillStyle = fill;
  ctx.fill();
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = ring;
  ctx.stroke();
}

function roundRect(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, r: number) {
  ctx.beginPath();
  ctx.moveTo(x + r, y);
  ctx.arcTo(x + w, y, x + w, y + h, r);
  ctx.arcTo(x + w, y + h, x, y + h, r);
  ctx.arcTo(x, y + h, x, y, r);
  ctx.arcTo(x, y, x + w, y, r);
  ctx.closePath();
}

export function LossChart() {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const hostRef = useRef<HTMLDivElement>(null);
  const hoverRef = useRef<HoverPoint>(null);
  const [log, setLog] = useState(false);
  const paint = useCallback(
    (ctx: CanvasRenderingContext2D, size: PaintSize) =>
      paintLoss(ctx, size, log, hoverRef.current, hostRef.current),
    [log],
  );
  const painter = useCanvasPainter(canvasRef, paint, SOURCES);
  const hover = useHoverHandlers(hoverRef, painter);

  return (
    <Panel
      title="Loss & accuracy"
      view="loss-chart"
      info="How wrong the network is on each training batch (faint) and on average (line), with the accuracy on the 10,000 unseen test images after each epoch. Hover for values."
      actions={
        <>
          <RunsMenu />
          <button
            type="button"
            className="toggle"
            aria-pressed={log}
            data-testid="loss-log-toggle"
            title="Logarithmic loss axis: late, small improvements become visible"
            onClick={() => setLog((v) => !v)}
          >
            log scale
          </button>
        </>
      }
    >
      <div
        ref={hostRef}
        data-testid="loss-chart"
        data-points="0"
        data-last-loss=""
        data-validation-points="0"
        data-stop-marker=""
        className="loss-chart-host"
        {...hover}
      >
        <canvas
          ref={canvasRef}
          className="fill"
          role="img"
          aria-label="Training loss and test accuracy over steps"
        />
      </div>
      <Timeline />
    </Panel>
  );
}
