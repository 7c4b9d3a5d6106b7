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

/** "mean 0.21 · std 0.35 · dead 3 % · saturated 0 %" */
export function healthLine(h: HealthData): string {
  return `mean ${formatValue(h.mean, 2)} · std ${formatValue(h.std, 2)} · dead ${formatPercent(h.deadFraction, 0)} · saturated ${formatPercent(h.saturatedFraction, 0)}`;
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
  const rowH = H / rows;
  let hoverText: string | null = null;
  for (let l = 0; l < rows; l++) {
    const h = health[l];
    if (!h) continue;
    const top = l * rowH;
    const textY = top + 12;
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'left';
    ctx.fillStyle = selected?.layer === l ? theme.accent : theme.fg;
    ctx.fillText(
      `Layer ${l + 1} · ${hidden[l]} ${ACTIVATION_LABELS[activation as keyof typeof ACTIVATION_LABELS] ?? activation}`,
      4,
      textY,
    );
    ctx.fillStyle = theme.muted;
    ctx.textAlign = 'right';
    ctx.fillText(healthLine(h), W - 4, textY + 14);
    // Histogram: bars over the layer's range; the tallest bin fills the height.
    const bx0 = 4;
    const bx1 = W - 4;
    const by0 = top + rowH - 14;
    const by1 = top + 40;
    const counts = h.histogram.counts;
    let max = 0;
    for (const c of counts) max = Math.max(max, c);
    const bw = (bx1 - bx0) / counts.length;
    ctx.fillStyle = selected?.layer === l ? theme.accent : theme.loss;
    for (let b = 0; b < counts.length; b++) {
      const hh = max > 0 ? ((by0 - by1) * counts[b]!) / max : 0;
      ctx.fillRect(bx0 + b * bw + 0.5, by0 - hh, Math.max(1, bw - 1), hh);
    }
    ctx.strokeStyle = theme.grid;
    ctx.beginPath();
    ctx.moveTo(bx0, Math.round(by0) + 0.5);
    ctx.lineTo(bx1, Math.round(by0) + 0.5);
    ctx.stroke();
    ctx.fillStyle = theme.muted;
    ctx.textBaseline = 'top';
    ctx.textAlign = 'left';
    ctx.fillText(formatValue(h.histogram.lo, 2), bx0, by0 + 2);
    ctx.textAlign = 'right';
    ctx.fillText(formatValue(h.histogram.hi, 2), bx1, by0 + 2);
    if (hover && hover.y >= by1 && hover.y <= by0 && hover.x >= bx0 && hover.x < bx1) {
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
