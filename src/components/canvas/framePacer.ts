/**
 * One page-wide pace for the canvases' data-driven repaints: as often as each painter asks (≤ 15/s) while
 * the page keeps its frame rate, less often when frames get slow.
 *
 * Why: what a repaint costs is the browser's, not ours. Measured in WebKitGTK 2.50 under Xvfb (GL in
 * software, llvmpipe): while the default network trains, our JavaScript takes ~0.1 s of each second and
 * the main thread is never blocked for more than 40 ms, yet the page draws 8–10 frames/s — rasterising
 * and compositing the damaged panels takes the rest (with `<main>` hidden, the same training runs at 60).
 * Each repainted canvas makes its frame a slow one; 15 repaints a second of four canvases leave no fast
 * frames at all. Repainting them less often while frames are slow gives the page its frames back
 * (scrolling, drawing a digit, the pointer) and loses nothing: the data is kept, a repaint draws all of it.
 * Where frames are fast (Chromium, Firefox, WebKit with a GPU) the scale stays 1 and nothing changes.
 *
 * CONTRACT:
 * - `scale` ≥ 1 multiplies every painter's minimum interval between data-driven repaints; urgent repaints
 *   (hover, resize, theme) are never delayed.
 * - The frame rate is measured only while painters are busy: `noteRepaint()` (called by each data-driven
 *   repaint) keeps a requestAnimationFrame loop alive for WINDOW_MS × 2 after the last one; that loop does
 *   nothing but read the frame's time, so it damages nothing and costs nothing when the page is still.
 * - `nextScale` is pure: over each window, a mean frame interval above SLOW_MS grows the scale ×GROW (to at
 *   most MAX_SCALE); below FAST_MS it shrinks ÷SHRINK (to at least 1). Between the two it holds
 *   (hysteresis: the pace settles instead of swinging).
 */

/** The window over which frame intervals are averaged (ms). */
export const WINDOW_MS = 500;
/** Mean frame intervals above this (under 40 frames/s) slow the repaints down. */
export const SLOW_MS = 25;
/** Below this (over 50 frames/s) the repaints speed up again. */
export const FAST_MS = 20;
export const GROW = 1.5;
export const SHRINK = 1.25;
/** At most this slower: the default 66 ms becomes ~0.5 s, still two updates a second. */
export const MAX_SCALE = 8;

export function nextScale(scale: number, meanFrameMs: number): number {
  if (meanFrameMs > SLOW_MS) return Math.min(MAX_SCALE, scale * GROW);
  if (meanFrameMs < FAST_MS) return Math.max(1, scale / SHRINK);
  return scale;
}

export interface FramePacerEnv {
  now(): number;
  requestFrame(cb: (t: number) => void): void;
}

export interface FramePacer {
  /** The factor on every painter's minimum interval now. */
  readonly scale: number;
  /** A data-driven repaint happened: measure the frames for a while. */
  noteRepaint(): void;
}

export function createFramePacer(env: FramePacerEnv): FramePacer {
  let scale = 1;
  let running = false;
  let lastRepaint = -Infinity;
  // The current window: its first frame's time and the frames seen since.
  let windowStart = 0;
  let frames = 0;
  let lastFrame = 0;

  const frame = (t: number) => {
    if (t - lastRepaint > 2 * WINDOW_MS) {
      // The painters went quiet: stop measuring. The scale stays for the next burst of repaints, whose
      // first window corrects it.
      running = false;
      return;
    }
    frames++;
    lastFrame = t;
    if (t - windowStart >= WINDOW_MS && frames > 1) {
      scale = nextScale(scale, (lastFrame - windowStart) / (frames - 1));
      windowStart = t;
      frames = 1;
    }
    env.requestFrame(frame);
  };

  return {
    get scale() {
      return scale;
    },
    noteRepaint() {
      lastRepaint = env.now();
      if (running) return;
      running = true;
      windowStart = lastRepaint;
      frames = 0;
      env.requestFrame((t) => {
        windowStart = t;
        frame(t);
      });
    },
  };
}

/** The page's pacer (the browser's clock and frames); created on first use, so Node never touches rAF. */
let pagePacer: FramePacer | null = null;
export function framePacer(): FramePacer {
  pagePacer ??= createFramePacer({
    now: () => performance.now(),
    requestFrame: (cb) => requestAnimationFrame(cb),
  });
  return pagePacer;
}
