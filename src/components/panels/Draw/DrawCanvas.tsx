/**
 * The user's own digit: a drawing surface for mouse, touch and pen, a round smooth brush, a Clear button and
 * the 28×28 image the network actually receives after MNIST-style preprocessing (src/draw/mnistPreprocess.ts).
 *
 * - Pointer events with setPointerCapture (a stroke continues outside the canvas), coalesced events for
 *   smooth fast strokes, `touch-action: none` (in CSS) so a finger draws instead of scrolling the page.
 * - The brush is a quadratic curve through the midpoints of successive samples (no corners), round caps,
 *   width BRUSH × the canvas side: a digit drawn across most of the canvas comes out with MNIST's 2–3 px
 *   strokes after scaling to 20×20.
 * - Strokes are kept as vectors in 0..1 coordinates, so a resize redraws them exactly, and the network's
 *   copy is re-rendered off screen with MNIST-like pen width whatever the digit's size (src/draw/strokes.ts
 *   says why), then preprocessed like MNIST (src/draw/mnistPreprocess.ts).
 * - Predicts while drawing, at most every PREDICT_MS, and at once when a stroke ends. (While training, the
 *   worker client re-classifies the last drawing on every snapshot, so the answer follows the learning.)
 */
import { useEffect, useRef, useState } from 'react';
import { centreOfMass, preprocessMnist } from '../../../draw/mnistPreprocess';
import { planRaster, strokeBounds, type Pt } from '../../../draw/strokes';
import { useConfigStore } from '../../../store/config';
import { actions } from '../../../app/client';
import { Panel } from '../../ui/Panel';
import { paintPixels } from '../../canvas/pixelImage';
import { getTheme, subscribeTheme } from '../../canvas/theme';
import { observeSize } from '../../canvas/useCanvasPainter';

/** Brush width as a fraction of the canvas side. */
export const BRUSH = 0.075;
const PREDICT_MS = 80;

function mid(a: Pt, b: Pt): Pt {
  return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
}

/**
 * Draws samples [from…] of a stroke through `map` (canvas units → pixels); from = 0 draws it whole.
 * Segment k is a quadratic curve from mid(k−2, k−1) to mid(k−1, k) with control point k−1 (the first
 * starts at sample 0), so consecutive segments join without corners.
 */
function drawStroke(ctx: CanvasRenderingContext2D, pts: readonly Pt[], map: (p: Pt) => Pt, from = 0) {
  const n = pts.length;
  if (n === 0) return;
  if (n === 1) {
    const p = map(pts[0]);
    ctx.beginPath();
    ctx.arc(p.x, p.y, ctx.lineWidth / 2, 0, Math.PI * 2);
    ctx.fill();
    return;
  }
  ctx.beginPath();
  const start = Math.max(1, from);
  const s = start === 1 ? map(pts[0]) : map(mid(pts[start - 2], pts[start - 1]));
  ctx.moveTo(s.x, s.y);
  for (let k = start; k < n; k++) {
    const c = map(pts[k - 1]);
    const e = map(mid(pts[k - 1], pts[k]));
    if (k === 1) ctx.lineTo(e.x, e.y);
    else ctx.quadraticCurveTo(c.x, c.y, e.x, e.y);
  }
  ctx.stroke();
}

/** The last half-segment of a finished stroke: from the last midpoint to the last sample. */
function drawTail(ctx: CanvasRenderingContext2D, pts: readonly Pt[], map: (p: Pt) => Pt) {
  if (pts.length < 2) return;
  const a = map(mid(pts[pts.length - 2], pts[pts.length - 1]));
  const b = map(pts[pts.length - 1]);
  ctx.beginPath();
  ctx.moveTo(a.x, a.y);
  ctx.lineTo(b.x, b.y);
  ctx.stroke();
}

let raster: HTMLCanvasElement | null = null;

/** Renders the strokes for the network (see planRaster) and returns its pixels, or null when empty. */
function rasterise(strokes: readonly (readonly Pt[])[]): ImageData | null {
  const bounds = strokeBounds(strokes);
  if (!bounds) return null;
  const plan = planRaster(bounds, BRUSH);
  if (!raster) raster = document.createElement('canvas');
  raster.width = plan.size;
  raster.height = plan.size;
  const ctx = raster.getContext('2d', { willReadFrequently: true });
  if (!ctx) return null;
  ctx.clearRect(0, 0, plan.size, plan.size);
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.lineWidth = plan.lineWidth;
  ctx.strokeStyle = '#000';
  ctx.fillStyle = '#000';
  const map = (p: Pt): Pt => ({ x: p.x * plan.scale + plan.dx, y: p.y * plan.scale + plan.dy });
  for (const s of strokes) {
    drawStroke(ctx, s, map);
    drawTail(ctx, s, map);
  }
  return ctx.getImageData(0, 0, plan.size, plan.size);
}

/** What the user is invited to draw: a digit for MNIST, a garment for Fashion-MNIST. */
export function drawingSubject(dataset: string): string {
  return dataset === 'fashion-mnist' ? 'a piece of clothing' : 'a digit';
}

export function DrawCanvas() {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const previewRef = useRef<HTMLCanvasElement>(null);
  const [hasInk, setHasInk] = useState(false);
  const subject = drawingSubject(useConfigStore((s) => s.dataset));
  const api = useRef<{ clear: () => void }>({ clear: () => {} });

  useEffect(() => {
    const canvas = canvasRef.current;
    const preview = previewRef.current;
    if (!canvas || !preview) return;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const strokes: Pt[][] = [];
    let active: { id: number; pts: Pt[] } | null = null;
    let side = 0; // backing pixels
    let lastPredict = -Infinity;
    let timer: ReturnType<typeof setTimeout> | 0 = 0;
    let pixels: Float32Array | null = null;

    const style = () => {
      ctx.lineCap = 'round';
      ctx.lineJoin = 'round';
      ctx.lineWidth = BRUSH * side;
      ctx.strokeStyle = getTheme().fg;
      ctx.fillStyle = getTheme().fg;
    };
    const toPx = (p: Pt): Pt => ({ x: p.x * side, y: p.y * side });
    const redraw = () => {
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      style();
      for (const s of strokes) {
        drawStroke(ctx, s, toPx);
        if (s !== active?.pts) drawTail(ctx, s, toPx);
      }
    };
    const showPreview = () => {
      paintPixels(preview, pixels, getTheme());
      const com = pixels ? centreOfMass(pixels, 28, 28) : null;
      preview.dataset.ink = pixels ? pixels.reduce((a, b) => a + b, 0).toFixed(1) : '0';
      preview.dataset.com = com ? `${com.x.toFixed(2)},${com.y.toFixed(2)}` : '';
    };
    const predictNow = () => {
      if (timer) {
        clearTimeout(timer);
        timer = 0;
      }
      lastPredict = performance.now();
      const img = rasterise(strokes);
      pixels = img && preprocessMnist({ data: img.data, width: img.width, height: img.height, channels: 4 });
      showPreview();
      if (pixels) actions.predict(pixels);
      else actions.clearPrediction();
    };
    const predictSoon = () => {
      const wait = lastPredict + PREDICT_MS - performance.now();
      if (wait <= 0) predictNow();
      else if (!timer) timer = setTimeout(predictNow, wait);
    };

    const resize = () => {
      const r = canvas.getBoundingClientRect();
      const dpr = Math.min(window.devicePixelRatio || 1, 3);
      const s = Math.round(Math.max(1, r.width) * dpr);
      if (s !== side) {
        side = s;
        canvas.width = s;
        canvas.height = s;
        redraw();
      }
    };
    const stopObserving = observeSize(canvas, resize);
    resize();

    const toPt = (e: PointerEvent): Pt => {
      const r = canvas.getBoundingClientRect();
      return { x: (e.clientX - r.left) / r.width, y: (e.clientY - r.top) / r.height };
    };
    const down = (e: PointerEvent) => {
      if (e.button !== 0 && e.pointerType === 'mouse') return;
      if (active) return; // one stroke at a time (a palm resting on a tablet is ignored)
      e.preventDefault();
      canvas.setPointerCapture(e.pointerId);
      active = { id: e.pointerId, pts: [toPt(e)] };
      strokes.push(active.pts);
      style();
      drawStroke(ctx, active.pts, toPx);
      setHasInk(true);
    };
    const move = (e: PointerEvent) => {
      if (!active || e.pointerId !== active.id) return;
      e.preventDefault();
      const events = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
      const from = active.pts.length;
      for (const ev of events.length ? events : [e]) active.pts.push(toPt(ev));
      style();
      drawStroke(ctx, active.pts, toPx, from);
      predictSoon();
    };
    const up = (e: PointerEvent) => {
      if (!active || e.pointerId !== active.id) return;
      const pts = active.pts;
      active = null;
      style();
      drawTail(ctx, pts, toPx);
      predictNow();
    };
    canvas.addEventListener('pointerdown', down);
    canvas.addEventListener('pointermove', move);
    canvas.addEventListener('pointerup', up);
    canvas.addEventListener('pointercancel', up);

    api.current.clear = () => {
      strokes.length = 0;
      active = null;
      pixels = null;
      if (timer) {
        clearTimeout(timer);
        timer = 0;
      }
      redraw();
      showPreview();
      setHasInk(false);
      actions.clearPrediction();
    };

    const unsubTheme = subscribeTheme(() => {
      redraw();
      showPreview();
    });
    showPreview();

    return () => {
      stopObserving();
      canvas.removeEventListener('pointerdown', down);
      canvas.removeEventListener('pointermove', move);
      canvas.removeEventListener('pointerup', up);
      canvas.removeEventListener('pointercancel', up);
      unsubTheme();
      if (timer) clearTimeout(timer);
    };
  }, []);

  return (
    <Panel
      title="Draw"
      info="Draw a digit with the mouse, a finger or a pen. It is cropped, scaled to 20×20 and centred by its centre of mass in 28×28 — exactly how MNIST's digits were prepared — before the network reads it."
    >
      <div className="draw-wrap">
        <div className="draw-surface">
          <canvas
            ref={canvasRef}
            data-testid="draw-canvas"
            aria-label={`Drawing surface: draw ${subject} here`}
          />
          {hasInk ? null : <div className="draw-hint">draw {subject} here</div>}
        </div>
        <div className="draw-row">
          <button
            type="button"
            className="btn small"
            data-testid="clear-canvas"
            disabled={!hasInk}
            onClick={() => api.current.clear()}
          >
            Clear
          </button>
          <div className="sees" title="The 28×28 image the network receives">
            network sees
            <canvas
              ref={previewRef}
              width={28}
              height={28}
              data-testid="network-input"
              aria-label="The 28 by 28 image the network receives"
            />
          </div>
        </div>
      </div>
    </Panel>
  );
}
