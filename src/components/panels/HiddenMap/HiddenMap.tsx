/**
 * The representation map: 2,000 test images as dots, placed by one layer's activations projected onto their
 * two principal directions (PCA, computed in the worker: training/hiddenMap.ts), coloured by class. Tangled
 * in pixel space, the classes pull apart layer by layer as the network trains: that is what hidden layers
 * are for. The 5-NN figure says how well they separate; the drawing is a marked dot that moves as you draw.
 *
 * While open it asks again whenever the run moved on, at most twice a second and never more often than
 * twice the map's own compute time (so a big network's map cannot eat the worker); closed, it asks nothing.
 * Consecutive maps are aligned in the worker (Procrustes), and here the dots glide from one to the next.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { actions } from '../../../app/client';
import { projectPoint } from '../../../engine/pca';
import type { MapLayer, ReplyTo } from '../../../protocol/messages';
import { useLessonMapLayer } from '../../lessons/useLessonView';
import { useConfigStore } from '../../../store/config';
import { useRunStore } from '../../../store/run';
import { useTimelineStore } from '../../../store/timeline';
import { telemetryStore } from '../../../store/telemetry';
import { getTheme } from '../../canvas/theme';
import { useCanvasPainter, type PaintSize, type Subscribe } from '../../canvas/useCanvasPainter';
import { DigitThumb } from '../../ui/DigitThumb';
import { useUmapMap, type ShownMap } from './useUmapMap';
import { formatInt, formatPercent } from '../../ui/format';
import { Panel } from '../../ui/Panel';
import {
  CLASS_COLORS,
  drawingVector,
  frameFor,
  layerOptions,
  lerpCoords,
  lerpExtent,
  mapExtent,
  nearestDot,
  parseLayer,
  toScreen,
  type Extent,
} from './hiddenMapLayout';

type MapAnswer = ReplyTo<'hidden-map'>;

/** At most two maps a second… */
const MIN_INTERVAL_MS = 500;
/** …and the worker spends at most a third of its time on them (a map every ≥ 2 × its compute time). */
const COMPUTE_FACTOR = 2;
const GLIDE_MS = 400;

const INFO =
  'Each dot is a test image, placed by what this layer makes of it: the two directions in which the ' +
  'layer’s activations differ most (PCA), (x, y) = ((a − ā)·u₁, (a − ā)·u₂). Classes tangled in the pixels ' +
  'come apart layer by layer. 5-NN: how often a dot’s five nearest dots mostly share its class.';

/** Repaint only when the drawing's prediction changes (not on every snapshot). */
const PREDICTION: Subscribe = (cb) =>
  telemetryStore.subscribe((s, prev) => {
    if (s.prediction !== prev.prediction) cb();
  });

interface Glide {
  from: Float32Array | null;
  fromExtent: Extent | null;
  to: ShownMap;
  toExtent: Extent;
  start: number;
  scratch: Float32Array;
}

/** `actions`: buttons for the panel's header (the Layers screen's opener of the loss landscape). */
export function HiddenMap({ actions: headerActions }: { actions?: ReactNode } = {}) {
  const hidden = useConfigStore((s) => s.config.hidden);
  const inputSize = useConfigStore((s) => s.config.inputSize);
  const outputSize = useConfigStore((s) => s.config.outputSize);
  const dataset = useConfigStore((s) => s.dataset);
  const names = useRunStore((s) => s.data.classNames);
  const options = useMemo(() => layerOptions(inputSize, hidden, outputSize), [inputSize, hidden, outputSize]);
  const [picked, setPicked] = useState('0');
  // A lesson's step picks the layer when it is reached (the picker stays the user's in between).
  const lessonLayer = useLessonMapLayer();
  const [appliedLesson, setAppliedLesson] = useState<MapLayer | null>(null);
  if (lessonLayer !== appliedLesson) {
    setAppliedLesson(lessonLayer);
    if (lessonLayer !== null) setPicked(String(lessonLayer));
  }
  const layer = parseLayer(picked, hidden.length);
  const [answer, setAnswer] = useState<MapAnswer | null>(null);
  const [method, setMethod] = useState<'pca' | 'umap'>('pca');
  const [error, setError] = useState<string | null>(null);
  const [images, setImages] = useState<{ key: string; pixels: Uint8Array } | null>(null);
  const [hover, setHover] = useState<number | null>(null);
  const [pinned, setPinned] = useState<number | null>(null);
  const imagesKey = `${dataset}`;
  const needImages = images?.key !== imagesKey;

  // Asking: on open and on a layer change at once, then whenever the run moved on (paced).
  useEffect(() => {
    let alive = true;
    let inFlight = false;
    let lastKey = '';
    let lastAt = -Infinity;
    let wait = MIN_INTERVAL_MS;
    let withImages = needImages;
    const ask = () => {
      const run = useRunStore.getState();
      // A kept moment on show (the timeline): its map, once; else now's, as the run moves on.
      const at = useTimelineStore.getState().viewing;
      const key = at === null ? `${run.generation}:${run.step}` : `${run.generation}@${at}`;
      if (inFlight || key === lastKey || performance.now() - lastAt < wait) return;
      lastKey = key;
      inFlight = true;
      actions.requestHiddenMap(layer, withImages, at, method === 'umap').then(
        (ev) => {
          inFlight = false;
          lastAt = performance.now();
          wait = Math.max(MIN_INTERVAL_MS, COMPUTE_FACTOR * ev.computeMs);
          if (!alive) return;
          if (ev.images) {
            withImages = false;
            setImages({ key: imagesKey, pixels: ev.images });
          }
          setAnswer(ev);
          setError(null);
        },
        (e: unknown) => {
          inFlight = false;
          if (!alive) return;
          const message = e instanceof Error ? e.message : String(e);
          // Replaced by a newer question, or the network was rebuilt: ask again on the next tick.
          lastKey = '';
          if (!/newer map|network changed/.test(message)) setError(message);
        },
      );
    };
    ask();
    const timer = setInterval(ask, 200);
    return () => {
      alive = false;
      clearInterval(timer);
    };
    // `needImages` is read once per layer: the images come with the first answer.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [layer, imagesKey, method]);

  const canvasRef = useRef<HTMLCanvasElement>(null);
  const hostRef = useRef<HTMLDivElement>(null);
  const glide = useRef<Glide | null>(null);
  const shown = useRef<{ coords: Float32Array; extent: Extent; size: PaintSize } | null>(null);
  const tipRef = useRef<HTMLDivElement>(null);
  /** The focused dot (pinned, else hovered), read by the painter, which also places the tip beside it. */
  const focused = useRef(-1);
  const again = useRef<() => void>(() => {});
  // UMAP, when chosen: fitted on a thread of its own from each map's activations (useUmapMap.ts).
  const repaint = useCallback(() => again.current(), []);
  const umap = useUmapMap(method === 'umap' ? answer : null, repaint);
  const umapShown = umap.shown;
  const displayed = useMemo<ShownMap | null>(
    () => (method === 'umap' && umapShown ? umapShown : answer ? { ...answer, method: 'pca' } : null),
    [method, umapShown, answer],
  );

  const paint = useCallback(
    (ctx: CanvasRenderingContext2D, size: PaintSize) => {
      const theme = getTheme();
      const g = glide.current;
      ctx.font = `11px ${theme.font}`;
      if (!g) {
        ctx.fillStyle = theme.muted;
        ctx.textAlign = 'center';
        ctx.fillText(error ? '' : 'Computing the map…', size.width / 2, size.height / 2);
        return;
      }
      const raw = Math.min(1, (performance.now() - g.start) / GLIDE_MS);
      const t = raw * raw * (3 - 2 * raw);
      const coords = g.from && raw < 1 ? lerpCoords(g.from, g.to.coords, t, g.scratch) : g.to.coords;
      const extent = g.fromExtent && raw < 1 ? lerpExtent(g.fromExtent, g.toExtent, t) : g.toExtent;
      const frame = frameFor(extent, size.width, size.height);
      shown.current = { coords, extent, size };
      const n = g.to.labels.length;
      const labels = g.to.labels;
      // Dots by class: ten fill colours, 2,000 little squares.
      for (let c = 0; c < CLASS_COLORS.length; c++) {
        ctx.fillStyle = CLASS_COLORS[c]!;
        for (let i = 0; i < n; i++) {
          if (labels[i] !== c) continue;
          const [x, y] = toScreen(frame, extent, coords[2 * i]!, coords[2 * i + 1]!);
          ctx.fillRect(x - 1.5, y - 1.5, 3, 3);
        }
      }
      const f = focused.current;
      if (f >= 0 && f < n) {
        const [x, y] = toScreen(frame, extent, coords[2 * f]!, coords[2 * f + 1]!);
        ctx.strokeStyle = theme.fg;
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.arc(x, y, 6, 0, 2 * Math.PI);
        ctx.stroke();
        const tip = tipRef.current;
        if (tip) {
          // Beside the dot, flipped to its left/top near the far edges so it stays inside the plot.
          const left = x + 12 + 150 > size.width ? x - 12 - 150 : x + 12;
          const top = y + 12 + 60 > size.height ? y - 12 - 60 : y + 12;
          tip.style.left = `${Math.max(0, left)}px`;
          tip.style.top = `${Math.max(0, top)}px`;
        }
      }
      // The drawing, placed with the map's own projection.
      const p = telemetryStore.getState().prediction;
      const v = p ? drawingVector(g.to.layer, p.activations, p.logits) : null;
      const host = hostRef.current;
      // UMAP places the drawing on its thread (useUmapMap); PCA projects it here.
      const at = v && v.length === g.to.size ? (g.to.place ? g.to.place() : projectPoint(g.to, v)) : null;
      if (at) {
        const [mx, my] = at;
        const [x, y] = toScreen(frame, extent, mx, my);
        ctx.strokeStyle = theme.accent;
        ctx.fillStyle = theme.panel;
        ctx.lineWidth = 3;
        ctx.beginPath();
        ctx.arc(x, y, 8, 0, 2 * Math.PI);
        ctx.fill();
        ctx.stroke();
        ctx.fillStyle = theme.accent;
        ctx.textBaseline = 'middle';
        // Left of the mark where the label would leave the map.
        const right = x + 12 + ctx.measureText('your drawing').width <= size.width;
        ctx.textAlign = right ? 'left' : 'right';
        ctx.fillText('your drawing', right ? x + 12 : x - 12, y);
        if (host) host.dataset.drawing = `${mx.toFixed(3)},${my.toFixed(3)}`;
      } else if (host) host.dataset.drawing = '';
      ctx.fillStyle = theme.muted;
      ctx.textAlign = 'left';
      ctx.textBaseline = 'bottom';
      const share = (k: 0 | 1) => formatPercent(g.to.variance[k] / Math.max(g.to.totalVariance, 1e-30), 0);
      ctx.fillText(
        g.to.method === 'umap'
          ? 'UMAP (15 neighbours, min. distance 0.1): the axes mean nothing; near means alike'
          : `→ PC 1 (${share(0)} of the variance) · ↑ PC 2 (${share(1)})`,
        6,
        size.height - 4,
      );
      if (raw < 1) requestAnimationFrame(() => again.current());
    },
    // error only changes the empty text.
    [error],
  );
  const painter = useCanvasPainter(canvasRef, paint, [PREDICTION]);
  useEffect(() => {
    again.current = () => painter.invalidate(true);
  }, [painter]);

  // A new map: glide from what is on screen (same layer, images and method) to it.
  useEffect(() => {
    if (!displayed) return;
    const prev = glide.current;
    if (prev?.to.coords === displayed.coords) return;
    const same =
      prev &&
      prev.to.layer === displayed.layer &&
      prev.to.method === displayed.method &&
      prev.to.labels.length === displayed.labels.length;
    glide.current = {
      from: same ? (shown.current?.coords.slice() ?? null) : null,
      fromExtent: same ? (shown.current?.extent ?? null) : null,
      to: displayed,
      toExtent: mapExtent(displayed.coords),
      start: performance.now(),
      scratch: new Float32Array(displayed.coords.length),
    };
    painter.invalidate(true);
  }, [displayed, painter]);
  const focus = pinned ?? hover;
  useEffect(() => {
    focused.current = focus ?? -1;
    painter.invalidate(true);
  }, [focus, painter]);

  const dotAt = (clientX: number, clientY: number) => {
    const s = shown.current;
    const canvas = canvasRef.current;
    if (!s || !canvas) return -1;
    const r = canvas.getBoundingClientRect();
    const frame = frameFor(s.extent, s.size.width, s.size.height);
    return nearestDot(s.coords, frame, s.extent, clientX - r.left, clientY - r.top);
  };
  const current = displayed;
  const name = (c: number) => names[c] ?? String(c);
  const px = current ? current.rows * current.cols : 0;

  return (
    <Panel
      title="What the layers represent"
      info={INFO}
      className="hidden-map-panel"
      view="hidden-map"
      actions={headerActions}
    >
      <div
        ref={hostRef}
        className="hidden-map"
        data-testid="hidden-map"
        data-layer={current ? String(current.layer) : ''}
        data-knn={current ? current.knn.toFixed(3) : ''}
        data-method={current ? current.method : ''}
        data-step={current ? current.step : ''}
        data-count={current ? current.labels.length : 0}
        data-state={error ? 'error' : current ? 'ready' : 'computing'}
      >
        <div className="hidden-map-bar">
          <label>
            Layer{' '}
            <select
              data-testid="hidden-map-layer"
              value={String(layer)}
              onChange={(e) => {
                setPicked(e.target.value);
                setPinned(null);
              }}
            >
              {options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            Projection{' '}
            <select
              data-testid="hidden-map-method"
              value={method}
              onChange={(e) => setMethod(e.target.value as 'pca' | 'umap')}
            >
              <option value="pca">PCA</option>
              <option value="umap">UMAP</option>
            </select>
          </label>
          <span
            className="hidden-map-knn num"
            title="Leave-one-out 5-nearest-neighbour accuracy in this 2-D map"
          >
            {current ? `5-NN in the map ${current.knn.toFixed(2)}` : ''}
          </span>
          <span className="muted num">
            {current
              ? `step ${formatInt(current.step)}${current.layer !== layer ? ' · computing…' : ''}` +
                (method === 'umap' && umap.progress !== null
                  ? ` · UMAP ${formatPercent(umap.progress, 0)}`
                  : method === 'umap' && !umap.shown
                    ? ' · UMAP starting…'
                    : '')
              : ''}
          </span>
        </div>
        <div className="hidden-map-plot">
          <canvas
            ref={canvasRef}
            className="hidden-map-canvas"
            tabIndex={0}
            role="img"
            aria-label={
              current
                ? `Map of ${options.find((o) => o.layer === current.layer)?.label ?? 'a layer'}: ${current.labels.length} test images, 5-NN accuracy ${current.knn.toFixed(2)}`
                : 'The map is being computed'
            }
            onPointerMove={(e) => {
              const i = dotAt(e.clientX, e.clientY);
              setHover(i >= 0 ? i : null);
            }}
            onPointerLeave={() => setHover(null)}
            onClick={(e) => {
              const i = dotAt(e.clientX, e.clientY);
              setPinned(i >= 0 && i !== pinned ? i : null);
            }}
            onKeyDown={(e) => {
              const n = current?.labels.length ?? 0;
              if (n === 0) return;
              if (e.key === 'Escape') setPinned(null);
              else if (e.key === 'ArrowRight' || e.key === 'ArrowDown') setPinned(((pinned ?? -1) + 1) % n);
              else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') setPinned(((pinned ?? 0) - 1 + n) % n);
              else return;
              e.preventDefault();
            }}
          />
          {focus !== null && current && focus < current.labels.length ? (
            <div ref={tipRef} className="hidden-map-tip" data-testid="hidden-map-tip">
              {images && images.pixels.length >= (focus + 1) * px ? (
                <DigitThumb
                  pixels={images.pixels.subarray(focus * px, (focus + 1) * px)}
                  label={`test image ${current.indices[focus]}`}
                />
              ) : null}
              <span>
                a {name(current.labels[focus]!)}, read as {name(current.predicted[focus]!)}
                {current.predicted[focus] === current.labels[focus] ? ' ✓' : ' ✗'}
                <br />
                <span className="muted">test image {formatInt(current.indices[focus]!)}</span>
              </span>
            </div>
          ) : null}
        </div>
        <ul className="hidden-map-legend" aria-label="Classes">
          {CLASS_COLORS.slice(0, outputSize).map((color, c) => (
            <li key={c}>
              <span className="swatch" style={{ background: color }} />
              {name(c)}
            </li>
          ))}
        </ul>
        <p className="muted hidden-map-about">
          {method === 'umap'
            ? 'Each dot is a test image, placed by UMAP so that images this layer sees as alike (its 15 nearest neighbours in activation space) sit close together; distances between far clusters mean little.'
            : 'Each dot is a test image placed by this layer’s activations a, along the two directions they vary most: (x, y) = ((a − ā)·u₁, (a − ā)·u₂). Pick a deeper layer: the classes pull apart.'}
        </p>
        {error ? (
          <p className="hidden-map-error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
    </Panel>
  );
}
