/**
 * Paints a canvas outside React's render cycle: the canvases of this app change many times a second while
 * training, and re-rendering React for each snapshot would cost more than the drawing itself.
 *
 * - The backing store follows the element's CSS size × devicePixelRatio (ResizeObserver), so lines stay
 *   crisp on any screen and the canvas never drives layout (CSS sizes it, not its pixel count).
 * - `invalidate()` asks for a repaint; data-driven repaints are coalesced into at most one per
 *   `minIntervalMs` (default 66 ms → ≤ 15 updates/s while training), `invalidate(true)` (hover, resize,
 *   theme) paints on the next animation frame. Where frames get slow the page-wide pacer stretches every
 *   painter's interval alike (framePacer.ts), so the page keeps its frame rate.
 * - `sources` are subscribe functions (e.g. `telemetryStore.subscribe`): any change invalidates.
 * - A paint that throws stops the painting and re-throws in the component's next render, so the panel's
 *   error boundary shows it (an error in a requestAnimationFrame callback would otherwise only reach the
 *   console, once per frame, over a blank canvas).
 */
import { useEffect, useMemo, useRef, useState, type PointerEvent, type RefObject } from 'react';
import { framePacer } from './framePacer';
import { subscribeTheme } from './theme';

export interface PaintSize {
  /** CSS pixels. */
  width: number;
  height: number;
  dpr: number;
}

export type Paint = (ctx: CanvasRenderingContext2D, size: PaintSize) => void;
export type Subscribe = (onChange: () => void) => () => void;

export interface Painter {
  invalidate(urgent?: boolean): void;
}

/**
 * Calls `cb(width, height)` (CSS pixels of the content box) whenever the element's size changes. Falls back
 * to window resizes where ResizeObserver is missing (old browsers, jsdom). @returns stop.
 */
export function observeSize(el: HTMLElement, cb: (width: number, height: number) => void): () => void {
  if (typeof ResizeObserver === 'function') {
    const ro = new ResizeObserver((entries) => {
      const r = entries[entries.length - 1].contentRect;
      cb(r.width, r.height);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }
  const onResize = () => {
    const r = el.getBoundingClientRect();
    cb(r.width, r.height);
  };
  window.addEventListener('resize', onResize);
  return () => window.removeEventListener('resize', onResize);
}

export function useCanvasPainter(
  canvasRef: RefObject<HTMLCanvasElement | null>,
  paint: Paint,
  sources: readonly Subscribe[],
  minIntervalMs = 66,
): Painter {
  const paintRef = useRef(paint);
  const impl = useRef<(urgent?: boolean) => void>(() => {});
  // A stable handle whose calls go to the live implementation (set once the canvas is mounted).
  const [painter] = useState<Painter>(() => ({ invalidate: (urgent) => impl.current(urgent) }));
  const [failure, setFailure] = useState<{ error: unknown } | null>(null);
  if (failure) throw failure.error;

  useEffect(() => {
    paintRef.current = paint;
    impl.current(true);
  }, [paint]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    // A CPU-backed canvas: these painters write pixels (putImageData) and small shapes many times a second,
    // which a GPU-backed canvas turns into texture uploads. Measured in WebKitGTK 2.50 under Xvfb (software
    // GL) while training: the weight grid's paint took 1–1.6 s there on the GPU path, ~15 ms on this one,
    // and the training worker, no longer competing with the GL rasteriser, ran ~3× more steps. Chromium
    // without a GPU (the tests') paints on the CPU anyway.
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) return;
    let raf = 0;
    let timer: ReturnType<typeof setTimeout> | 0 = 0;
    let last = -Infinity;
    let size: PaintSize = { width: 0, height: 0, dpr: 1 };
    let disposed = false;

    const pacer = framePacer();
    const frame = (frameTime?: number) => {
      raf = 0;
      if (disposed) return;
      // The frame's own time, the same for every painter in it: painters that repainted together are due
      // again together, so their next repaints share a frame too. (performance.now() here differs by the
      // earlier painters' work; their timers then drifted into different frames, and every frame with a
      // repainted canvas is one the browser composites again.)
      last = frameTime ?? performance.now();
      pacer.noteRepaint();
      const dpr = Math.min(window.devicePixelRatio || 1, 3);
      const w = Math.round(size.width * dpr);
      const h = Math.round(size.height * dpr);
      if (w <= 0 || h <= 0) return;
      if (canvas.width !== w || canvas.height !== h) {
        canvas.width = w;
        canvas.height = h;
      }
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, size.width, size.height);
      try {
        paintRef.current(ctx, { width: size.width, height: size.height, dpr });
      } catch (error) {
        disposed = true;
        setFailure({ error });
      }
    };

    const invalidate = (urgent = false) => {
      if (raf || disposed) return;
      const wait = urgent ? 0 : last + minIntervalMs * pacer.scale - performance.now();
      if (wait > 1) {
        if (!timer) {
          timer = setTimeout(() => {
            timer = 0;
            if (!raf && !disposed) raf = requestAnimationFrame(frame);
          }, wait);
        }
        return;
      }
      if (timer) {
        clearTimeout(timer);
        timer = 0;
      }
      raf = requestAnimationFrame(frame);
    };
    impl.current = invalidate;

    const stopObserving = observeSize(canvas, (width, height) => {
      size = { width, height, dpr: size.dpr };
      invalidate(true);
    });
    const rect = canvas.getBoundingClientRect();
    size = { width: rect.width, height: rect.height, dpr: 1 };

    const unsubs = sources.map((s) => s(() => invalidate(false)));
    unsubs.push(subscribeTheme(() => invalidate(true)));
    invalidate(true);
    return () => {
      disposed = true;
      stopObserving();
      for (const u of unsubs) u();
      if (raf) cancelAnimationFrame(raf);
      if (timer) clearTimeout(timer);
      impl.current = () => {};
    };
    // `sources` is a module-level constant array at every call site.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [canvasRef, minIntervalMs]);

  return painter;
}

/** A pointer position relative to the element it hovers, or null when the pointer is elsewhere. */
export type HoverPoint = { x: number; y: number } | null;

/**
 * Pointer handlers for a hover read-out on a canvas: they keep the pointer's position in `hoverRef`
 * so moving the mouse re-renders nothing) and ask the painter for an urgent repaint.
 */
export function useHoverHandlers(hoverRef: RefObject<HoverPoint>, painter: Painter) {
  return useMemo(
    () => ({
      onPointerMove(e: PointerEvent<HTMLElement>) {
        const r = e.currentTarget.getBoundingClientRect();
        hoverRef.current = { x: e.clientX - r.left, y: e.clientY - r.top };
        painter.invalidate(true);
      },
      onPointerLeave() {
        hoverRef.current = null;
        painter.invalidate(true);
      },
    }),
    [hoverRef, painter],
  );
}
