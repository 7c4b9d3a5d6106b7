/**
 * Pen strokes as vectors, and how to rasterise them for the network: pure maths, no canvas.
 *
 * Why not just read the visible canvas: a person draws with one pen whatever the size of the digit. A
 * digit drawn small with that pen, once its bounding box is scaled up to MNIST's 20×20, comes out with
 * strokes three or four times as bold as any MNIST digit — a blob whose holes close up (an 8 or a 0 drawn
 * small stops looking like one). So the strokes are re-rendered off screen with the drawing's bounding box
 * filling a fixed area and a pen width of at most MAX_STROKE_RATIO of the digit's size. Large digits keep
 * exactly the width the user sees; small ones get MNIST-like strokes. The pixels then go through the
 * MNIST recipe unchanged (src/draw/mnistPreprocess.ts).
 */

/** A point in canvas units: 0..1 across the drawing surface. */
export interface Pt {
  x: number;
  y: number;
}

/** A stroke's width (of the centreline's bounding box) never exceeds this fraction of the digit's size: ≈ 2.4 px
 * in MNIST's 20-pixel box, the thickness of a typical MNIST stroke. */
export const MAX_STROKE_RATIO = 0.12;

/** Bounding box of the strokes' sample points (the centreline, without the pen width); null when empty. */
export function strokeBounds(
  strokes: readonly (readonly Pt[])[],
): { x0: number; y0: number; x1: number; y1: number } | null {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const s of strokes) {
    for (const p of s) {
      if (p.x < x0) x0 = p.x;
      if (p.x > x1) x1 = p.x;
      if (p.y < y0) y0 = p.y;
      if (p.y > y1) y1 = p.y;
    }
  }
  return x1 >= x0 ? { x0, y0, x1, y1 } : null;
}

/** Where to draw: canvas point p ↦ (p.x·scale + dx, p.y·scale + dy), pen width lineWidth, on a size×size raster. */
export interface RasterPlan {
  size: number;
  scale: number;
  dx: number;
  dy: number;
  lineWidth: number;
}

/**
 * Plans the off-screen raster: the centreline's bounding box, centred, with its longer side `inner` pixels
 * of a `size` raster (the margin holds half a pen width); the pen is the user's (brush × scale) unless that
 * is bolder than MAX_STROKE_RATIO of the digit's size.
 *
 * @param brush pen width in canvas units (fraction of the drawing surface's side).
 */
export function planRaster(
  bounds: { x0: number; y0: number; x1: number; y1: number },
  brush: number,
  size = 280,
  inner = 200,
): RasterPlan {
  const w = bounds.x1 - bounds.x0;
  const h = bounds.y1 - bounds.y0;
  // A single tap has no extent: treat it as a dot the size of the pen.
  const extent = Math.max(w, h, brush);
  const scale = inner / extent;
  const lineWidth = Math.min(brush * scale, MAX_STROKE_RATIO * inner);
  const cx = (bounds.x0 + bounds.x1) / 2;
  const cy = (bounds.y0 + bounds.y1) / 2;
  return { size, scale, dx: size / 2 - cx * scale, dy: size / 2 - cy * scale, lineWidth };
}
