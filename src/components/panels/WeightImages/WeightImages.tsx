/**
 * The first layer's weights as images: one 28×28 tile per neuron of the first layer after the input (a
 * hidden neuron, or with no hidden layer the output class itself), drawn with the diverging scale, each tile
 * normalised symmetrically by its own max |value| so every neuron's pattern is visible whatever its scale.
 * Updated live from the snapshot, so users see features emerge from noise.
 *
 * Two views: "learned" (default) shows w − w₀, the change since the generation's first snapshot
 * (telemetryStore's `baseline`): the random He-init noise cancels out and pixels training never touched
 * (MNIST's always-blank border) stay white, so the strokes stand out. "weights" shows the raw w.
 */
import { useCallback, useRef, useState } from 'react';
import { useConfigStore } from '../../../store/config';
import { useRunStore } from '../../../store/run';
import { telemetryStore } from '../../../store/telemetry';
import { ColorLegend } from '../../ui/ColorLegend';
import { divergingIndex, divergingLut } from '../../canvas/colors';
import { Panel } from '../../ui/Panel';
import { getTheme, useThemeColors } from '../../canvas/theme';
import {
  useCanvasPainter,
  useHoverHandlers,
  type HoverPoint,
  type PaintSize,
  type Subscribe,
} from '../../canvas/useCanvasPainter';

const SOURCES: Subscribe[] = [(cb) => telemetryStore.subscribe(cb)];
/** Tiles smaller than this are unreadable: show fewer, plus "+N more". */
const MIN_TILE = 14;
const GAP = 2;

export interface Grid {
  cols: number;
  rows: number;
  tile: number;
  shown: number;
}

/** The largest square tiles that fit `count` tiles into width×height (gaps included). */
export function gridLayout(
  count: number,
  width: number,
  height: number,
  gap = GAP,
  minTile = MIN_TILE,
): Grid {
  let best: Grid = { cols: 1, rows: 1, tile: 0, shown: 0 };
  if (count <= 0 || width <= 0 || height <= 0) return best;
  for (let cols = 1; cols <= count; cols++) {
    const rows = Math.ceil(count / cols);
    const tile = Math.floor(Math.min((width - gap * (cols - 1)) / cols, (height - gap * (rows - 1)) / rows));
    if (tile > best.tile) best = { cols, rows, tile, shown: count };
  }
  if (best.tile >= minTile) return best;
  // Too many to show legibly: as many minTile tiles as fit (one slot left for the "+N more").
  const cols = Math.max(1, Math.floor((width + gap) / (minTile + gap)));
  const rows = Math.max(1, Math.floor((height + gap) / (minTile + gap)));
  return { cols, rows, tile: minTile, shown: Math.min(count, cols * rows - 1) };
}

/** Top-left corner of the grid, centred in the width×height canvas (as the painter draws it). */
export function gridOrigin(grid: Grid, width: number, height: number, gap = GAP): { x: number; y: number } {
  const totalW = grid.cols * grid.tile + (grid.cols - 1) * gap;
  const totalH = grid.rows * grid.tile + (grid.rows - 1) * gap;
  return { x: Math.floor((width - totalW) / 2), y: Math.floor((height - totalH) / 2) };
}

/**
 * The index of the shown tile under (x, y) in a width×height canvas laid out as `grid`, or null over a
 * gap, outside the grid, or past the last shown tile (the "+N" slot included).
 */
export function tileAt(
  grid: Grid,
  width: number,
  height: number,
  x: number,
  y: number,
  gap = GAP,
): number | null {
  if (grid.shown <= 0 || grid.tile <= 0) return null;
  const o = gridOrigin(grid, width, height, gap);
  const dx = x - o.x;
  const dy = y - o.y;
  if (dx < 0 || dy < 0) return null;
  const pitch = grid.tile + gap;
  const col = Math.floor(dx / pitch);
  const row = Math.floor(dy / pitch);
  if (col >= grid.cols || row >= grid.rows) return null;
  if (dx - col * pitch >= grid.tile || dy - row * pitch >= grid.tile) return null;
  const j = row * grid.cols + col;
  return j < grid.shown ? j : null;
}

/** Side of the hover magnifier's tile (shrunk when the canvas is smaller), and its caption's height. */
const ZOOM = 112;
const CAPTION = 16;

export type WeightMode = 'learned' | 'weights';

/**
 * One tile's values in −1..1: `values − baseline` (or `values` with no baseline), divided by the largest
 * magnitude. All zeros when nothing differs. Writes into `out` (allocated when omitted) and returns it.
 */
export function weightTile(
  values: ArrayLike<number>,
  baseline: ArrayLike<number> | null,
  out: Float32Array = new Float32Array(values.length),
): Float32Array {
  const n = values.length;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const v = baseline ? values[i] - baseline[i] : values[i];
    out[i] = v;
    max = Math.max(max, Math.abs(v));
  }
  const inv = max > 0 && Number.isFinite(max) ? 1 / max : 0;
  for (let i = 0; i < n; i++) out[i] *= inv;
  return out;
}

/** The RGBA pixels a tile set is drawn into (any ImageData). */
export interface Pixels {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/**
 * Writes tile `j` of `weights` ([tiles, side²] row-major) into `out` at device pixel (x0, y0), scaled to
 * `size`×`size` device pixels by nearest neighbour (as drawImage with smoothing off would), coloured through
 * `lut` (diverging: −1 blue … +1 red). Pixels outside `out` are skipped. `values` is scratch of side² floats.
 *
 * Why by hand: the grid used to be one offscreen strip drawn tile by tile with drawImage — WebKitGTK copies
 * the whole source canvas on each such call, 255 copies of a 7,140×28 strip per snapshot, 0.5–0.8 s of its
 * main thread per paint (Watch at 1–8 frames/s while training). One putImageData of the canvas costs a few
 * milliseconds in every engine.
 */
export function rasterizeTile(
  out: Pixels,
  x0: number,
  y0: number,
  size: number,
  weights: Float32Array,
  baseline: Float32Array | null,
  j: number,
  side: number,
  lut: Uint8Array,
  values: Float32Array,
): void {
  const n = side * side;
  const row = j * n;
  const v = weightTile(
    weights.subarray(row, row + n),
    baseline ? baseline.subarray(row, row + n) : null,
    values,
  );
  const { data, width, height } = out;
  for (let dy = 0; dy < size; dy++) {
    const y = y0 + dy;
    if (y < 0 || y >= height) continue;
    const src = Math.floor((dy * side) / size) * side;
    let o = (y * width + x0) * 4;
    for (let dx = 0; dx < size; dx++, o += 4) {
      const x = x0 + dx;
      if (x < 0 || x >= width) continue;
      const k = divergingIndex(v[src + Math.floor((dx * side) / size)]) * 3;
      data[o] = lut[k];
      data[o + 1] = lut[k + 1];
      data[o + 2] = lut[k + 2];
      data[o + 3] = 255;
    }
  }
}

/** The canvas-sized pixels the grid is written into (kept between paints of the same size). */
let frame: ImageData | null = null;
/** One tile at native resolution, for the hover magnifier (one small drawImage). */
let zoomTile: HTMLCanvasElement | null = null;
let scratch = new Float32Array(0);

function message(ctx: CanvasRenderingContext2D, size: PaintSize, text: string): void {
  const theme = getTheme();
  ctx.fillStyle = theme.muted;
  ctx.font = `11px ${theme.font}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, size.width / 2, size.height / 2);
}

function paintWeights(
  ctx: CanvasRenderingContext2D,
  size: PaintSize,
  hidden: number,
  mode: WeightMode,
  host: HTMLElement | null,
  hover: HoverPoint,
) {
  const theme = getTheme();
  const lut = divergingLut(theme);
  const { snapshot: snap, baseline } = telemetryStore.getState();
  const layer = snap?.layers[0];
  const side = layer ? Math.round(Math.sqrt(layer.inSize)) : 0;
  if (!layer || side * side !== layer.inSize) {
    if (host) {
      host.dataset.tiles = '0';
      host.dataset.hovered = '';
    }
    const loaded = useRunStore.getState().data.counts !== null;
    message(ctx, size, loaded ? 'Building the network…' : 'The weights appear when the data has loaded.');
    return;
  }
  // The step whose weights are drawn (a past one while the timeline shows a kept moment).
  if (host) host.dataset.step = String(snap.step);
  const base =
    mode === 'learned' && baseline && baseline.weights.length === layer.weights.length ? baseline : null;
  // "learned" before any training step (or without a usable baseline) would be a blank grid: say why.
  if (mode === 'learned' && (!base || base.step === snap.step)) {
    if (host) {
      host.dataset.tiles = '0';
      host.dataset.hovered = '';
    }
    message(ctx, size, 'Press Train: the learned features appear here.');
    return;
  }
  const pad = 6;
  const grid = gridLayout(layer.outSize, size.width - 2 * pad, size.height - 2 * pad);
  const hovered = hover ? tileAt(grid, size.width, size.height, hover.x, hover.y) : null;
  if (host) {
    host.dataset.tiles = String(grid.shown);
    host.dataset.neurons = String(layer.outSize);
    host.dataset.hiddenLayers = String(hidden);
    host.dataset.hovered = hovered === null ? '' : String(hovered);
  }
  if (grid.shown === 0) return;

  // Every tile, scaled up (nearest) at device pixels, in one putImageData of the whole canvas (see
  // rasterizeTile for why not drawImage per tile). putImageData ignores the transform: device pixels here.
  const W = ctx.canvas.width;
  const H = ctx.canvas.height;
  if (!frame || frame.width !== W || frame.height !== H) frame = ctx.createImageData(W, H);
  else frame.data.fill(0);
  const { dpr } = size;
  const tile = Math.max(1, Math.round(grid.tile * dpr));
  const { x: ox, y: oy } = gridOrigin(grid, size.width, size.height);
  const w = layer.weights;
  if (scratch.length !== layer.inSize) scratch = new Float32Array(layer.inSize);
  const baseWeights = base ? base.weights : null;
  for (let j = 0; j < grid.shown; j++) {
    const x = Math.round((ox + (j % grid.cols) * (grid.tile + GAP)) * dpr);
    const y = Math.round((oy + Math.floor(j / grid.cols) * (grid.tile + GAP)) * dpr);
    rasterizeTile(frame, x, y, tile, w, baseWeights, j, side, lut.rgb, scratch);
  }
  ctx.putImageData(frame, 0, 0);
  if (grid.shown < layer.outSize) {
    const j = grid.shown;
    const dx = ox + (j % grid.cols) * (grid.tile + GAP);
    const dy = oy + Math.floor(j / grid.cols) * (grid.tile + GAP);
    ctx.fillStyle = theme.muted;
    ctx.font = `10px ${theme.font}`;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    ctx.fillText(`+${layer.outSize - grid.shown}`, dx + 1, dy + grid.tile / 2);
  }
  if (hovered !== null && hover) {
    const dx = ox + (hovered % grid.cols) * (grid.tile + GAP);
    const dy = oy + Math.floor(hovered / grid.cols) * (grid.tile + GAP);
    paintZoom(
      ctx,
      size,
      hover,
      { x: dx, y: dy },
      grid.tile,
      hovered,
      side,
      layer.inSize,
      w,
      base,
      mode,
      lut.rgb,
    );
  }
}

/** Outlines tile `j` (drawn at `at`) and shows it magnified, with its max |value|, near the pointer. */
function paintZoom(
  ctx: CanvasRenderingContext2D,
  size: PaintSize,
  hover: { x: number; y: number },
  at: { x: number; y: number },
  tile: number,
  j: number,
  side: number,
  inSize: number,
  w: Float32Array,
  base: { weights: Float32Array } | null,
  mode: WeightMode,
  lut: Uint8Array,
) {
  const theme = getTheme();
  ctx.strokeStyle = theme.accent;
  ctx.lineWidth = 2;
  ctx.strokeRect(at.x - 1, at.y - 1, tile + 2, tile + 2);
  if (!zoomTile) zoomTile = document.createElement('canvas');
  if (zoomTile.width !== side || zoomTile.height !== side) {
    zoomTile.width = side;
    zoomTile.height = side;
  }
  const zctx = zoomTile.getContext('2d');
  if (!zctx) return;
  const one = zctx.createImageData(side, side);
  rasterizeTile(one, 0, 0, side, w, base ? base.weights : null, j, side, lut, new Float32Array(inSize));
  zctx.putImageData(one, 0, 0);

  let max = 0;
  const row = j * inSize;
  for (let i = 0; i < inSize; i++) {
    const v = base ? w[row + i] - base.weights[row + i] : w[row + i];
    max = Math.max(max, Math.abs(v));
  }
  const caption = `neuron ${j} · max |${mode === 'learned' ? 'Δw' : 'w'}| ${formatMax(max)}`;
  ctx.font = `11px ${theme.font}`;
  const textW = Math.ceil(ctx.measureText(caption).width);
  const pad = 4;
  // Whole multiples of `side` keep the nearest-neighbour pixels even.
  const fit = Math.min(ZOOM, size.width - 2 * pad - 4, size.height - 2 * pad - CAPTION - 4);
  const zoom = fit >= side ? Math.floor(fit / side) * side : Math.max(0, Math.floor(fit));
  if (zoom <= 0) return;
  const boxW = Math.max(zoom, textW) + 2 * pad;
  const boxH = zoom + CAPTION + 2 * pad;
  // Right of and below the pointer, flipped to the other side when it would leave the canvas.
  let bx = hover.x + 16;
  if (bx + boxW > size.width - 2) bx = hover.x - 16 - boxW;
  let by = hover.y + 16;
  if (by + boxH > size.height - 2) by = hover.y - 16 - boxH;
  bx = Math.max(2, Math.min(bx, size.width - boxW - 2));
  by = Math.max(2, Math.min(by, size.height - boxH - 2));

  ctx.save();
  ctx.shadowColor = 'rgba(0,0,0,0.25)';
  ctx.shadowBlur = 6;
  ctx.fillStyle = theme.panel;
  ctx.fillRect(bx, by, boxW, boxH);
  ctx.restore();
  ctx.strokeStyle = theme.border;
  ctx.lineWidth = 1;
  ctx.strokeRect(bx + 0.5, by + 0.5, boxW - 1, boxH - 1);
  ctx.imageSmoothingEnabled = false;
  const zx = bx + Math.floor((boxW - zoom) / 2);
  ctx.drawImage(zoomTile, 0, 0, side, side, zx, by + pad, zoom, zoom);
  ctx.strokeRect(zx - 0.5, by + pad - 0.5, zoom + 1, zoom + 1);
  ctx.fillStyle = theme.fg;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(caption, bx + boxW / 2, by + pad + zoom + CAPTION / 2 + 1);
}

function formatMax(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return String(v);
  return v >= 0.001 && v < 1000 ? v.toPrecision(2) : v.toExponential(1);
}

const MODES: { mode: WeightMode; label: string; title: string }[] = [
  {
    mode: 'learned',
    label: 'learned',
    title: 'How far training has moved each weight from its random start: the learned features',
  },
  { mode: 'weights', label: 'weights', title: 'The raw weights (random noise before training)' },
];

export function WeightImages() {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const hostRef = useRef<HTMLDivElement>(null);
  const hoverRef = useRef<HoverPoint>(null);
  const hidden = useConfigStore((s) => s.config.hidden.length);
  const [mode, setMode] = useState<WeightMode>('learned');
  const theme = useThemeColors();
  const paint = useCallback(
    (ctx: CanvasRenderingContext2D, size: PaintSize) =>
      paintWeights(ctx, size, hidden, mode, hostRef.current, hoverRef.current),
    [hidden, mode],
  );
  const painter = useCanvasPainter(canvasRef, paint, SOURCES);
  const hover = useHoverHandlers(hoverRef, painter);

  return (
    <Panel
      title={hidden > 0 ? 'First-layer weights' : 'Class templates'}
      info={
        hidden > 0
          ? "Each square is one hidden neuron's 784 incoming weights laid out as the 28×28 image (red: more of that pixel excites it, blue: holds it back). 'learned' shows how far training has moved them from their random start — the features the neuron learned; 'weights' shows the raw weights (random noise at first)."
          : "With no hidden layer, each square is one class's 784 weights laid out as the 28×28 image (red pixels vote for the class, blue against). 'learned' shows how far training has moved them from their random start; 'weights' shows the raw weights (random noise at first)."
      }
      actions={
        <div role="group" aria-label="Weight view" style={{ display: 'flex', gap: 2 }}>
          {MODES.map((m) => (
            <button
              key={m.mode}
              type="button"
              className="toggle"
              style={{ padding: '0 6px' }}
              aria-pressed={mode === m.mode}
              data-testid={`weight-mode-${m.mode}`}
              title={m.title}
              onClick={() => setMode(m.mode)}
            >
              {m.label}
            </button>
          ))}
        </div>
      }
    >
      <div style={{ position: 'absolute', right: 8, bottom: 2 }}>
        <ColorLegend lut={divergingLut(theme)} low="−" high="+" mid="0" />
      </div>
      <div
        ref={hostRef}
        data-testid="weight-images"
        data-mode={mode}
        data-hovered=""
        style={{ position: 'absolute', inset: '0 0 16px 0' }}
      >
        <canvas
          ref={canvasRef}
          className="fill"
          {...hover}
          onPointerDown={hover.onPointerMove}
          role="img"
          aria-label={
            mode === 'learned'
              ? 'First-layer weight changes since the start, one image per neuron'
              : 'First-layer weights, one image per neuron'
          }
        />
      </div>
    </Panel>
  );
}
