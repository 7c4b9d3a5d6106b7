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
import { useShallow } from 'zustand/react/shallow';
import { centreOfMass, preprocessMnist } from '../../../draw/mnistPreprocess';
import { planRaster, strokeBounds, type Pt } from '../../../draw/strokes';
import { useConfigStore } from '../../../store/config';
import { useMyDigitsStore } from '../../../store/myDigits';
import { useRunStore } from '../../../store/run';
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
  const api = useRef<{ clear: () => void; save: (label: number) => void }>({
    clear: () => {},
    save: () => {},
  });
  const names = useRunStore(useShallow((s) => s.data.classNames));
  const classes = names.length || 10;
  const canSave = useMyDigitsStore((s) => s.loaded);

  useEffect(() => {
    const canvas = canvasRef.current;
    const preview = previewRef.current;
    if (!canvas || !preview) return;
    // CPU-backed (as the painters' canvases, useCanvasPainter.ts): GPU-backed, WebKitGTK gives it a
    // composited layer of its own, composited again in every frame of the page.
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
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
      // In steps of 1/255: the network reads exactly the bytes a saved digit keeps (my digits, uint8).
      if (pixels) for (let i = 0; i < pixels.length; i++) pixels[i] = Math.round(pixels[i]! * 255) / 255;
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
      // Focused, the canvas takes the keys 0–9 (save as); preventDefault above would keep it from focusing.
      canvas.focus({ preventScroll: true });
      if (useMyDigitsStore.getState().selected) useMyDigitsStore.setState({ selected: null });
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

    api.current.save = (label: number) => {
      if (!pixels || !strokes.length) return;
      const kept = strokes.map((st) => st.map((p) => ({ x: p.x, y: p.y })));
      void actions.saveDigit(label, pixels, kept).then((ok) => {
        if (ok) api.current.clear();
      });
    };
    /** A saved digit back in the drawing (the gallery): its strokes, read again like a fresh drawing. */
    const load = (saved: readonly (readonly Pt[])[]) => {
      strokes.length = 0;
      for (const st of saved) strokes.push(st.map((p) => ({ x: p.x, y: p.y })));
      active = null;
      redraw();
      setHasInk(strokes.length > 0);
      predictNow();
    };
    const unsubSelected = useMyDigitsStore.subscribe((s, prev) => {
      if (s.selected === prev.selected || !s.selected) return;
      const d = s.digits.find((x) => x.id === s.selected);
      if (d) load(d.strokes);
    });

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
      unsubSelected();
      if (timer) clearTimeout(timer);
    };
  }, []);

  return (
    <Panel
      title="Draw"
      view="draw-canvas"
      info="Draw a digit with the mouse, a finger or a pen. It is cropped, scaled to 20×20 and centred by its centre of mass in 28×28 — exactly how MNIST's digits were prepared — before the network reads it."
    >
      <div className="draw-wrap">
        <div className="draw-surface">
          <canvas
            ref={canvasRef}
            data-testid="draw-canvas"
            aria-label={`Drawing surface: draw ${subject} here; focused, the keys 0 to ${classes - 1} save it as that class`}
            tabIndex={0}
            onKeyDown={(e) => {
              // Focused, the digit keys are "save as" (and never reach the lesson shortcuts).
              if (e.ctrlKey || e.metaKey || e.altKey || !/^[0-9]$/.test(e.key)) return;
              e.preventDefault();
              const label = Number(e.key);
              if (!e.repeat && label < classes && hasInk && canSave) api.current.save(label);
            }}
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
        <div
          className="save-row"
          role="group"
          aria-label={`Save the drawing as a class (keys 0–${classes - 1} on the canvas)`}
        >
          <span className="save-label">save as</span>
          {Array.from({ length: classes }, (_, d) => (
            <button
              key={d}
              type="button"
              className="btn small save-digit"
              data-testid={`save-digit-${d}`}
              disabled={!hasInk || !canSave}
              title={`Keep this drawing as ${names[d] ?? d} in My digits`}
              onClick={() => api.current.save(d)}
            >
              {d}
            </button>
          ))}
        </div>
      </div>
    </Panel>
  );
}
