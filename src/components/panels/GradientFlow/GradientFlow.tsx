/**
 * Gradient flow: for every weight layer, the size of its gradient ‖∂L/∂W‖ (top) and of its last update
 * relative to its weights ‖ΔW‖/‖W‖ (bottom) over the training steps, on log axes, one line per layer
 * coloured by depth. Vanishing gradients read at a glance: in a deep sigmoid network the first layer's
 * line sits orders of magnitude below the last one's; with ReLU and He they run together.
 */
import { useCallback, useRef } from 'react';
import { scaleLinear, scaleLog } from 'd3-scale';
import { useConfigStore } from '../../../store/config';
import { flowStore, useInsideStore } from '../../../store/inside';
import { getTheme } from '../../canvas/theme';
import {
  useCanvasPainter,
  useHoverHandlers,
  type HoverPoint,
  type PaintSize,
  type Subscribe,
} from '../../canvas/useCanvasPainter';
import { formatInt, formatValue } from '../../ui/format';
import { Panel } from '../../ui/Panel';
import { nearestIndex } from '../LossChart/lossChartLayout';
import { decadeTicks, depthColor, formatDecade, layerName, logDomain } from './gradientFlowLayout';

const SOURCES: Subscribe[] = [(cb) => flowStore.subscribe(cb), (cb) => useInsideStore.subscribe(cb)];

interface Chart {
  title: string;
  series: number[][];
}

function paintFlow(
  ctx: CanvasRenderingContext2D,
  size: PaintSize,
  sizes: readonly number[],
  hover: HoverPoint,
  host: HTMLElement | null,
) {
  const theme = getTheme();
  const { steps, gradNorm, updateRatio } = flowStore.getState();
  const selected = useInsideStore.getState().selectedUnit;
  const n = steps.length;
  const layers = gradNorm.length;
  if (host) host.dataset.points = String(n);
  ctx.font = `11px ${theme.font}`;
  const W = size.width;
  const H = size.height;
  if (n === 0) {
    ctx.fillStyle = theme.muted;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText('Train a few steps: one line per layer appears here.', W / 2, H / 2);
    return;
  }
  const charts: Chart[] = [
    { title: 'gradient ‖∂L/∂W‖', series: gradNorm },
    { title: 'update ‖ΔW‖ / ‖W‖', series: updateRatio },
  ];
  // The widest tick label decides the left margin, so no label is ever cut.
  const domains = charts.map((c) => logDomain(c.series));
  let labelWidth = 0;
  for (const d of domains) {
    if (!d) continue;
    for (const t of decadeTicks(d[0], d[1], 8)) {
      labelWidth = Math.max(labelWidth, ctx.measureText(formatDecade(t)).width);
    }
  }
  const x0 = Math.ceil(labelWidth) + 10;
  const x1 = W - 8;
  const legendH = 16;
  const gap = 10;
  const bottom = 16;
  const chartH = (H - legendH - bottom - gap) / 2;
  const x = scaleLinear()
    .domain([steps[0]!, Math.max(steps[n - 1]!, steps[0]! + 1)])
    .range([x0, x1]);
  const hi = hover && hover.x >= x0 && hover.x <= x1 ? nearestIndex(steps, x.invert(hover.x)) : -1;

  charts.forEach((chart, ci) => {
    const top = legendH + ci * (chartH + gap) + 12;
    const y0 = top + chartH - 12;
    const domain = domains[ci];
    ctx.fillStyle = theme.muted;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'bottom';
    ctx.fillText(chart.title, x0, top - 1);
    if (!domain) return;
    const y = scaleLog().domain(domain).range([y0, top]).clamp(true);
    const ticks = decadeTicks(domain[0], domain[1], Math.max(2, Math.floor((y0 - top) / 14)));
    ctx.strokeStyle = theme.grid;
    ctx.lineWidth = 1;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const t of ticks) {
      const py = Math.round(y(t)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x0, py);
      ctx.lineTo(x1, py);
      ctx.stroke();
      ctx.fillStyle = theme.muted;
      ctx.fillText(formatDecade(t), x0 - 5, py);
    }
    ctx.save();
    ctx.beginPath();
    ctx.rect(x0, top - 2, x1 - x0, y0 - top + 4);
    ctx.clip();
    ctx.lineJoin = 'round';
    for (let l = 0; l < layers; l++) {
      const s = chart.series[l]!;
      ctx.strokeStyle = depthColor(l, layers, theme.dark);
      ctx.lineWidth = selected && selected.layer === l ? 3 : 1.5;
      ctx.beginPath();
      let pen = false;
      for (let i = 0; i < n; i++) {
        const v = s[i]!;
        if (!(v > 0) || !Number.isFinite(v)) {
          pen = false;
          continue;
        }
        const px = x(steps[i]!);
        const py = y(v);
        if (pen) ctx.lineTo(px, py);
        else ctx.moveTo(px, py);
        pen = true;
      }
      ctx.stroke();
    }
    ctx.restore();
    if (hi >= 0) {
      const px = Math.round(x(steps[hi]!)) + 0.5;
      ctx.strokeStyle = theme.muted;
      ctx.beginPath();
      ctx.moveTo(px, top);
      ctx.lineTo(px, y0);
      ctx.stroke();
    }
  });

  // Step axis: first and last step only (the scale is what matters, not the step numbers).
  ctx.fillStyle = theme.muted;
  ctx.textBaseline = 'bottom';
  ctx.textAlign = 'left';
  ctx.fillText(`step ${formatInt(steps[0]!)}`, x0, H - 1);
  ctx.textAlign = 'right';
  ctx.fillText(formatInt(steps[n - 1]!), x1, H - 1);

  // Legend: layer colours (first layer darkest).
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  let lx = x0;
  for (let l = 0; l < layers; l++) {
    const text = `W${l + 1}`;
    ctx.fillStyle = depthColor(l, layers, theme.dark);
    ctx.fillRect(lx, 5, 12, 3);
    ctx.fillStyle = theme.muted;
    ctx.fillText(text, lx + 15, 7);
    lx += 15 + ctx.measureText(text).width + 10;
  }

  // Hover read-out: the step and each layer's two figures.
  if (hi >= 0) {
    const lines = [`step ${formatInt(steps[hi]!)}`];
    for (let l = 0; l < layers; l++) {
      lines.push(
        `${layerName(l, sizes)}: ‖∂L/∂W‖ ${formatValue(gradNorm[l]![hi]!)} · ratio ${formatValue(updateRatio[l]![hi]!)}`,
      );
    }
    const w = Math.max(...lines.map((t) => ctx.measureText(t).width)) + 12;
    const h = lines.length * 14 + 8;
    const bx = Math.min(Math.max(x0, hover!.x + 12), W - w - 2);
    const by = Math.min(Math.max(2, hover!.y - h / 2), H - h - 2);
    ctx.fillStyle = theme.panel;
    ctx.strokeStyle = theme.border;
    ctx.fillRect(bx, by, w, h);
    ctx.strokeRect(bx + 0.5, by + 0.5, w - 1, h - 1);
    ctx.textBaseline = 'top';
    lines.forEach((t, i) => {
      ctx.fillStyle = i === 0 ? theme.fg : depthColor(i - 1, layers, theme.dark);
      ctx.fillText(t, bx + 6, by + 4 + i * 14);
    });
  }
}

export function GradientFlow() {
  const sizes = useConfigStore((s) =>
    [s.config.inputSize, ...s.config.hidden, s.config.outputSize].join('-'),
  );
  const layerSizes = sizes.split('-').map(Number);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const hostRef = useRef<HTMLDivElement>(null);
  const hoverRef = useRef<HoverPoint>(null);
  const paint = useCallback(
    (ctx: CanvasRenderingContext2D, size: PaintSize) =>
      paintFlow(ctx, size, sizes.split('-').map(Number), hoverRef.current, hostRef.current),
    [sizes],
  );
  const painter = useCanvasPainter(canvasRef, paint, SOURCES);
  const hover = useHoverHandlers(hoverRef, painter);
  return (
    <Panel
      title="Gradient flow"
      info="How strongly each layer is told to change. Top: the size of its gradient ‖∂L/∂W‖; bottom: its last step relative to its weights, ‖ΔW‖/‖W‖ (healthy ≈ 0.001). Log scales: one grid line is ×10. When the first layer's line sits far below the last one's, the gradient vanishes on its way back."
      className="inside-flow"
      view="gradient-flow"
    >
      <div
        ref={hostRef}
        data-testid="gradient-flow"
        data-layers={layerSizes.length - 1}
        data-points="0"
        style={{ position: 'absolute', inset: 0 }}
        {...hover}
      >
        <canvas
          ref={canvasRef}
          className="fill"
          role="img"
          aria-label="Gradient norm and update ratio per layer over the steps"
        />
      </div>
    </Panel>
  );
}
