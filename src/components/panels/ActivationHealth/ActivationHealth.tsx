/**
 * Activation health: for each hidden layer, a histogram of its outputs over a fixed batch of 64 training
 * images, their mean and spread, the share of dead units (a ReLU that outputs 0 for every one of those
 * images — it gets no gradient, so it never learns again) and of saturated outputs (sigmoid below 0.01 or
 * above 0.99, tanh beyond ±0.99 — there f′ ≈ 0, so the signal backwards nearly stops).
 */
import { useCallback, useRef } from 'react';
import { useConfigStore } from '../../../store/config';
import { flowStore, useInsideStore, type HealthData } from '../../../store/inside';
import { ACTIVATION_LABELS } from '../../ui/labels';
import { getTheme } from '../../canvas/theme';
import {
  useCanvasPainter,
  useHoverHandlers,
  type HoverPoint,
  type PaintSize,
  type Subscribe,
} from '../../canvas/useCanvasPainter';
import { formatPercent, formatValue } from '../../ui/format';
import { Panel } from '../../ui/Panel';

const SOURCES: Subscribe[] = [(cb) => flowStore.subscribe(cb), (cb) => useInsideStore.subscribe(cb)];

/** ["mean 0.21 · std 0.35", "dead 3% · saturated 0%"] */
export function healthLines(h: HealthData): [string, string] {
  return [
    `mean ${formatValue(h.mean, 2)} · std ${formatValue(h.std, 2)}`,
    `dead ${formatPercent(h.deadFraction, 0)} · saturated ${formatPercent(h.saturatedFraction, 0)}`,
  ];
}

/** `text`, cut with an ellipsis to fit `width` px. */
function fitText(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let t = text;
  while (t.length > 1 && ctx.measureText(`${t}…`).width > width) t = t.slice(0, -1);
  return `${t}…`;
}

function paintHealth(
  ctx: CanvasRenderingContext2D,
  size: PaintSize,
  hidden: readonly number[],
  activation: string,
  hover: HoverPoint,
  host: HTMLElement | null,
) {
  const theme = getTheme();
  const health = flowStore.getState().health;
  const selected = useInsideStore.getState().selectedUnit;
  ctx.font = `11px ${theme.font}`;
  const W = size.width;
  const H = size.height;
  const rows = hidden.length;
  if (host) host.dataset.layers = health ? String(Math.min(rows, health.length - 1)) : '0';
  // The dead share of each hidden layer, for tests (the dead-ReLU lesson).
  if (host)
    host.dataset.dead = health
      ? health
          .slice(0, rows)
          .map((h) => h.deadFraction.toFixed(3))
          .join(' ')
      : '';
  if (rows === 0) {
    ctx.fillStyle = theme.muted;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText('No hidden layer: nothing between the pixels and the output.', W / 2, H / 2);
    return;
  }
  if (!health) {
    ctx.fillStyle = theme.muted;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText('Waiting for the first snapshot…', W / 2, H / 2);
    return;
  }
  // One row per hidden layer: its name and figures on the left, its histogram on the right.
  const rowH = H / rows;
  const textW = Math.min(200, Math.max(120, W * 0.46));
  const bx0 = textW + 8;
  const bx1 = W - 4;
  const showRange = rowH >= 40;
  let hoverText: string | null = null;
  for (let l = 0; l < rows; l++) {
    const h = health[l];
    if (!h) continue;
    const top = l * rowH;
    const mid = top + rowH / 2;
    const isSel = selected?.layer === l;
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'left';
    ctx.fillStyle = isSel ? theme.accent : theme.fg;
    const name = ACTIVATION_LABELS[activation as keyof typeof ACTIVATION_LABELS] ?? activation;
    // Three lines where the row has room, else the name and the figures on one line each.
    const [spread, share] = healthLines(h);
    const lines = rowH >= 52 ? [spread, share] : [`${spread} · ${share}`];
    const y0 = mid - (lines.length * 13) / 2;
    ctx.fillText(fitText(ctx, `Layer ${l + 1} · ${hidden[l]} ${name}`, textW), 4, y0);
    ctx.fillStyle = theme.muted;
    lines.forEach((t, i) => ctx.fillText(fitText(ctx, t, textW), 4, y0 + 13 * (i + 1)));
    if (h.deadFraction > 0.5 || h.saturatedFraction > 0.5) {
      ctx.fillStyle = theme.testLoss;
      ctx.fillText('⚠', textW - 8, y0);
    }
    // Histogram: bars over the layer's range; the tallest bin fills the row.
    const by0 = top + rowH - (showRange ? 14 : 4);
    const by1 = top + 4;
    const counts = h.histogram.counts;
    let max = 0;
    for (const c of counts) max = Math.max(max, c);
    const bw = (bx1 - bx0) / counts.length;
    ctx.fillStyle = isSel ? theme.accent : theme.loss;
    for (let b = 0; b < counts.length; b++) {
      const hh = max > 0 ? ((by0 - by1) * counts[b]!) / max : 0;
      if (counts[b]! > 0)
        ctx.fillRect(bx0 + b * bw + 0.5, by0 - Math.max(1, hh), Math.max(1, bw - 1), Math.max(1, hh));
    }
    ctx.strokeStyle = theme.grid;
    ctx.beginPath();
    ctx.moveTo(bx0, Math.round(by0) + 0.5);
    ctx.lineTo(bx1, Math.round(by0) + 0.5);
    ctx.stroke();
    if (showRange) {
      ctx.fillStyle = theme.muted;
      ctx.textBaseline = 'top';
      ctx.textAlign = 'left';
      ctx.fillText(formatValue(h.histogram.lo, 2), bx0, by0 + 2);
      ctx.textAlign = 'right';
      ctx.fillText(formatValue(h.histogram.hi, 2), bx1, by0 + 2);
    }
    if (hover && hover.y >= top && hover.y < top + rowH && hover.x >= bx0 && hover.x < bx1) {
      const b = Math.min(counts.length - 1, Math.floor((hover.x - bx0) / bw));
      const w = (h.histogram.hi - h.histogram.lo) / counts.length;
      const from = h.histogram.lo + b * w;
      hoverText = `layer ${l + 1}: ${counts[b]} outputs in [${formatValue(from, 3)}, ${formatValue(from + w, 3)})`;
    }
  }
  if (hoverText && hover) {
    const w = ctx.measureText(hoverText).width + 12;
    const bx = Math.min(Math.max(2, hover.x + 10), W - w - 2);
    const by = Math.max(2, hover.y - 24);
    ctx.fillStyle = theme.panel;
    ctx.strokeStyle = theme.border;
    ctx.fillRect(bx, by, w, 18);
    ctx.strokeRect(bx + 0.5, by + 0.5, w - 1, 17);
    ctx.fillStyle = theme.fg;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    ctx.fillText(hoverText, bx + 6, by + 9);
  }
}

export function ActivationHealth() {
  const hiddenKey = useConfigStore((s) => s.config.hidden.join('-'));
  const activation = useConfigStore((s) => s.config.activation);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const hostRef = useRef<HTMLDivElement>(null);
  const hoverRef = useRef<HoverPoint>(null);
  const paint = useCallback(
    (ctx: CanvasRenderingContext2D, size: PaintSize) =>
      paintHealth(
        ctx,
        size,
        hiddenKey === '' ? [] : hiddenKey.split('-').map(Number),
        activation,
        hoverRef.current,
        hostRef.current,
      ),
    [hiddenKey, activation],
  );
  const painter = useCanvasPainter(canvasRef, paint, SOURCES);
  const hover = useHoverHandlers(hoverRef, painter);
  return (
    <Panel
      title="Activation health"
      info="What each hidden layer outputs for 64 fixed training images: a histogram, the mean and spread, the share of dead units (a ReLU that is 0 for all 64 — it gets no gradient and stops learning) and of saturated outputs (sigmoid < 0.01 or > 0.99, tanh beyond ±0.99: there the slope f′ ≈ 0 and the signal backwards fades)."
      className="inside-health"
      view="activation-health"
    >
      <div
        ref={hostRef}
        data-testid="activation-health"
        data-layers="0"
        style={{ position: 'absolute', inset: 0 }}
        {...hover}
      >
        <canvas
          ref={canvasRef}
          className="fill"
          role="img"
          aria-label="Histogram of each hidden layer's activations"
        />
      </div>
    </Panel>
  );
}
