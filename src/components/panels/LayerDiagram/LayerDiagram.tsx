/**
 * The network as a picture: the 28×28 image the network is seeing (the user's drawing, else the fixed probe
 * example from the snapshot), each layer's neurons coloured by their activation (viridis), the output layer
 * with class labels and probabilities, and the strongest connections coloured by the weight's sign.
 *
 * Drawn on a canvas from the telemetry store in requestAnimationFrame (≤ 15 updates/s while training);
 * React renders only when the architecture or class names change. Hovering a neuron shows its value.
 */
import { useCallback, useMemo, useRef, type MouseEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Activation } from '../../../engine/types';
import { useConfigStore } from '../../../store/config';
import { useRunStore } from '../../../store/run';
import { telemetryStore } from '../../../store/telemetry';
import { useInsideStore } from '../../../store/inside';
import { actions } from '../../../app/client';
import type { LayerSnapshot } from '../../../protocol/messages';
import { ColorLegend } from '../../ui/ColorLegend';
import { divergingIndex, divergingLut, sequentialIndex, sequentialLut, type Lut } from '../../canvas/colors';
import { ACTIVATION_LABELS } from '../../ui/labels';
import { hitTest, layoutDiagram, topKByMagnitude, type DiagramLayout, type Hit } from './diagramLayout';
import { formatValue } from '../../ui/format';
import { Panel } from '../../ui/Panel';
import { paintPixels } from '../../canvas/pixelImage';
import { getTheme, useThemeColors, type ThemeColors } from '../../canvas/theme';
import {
  useHoverHandlers,
  useCanvasPainter,
  type HoverPoint,
  type PaintSize,
  type Subscribe,
} from '../../canvas/useCanvasPainter';

const SOURCES: Subscribe[] = [
  (cb) => telemetryStore.subscribe(cb),
  (cb) => useInsideStore.subscribe((s, prev) => s.selectedUnit !== prev.selectedUnit && cb()),
];
/** Connections drawn between two hidden columns, and from the input image to each first-layer neuron. */
const MAX_EDGES = 64;
const PIXEL_EDGES_PER_NEURON = 3;

interface DiagramInput {
  sizes: number[];
  activation: Activation;
  classNames: string[];
}

/** What the diagram shows now: activations of the drawn digit, else of the probe. */
function currentData(sizes: number[]) {
  const { snapshot, prediction } = telemetryStore.getState();
  let activations: Float32Array[] | null = prediction?.activations ?? snapshot?.probe.activations ?? null;
  const source: 'drawing' | 'probe' | 'none' = prediction ? 'drawing' : snapshot ? 'probe' : 'none';
  // A snapshot or prediction of another shape (the network was just rebuilt) is not drawn.
  if (
    activations &&
    (activations.length !== sizes.length || activations.some((a, i) => a.length !== sizes[i]))
  ) {
    activations = null;
  }
  let layers: LayerSnapshot[] | null = snapshot?.layers ?? null;
  if (
    layers &&
    (layers.length !== sizes.length - 1 ||
      layers.some((L, i) => L.inSize !== sizes[i] || L.outSize !== sizes[i + 1]))
  ) {
    layers = null;
  }
  return { activations, layers, source, probeLabel: snapshot?.probe.label ?? null };
}

/** Activation → 0..1 for the colour scale. ReLU-like layers are unbounded: divide by the layer's max. */
function normaliser(values: Float32Array, kind: Activation | 'softmax'): (v: number) => number {
  if (kind === 'sigmoid' || kind === 'softmax') return (v) => v;
  if (kind === 'tanh') return (v) => (v + 1) / 2;
  let max = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  const inv = max > 1e-9 ? 1 / max : 0;
  return (v) => v * inv;
}

let inputCanvas: HTMLCanvasElement | null = null;

function drawInputImage(
  ctx: CanvasRenderingContext2D,
  pixels: Float32Array | null,
  box: { x: number; y: number; side: number },
  theme: ThemeColors,
) {
  if (pixels) {
    if (!inputCanvas) inputCanvas = document.createElement('canvas');
    paintPixels(inputCanvas, pixels, theme);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(inputCanvas, box.x, box.y, box.side, box.side);
    ctx.imageSmoothingEnabled = true;
  } else {
    ctx.fillStyle = theme.grid;
    ctx.fillRect(box.x, box.y, box.side, box.side);
  }
  ctx.strokeStyle = theme.border;
  ctx.lineWidth = 1;
  ctx.strokeRect(box.x - 0.5, box.y - 0.5, box.side + 1, box.side + 1);
}

/** `text`, or its longest prefix + "…" that fits `width` pixels in the current font. */
function fitText(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let n = text.length - 1;
  while (n > 1 && ctx.measureText(`${text.slice(0, n)}…`).width > width) n--;
  return `${text.slice(0, n)}…`;
}

function edgeStyle(ctx: CanvasRenderingContext2D, lut: Lut, w: number, t: number) {
  // Saturated end colours (±0.85) so even thin lines read as blue or red.
  ctx.strokeStyle = lut.css[divergingIndex(w > 0 ? 0.85 : -0.85)];
  ctx.globalAlpha = 0.12 + 0.7 * t;
  ctx.lineWidth = 0.5 + 2 * t;
}

function paintDiagram(
  ctx: CanvasRenderingContext2D,
  size: PaintSize,
  input: DiagramInput,
  hover: { x: number; y: number } | null,
  tip: HTMLDivElement | null,
  canvas: HTMLCanvasElement | null,
): DiagramLayout {
  const theme = getTheme();
  const div = divergingLut(theme);
  const seq = sequentialLut();
  const { sizes, activation, classNames } = input;
  ctx.font = `11px ${theme.font}`;
  const layout = layoutDiagram(size.width, size.height, sizes, {
    activationLabel: ACTIVATION_LABELS[activation],
    measure: (t) => ctx.measureText(t).width,
  });
  const data = currentData(sizes);
  if (canvas) canvas.dataset.source = data.source;
  const inputSide = Math.round(Math.sqrt(sizes[0]));
  const kinds: (Activation | 'softmax')[] = sizes.map((_, i) =>
    i === sizes.length - 1 ? 'softmax' : activation,
  );

  // ── connections (under the nodes) ──
  if (data.layers) {
    ctx.lineCap = 'round';
    for (const col of layout.columns) {
      const L = data.layers[col.layer - 1];
      if (col.layer === 1) {
        // From the input image: for each shown neuron, the pixels that push it most for this image
        // (|w·x|), or the largest |w| when the image is blank.
        const x = data.activations?.[0] ?? null;
        const contrib = new Float32Array(L.inSize);
        const chosen: { j: number; i: number; w: number; m: number }[] = [];
        let maxM = 0;
        for (let j = 0; j < col.nodes.length; j++) {
          const row = j * L.inSize;
          let ink = 0;
          for (let i = 0; i < L.inSize; i++) {
            const xi = x ? x[i] : 0;
            ink += xi;
            contrib[i] = L.weights[row + i] * xi;
          }
          if (ink === 0) contrib.set(L.weights.subarray(row, row + L.inSize));
          for (const i of topKByMagnitude(contrib, PIXEL_EDGES_PER_NEURON)) {
            const m = Math.abs(contrib[i]);
            maxM = Math.max(maxM, m);
            chosen.push({ j, i, w: L.weights[row + i], m });
          }
        }
        const cell = layout.image.side / inputSide;
        for (const e of chosen) {
          const px = layout.image.x + ((e.i % inputSide) + 0.5) * cell;
          const py = layout.image.y + (Math.floor(e.i / inputSide) + 0.5) * cell;
          edgeStyle(ctx, div, e.w, maxM > 0 ? e.m / maxM : 0);
          ctx.beginPath();
          ctx.moveTo(px, py);
          ctx.lineTo(col.nodes[e.j].x - col.r, col.nodes[e.j].y);
          ctx.stroke();
        }
      } else {
        const prev = layout.columns[col.layer - 2];
        const shownW = new Float32Array(col.nodes.length * prev.nodes.length);
        for (let j = 0; j < col.nodes.length; j++) {
          for (let i = 0; i < prev.nodes.length; i++)
            shownW[j * prev.nodes.length + i] = L.weights[j * L.inSize + i];
        }
        const top = topKByMagnitude(shownW, MAX_EDGES);
        const maxM = top.length ? Math.abs(shownW[top[0]]) : 0;
        for (let k = top.length - 1; k >= 0; k--) {
          const e = top[k];
          const j = Math.floor(e / prev.nodes.length);
          const i = e % prev.nodes.length;
          edgeStyle(ctx, div, shownW[e], maxM > 0 ? Math.abs(shownW[e]) / maxM : 0);
          ctx.beginPath();
          ctx.moveTo(prev.nodes[i].x + prev.r, prev.nodes[i].y);
          ctx.lineTo(col.nodes[j].x - col.r, col.nodes[j].y);
          ctx.stroke();
        }
      }
    }
    ctx.globalAlpha = 1;
  }

  // ── input image ──
  drawInputImage(ctx, data.activations?.[0] ?? null, layout.image, theme);
  ctx.font = `11px ${theme.font}`;
  ctx.fillStyle = theme.muted;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  const imgCaption =
    data.source === 'drawing'
      ? 'your drawing'
      : data.source === 'probe' && data.probeLabel !== null
        ? `probe: a test “${classNames[data.probeLabel] ?? data.probeLabel}”`
        : 'input';
  ctx.fillText(imgCaption, layout.image.x, layout.image.y - 6);
  ctx.fillText(`${inputSide}×${inputSide} input`, layout.image.x, layout.captionY);

  // ── neurons ──
  let topClass = -1;
  const out = data.activations?.[sizes.length - 1];
  if (out) {
    let best = -Infinity;
    for (let i = 0; i < out.length; i++) if (out[i] > best) [best, topClass] = [out[i], i];
  }
  for (const col of layout.columns) {
    const values = data.activations?.[col.layer] ?? null;
    const kind = kinds[col.layer];
    const norm = values ? normaliser(values, kind) : null;
    for (let i = 0; i < col.nodes.length; i++) {
      const n = col.nodes[i];
      ctx.beginPath();
      ctx.arc(n.x, n.y, col.r, 0, Math.PI * 2);
      if (values && norm) {
        ctx.fillStyle = seq.css[sequentialIndex(norm(values[i]))];
        ctx.fill();
        ctx.strokeStyle = theme.border;
      } else {
        ctx.fillStyle = theme.panel;
        ctx.fill();
        ctx.strokeStyle = theme.muted;
      }
      ctx.lineWidth = 1;
      ctx.stroke();
    }
    ctx.fillStyle = theme.muted;
    ctx.textAlign = 'center';
    if (col.moreLabel) ctx.fillText(col.moreLabel.text, col.x, col.moreLabel.y);
    const isOut = col.layer === sizes.length - 1;
    ctx.fillText(col.caption, col.x, col.captionY);

    if (isOut) {
      // Class names and probabilities to the right of the output neurons.
      ctx.textAlign = 'left';
      ctx.textBaseline = 'middle';
      const fontPx = Math.max(9, Math.min(12, col.r * 1.6));
      for (let i = 0; i < col.nodes.length; i++) {
        const n = col.nodes[i];
        const isTop = i === topClass;
        ctx.font = `${isTop ? '700 ' : ''}${fontPx}px ${theme.font}`;
        ctx.fillStyle = isTop ? theme.fg : theme.muted;
        // The name gets what the probability column leaves ("0.00" + a gap), cut with an ellipsis.
        const room = size.width - 10 - (values ? ctx.measureText('0.00').width + 6 : 0) - (n.x + col.r + 6);
        ctx.fillText(fitText(ctx, classNames[i] ?? String(i), room), n.x + col.r + 6, n.y);
        if (values) {
          ctx.textAlign = 'right';
          ctx.fillText(values[i].toFixed(2), size.width - 10, n.y);
          ctx.textAlign = 'left';
        }
      }
      ctx.textBaseline = 'alphabetic';
      ctx.font = `11px ${theme.font}`;
    }
  }

  // ── the selected unit (shared with the inside views): an accent ring ──
  const selected = useInsideStore.getState().selectedUnit;
  const selCol = selected ? layout.columns[selected.layer] : undefined;
  const selNode = selCol && selected ? selCol.nodes[selected.unit] : undefined;
  if (selCol && selNode) {
    ctx.beginPath();
    ctx.arc(selNode.x, selNode.y, selCol.r + 3.5, 0, Math.PI * 2);
    ctx.strokeStyle = theme.accent;
    ctx.lineWidth = 2.5;
    ctx.stroke();
    ctx.lineWidth = 1;
  }

  // ── hover ──
  const hit = hover ? hitTest(layout, hover.x, hover.y, inputSide) : null;
  if (hit?.kind === 'neuron') {
    const col = layout.columns[hit.layer - 1];
    ctx.beginPath();
    ctx.arc(hit.x, hit.y, col.r + 3, 0, Math.PI * 2);
    ctx.strokeStyle = theme.accent;
    ctx.lineWidth = 2;
    ctx.stroke();
  }
  if (tip) {
    const text = hit && hover ? describeHit(hit, data.activations, sizes, kinds, classNames) : null;
    if (text && hover) {
      tip.textContent = text;
      tip.style.display = 'block';
      const w = tip.offsetWidth;
      tip.style.left = `${Math.min(hover.x + 12, size.width - w - 4)}px`;
      tip.style.top = `${Math.max(4, hover.y - 30)}px`;
    } else {
      tip.style.display = 'none';
    }
  }
  return layout;
}

function describeHit(
  hit: Hit,
  activations: Float32Array[] | null,
  sizes: number[],
  kinds: (Activation | 'softmax')[],
  classNames: string[],
): string {
  if (hit.kind === 'pixel') {
    const v = activations?.[0]?.[hit.index];
    return `pixel (${hit.col}, ${hit.row})${v === undefined ? '' : ` = ${v.toFixed(2)}`}`;
  }
  const v = activations?.[hit.layer]?.[hit.index];
  if (hit.layer === sizes.length - 1) {
    const name = classNames[hit.index] ?? String(hit.index);
    return v === undefined ? `output “${name}”` : `“${name}”: probability ${v.toFixed(3)}`;
  }
  const head = `layer ${hit.layer} · neuron ${hit.index + 1}`;
  if (v === undefined) return `${head} (no data yet)`;
  const kind = kinds[hit.layer];
  const note = kind === 'relu' && v <= 0 ? ' (silent)' : '';
  return `${head}: activation ${formatValue(v)}${note}`;
}

export function LayerDiagram() {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const tipRef = useRef<HTMLDivElement>(null);
  const hoverRef = useRef<HoverPoint>(null);
  const hidden = useConfigStore(useShallow((s) => s.config.hidden));
  const inputSize = useConfigStore((s) => s.config.inputSize);
  const outputSize = useConfigStore((s) => s.config.outputSize);
  const activation = useConfigStore((s) => s.config.activation);
  const classNames = useRunStore(useShallow((s) => s.data.classNames));
  const sizes = useMemo(() => [inputSize, ...hidden, outputSize], [inputSize, hidden, outputSize]);
  const theme = useThemeColors();

  const paint = useCallback(
    (ctx: CanvasRenderingContext2D, size: PaintSize) => {
      paintDiagram(
        ctx,
        size,
        { sizes, activation, classNames: classNames.length ? classNames : sizes.map((_, i) => String(i)) },
        hoverRef.current,
        tipRef.current,
        canvasRef.current,
      );
    },
    [sizes, activation, classNames],
  );
  const painter = useCanvasPainter(canvasRef, paint, SOURCES);
  const hover = useHoverHandlers(hoverRef, painter);
  // A click on (or near) a neuron — hidden or output — selects it everywhere (for an output neuron, the
  // last weight layer's unit: the one-step view explains it too); a click elsewhere clears the selection.
  const onClick = useCallback(
    (e: MouseEvent<HTMLDivElement>) => {
      const canvas = canvasRef.current;
      if (!canvas) return;
      const r = canvas.getBoundingClientRect();
      const layout = layoutDiagram(r.width, r.height, sizes);
      const hit = hitTest(layout, e.clientX - r.left, e.clientY - r.top, 28, 8);
      if (hit?.kind === 'neuron') {
        actions.selectUnit({ layer: hit.layer - 1, unit: hit.index });
      } else if (!hit) {
        actions.selectUnit(null);
      }
    },
    [sizes],
  );

  return (
    <Panel
      title="Layer diagram"
      info="The image the network sees (your drawing, else a test example), each neuron coloured by how strongly it fires, and the strongest connections: red pushes up, blue pushes down. Hover a neuron for its value; click one (hidden or output) to look inside it (the Inside and One step screens)."
      actions={
        <>
          <ColorLegend lut={sequentialLut()} low="quiet" high="firing" label="neurons" />
          <ColorLegend lut={divergingLut(theme)} low="−" high="+" mid="0" label="weights" />
        </>
      }
    >
      <div
        data-testid="layer-diagram"
        data-sizes={sizes.join(',')}
        style={{ position: 'absolute', inset: 0 }}
        onClick={onClick}
        {...hover}
      >
        <canvas
          ref={canvasRef}
          className="fill"
          role="img"
          aria-label={`Layer diagram of a network with layers ${sizes.join(', ')}`}
        />
        <div ref={tipRef} className="tooltip" role="tooltip" />
      </div>
    </Panel>
  );
}
