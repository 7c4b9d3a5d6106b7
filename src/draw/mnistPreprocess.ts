/**
 * MNIST-style preprocessing of a hand-drawn digit, as pure array functions (no canvas, so it runs and is
 * tested in Node).
 *
 * The recipe is the one MNIST itself used (yann.lecun.com/exdb/mnist): "the images were size normalized to
 * fit in a 20x20 pixel box while preserving their aspect ratio … anti-aliasing … centered in a 28x28 image
 * by computing the center of mass of the pixels, and translating the image so as to position this point at
 * the center of the 28x28 field". A network trained on MNIST has only ever seen digits prepared this way, so
 * a digit drawn small, large or in a corner must go through the same steps or it will be misread.
 *
 * Coordinates: pixel (x, y) covers the square [x, x+1) × [y, y+1); its centre is (x + ½, y + ½). Images are
 * row-major, index = y·width + x.
 */

/** A grey image at any resolution: ink > 0, background 0. */
export interface GreyImage {
  /** Row-major samples, `channels` per pixel (e.g. canvas ImageData: 4, read channel 3 = alpha). */
  data: ArrayLike<number>;
  width: number;
  height: number;
  /** Samples per pixel; default 1. */
  channels?: number;
  /** Which sample of a pixel holds the ink; default channels − 1 (alpha for RGBA, the only one for grey). */
  channel?: number;
  /** The value of full ink; default 255 for integer arrays (Uint8ClampedArray, Uint8Array), else 1. */
  maxValue?: number;
}

/** A half-open pixel rectangle [x0, x1) × [y0, y1). */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** MNIST's geometry: the digit fits in FIT×FIT, placed in SIZE×SIZE with its centre of mass at SIZE/2. */
export const MNIST_SIZE = 28;
export const MNIST_FIT = 20;

export interface PreprocessOptions {
  /** Side of the output (28). */
  size?: number;
  /** Side of the box the ink's bounding box is scaled to fit (20). */
  fit?: number;
  /** Ink below this fraction of full ink is ignored for the bounding box (stray anti-aliasing). 0.05. */
  threshold?: number;
  /** Scale the result so its brightest pixel is 1 (MNIST strokes have saturated cores). Default true. */
  normalize?: boolean;
}

/** Reads one image into a plain 0..1 float array [height·width] (ink channel only). */
export function toInk(img: GreyImage): Float32Array {
  const channels = img.channels ?? 1;
  const channel = img.channel ?? channels - 1;
  const isFloat = img.data instanceof Float32Array || img.data instanceof Float64Array;
  const maxValue = img.maxValue ?? (isFloat ? 1 : 255);
  const n = img.width * img.height;
  if (img.data.length < n * channels) {
    throw new Error(`image data has ${img.data.length} samples, expected ${n * channels}`);
  }
  const out = new Float32Array(n);
  const inv = 1 / maxValue;
  for (let i = 0; i < n; i++) {
    const v = img.data[i * channels + channel] * inv;
    out[i] = v > 1 ? 1 : v > 0 ? v : 0;
  }
  return out;
}

/**
 * The smallest box holding every pixel whose ink is > threshold. null when there is none (empty canvas).
 * @param ink [height·width] 0..1
 */
export function inkBoundingBox(
  ink: ArrayLike<number>,
  width: number,
  height: number,
  threshold = 0,
): Box | null {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (ink[row + x] > threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

/**
 * Centre of mass of the ink, in continuous coordinates (pixel centres at +½):
 * cx = Σ v·(x + ½) / Σ v, cy likewise. null when the image holds no ink.
 */
export function centreOfMass(
  ink: ArrayLike<number>,
  width: number,
  height: number,
): { x: number; y: number; mass: number } | null {
  let mass = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let rowMass = 0;
    for (let x = 0; x < width; x++) {
      const v = ink[row + x];
      rowMass += v;
      sx += v * (x + 0.5);
    }
    mass += rowMass;
    sy += rowMass * (y + 0.5);
  }
  return mass > 0 ? { x: sx / mass, y: sy / mass, mass } : null;
}

/**
 * Area-averaging (box filter) resampling along one axis, for an affine map dst = (src − srcOrigin)·scale +
 * dstOrigin. Each destination cell [d, d+1) collects every source cell it overlaps, weighted by the
 * overlap length, divided by its preimage length 1/scale — exact integration of the piecewise-constant
 * source, so thin strokes fade in proportion to their coverage instead of vanishing (no aliasing) and ink
 * is conserved up to the factor `scale`.
 *
 * @returns weights as a sparse list per destination cell: {start, w[]} so applying it is a short dot product.
 */
function axisWeights(
  srcLen: number,
  dstLen: number,
  scale: number,
  srcOrigin: number,
  dstOrigin: number,
): { start: number; w: Float64Array }[] {
  const out: { start: number; w: Float64Array }[] = [];
  const inv = 1 / scale;
  for (let d = 0; d < dstLen; d++) {
    // Preimage of [d, d+1) in source coordinates.
    const a = (d - dstOrigin) * inv + srcOrigin;
    const b = a + inv;
    const s0 = Math.max(0, Math.floor(a));
    const s1 = Math.min(srcLen, Math.ceil(b));
    if (s1 <= s0) {
      out.push({ start: 0, w: new Float64Array(0) });
      continue;
    }
    const w = new Float64Array(s1 - s0);
    for (let s = s0; s < s1; s++) {
      const overlap = Math.min(b, s + 1) - Math.max(a, s);
      w[s - s0] = overlap > 0 ? overlap * scale : 0; // ÷ preimage length (1/scale)
    }
    out.push({ start: s0, w });
  }
  return out;
}

/**
 * Resamples `ink` with the affine map dst = (src − srcOrigin)·scale + dstOrigin (same on both axes), area
 * averaged, into a dstW×dstH image. Separable: rows first, then columns.
 */
export function resampleArea(
  ink: ArrayLike<number>,
  width: number,
  height: number,
  dstW: number,
  dstH: number,
  scale: number,
  srcOrigin: { x: number; y: number },
  dstOrigin: { x: number; y: number },
): Float32Array {
  const wx = axisWeights(width, dstW, scale, srcOrigin.x, dstOrigin.x);
  const wy = axisWeights(height, dstH, scale, srcOrigin.y, dstOrigin.y);
  // Horizontal pass: only the source rows some destination row reads.
  let rowLo = height;
  let rowHi = 0;
  for (const { start, w } of wy) {
    if (w.length === 0) continue;
    rowLo = Math.min(rowLo, start);
    rowHi = Math.max(rowHi, start + w.length);
  }
  const out = new Float32Array(dstW * dstH);
  if (rowHi <= rowLo) return out;
  const tmp = new Float64Array((rowHi - rowLo) * dstW);
  for (let y = rowLo; y < rowHi; y++) {
    const src = y * width;
    const dst = (y - rowLo) * dstW;
    for (let x = 0; x < dstW; x++) {
      const { start, w } = wx[x];
      let acc = 0;
      for (let k = 0; k < w.length; k++) acc += w[k] * ink[src + start + k];
      tmp[dst + x] = acc;
    }
  }
  for (let y = 0; y < dstH; y++) {
    const { start, w } = wy[y];
    for (let x = 0; x < dstW; x++) {
      let acc = 0;
      for (let k = 0; k < w.length; k++) acc += w[k] * tmp[(start + k - rowLo) * dstW + x];
      out[y * dstW + x] = acc;
    }
  }
  return out;
}

/**
 * The whole MNIST recipe: bounding box of the ink → scale s = fit / max(boxW, boxH) (aspect ratio kept,
 * area-averaged) → translate so the centre of mass lands on (size/2, size/2) — a real-valued shift folded
 * into the same resampling, ink pushed past the border is cut off (never wrapped).
 *
 * The centre of mass is taken on the source (inside the box) and mapped through the affine transform;
 * box filtering moves a centroid by far less than half a pixel, so the result's centre is size/2 ± 0.5.
 *
 * @returns [size·size] floats in 0..1 (784 for MNIST), or null for an empty image.
 */
export function preprocessMnist(img: GreyImage, options: PreprocessOptions = {}): Float32Array | null {
  const size = options.size ?? MNIST_SIZE;
  const fit = options.fit ?? MNIST_FIT;
  const threshold = options.threshold ?? 0.05;
  const normalize = options.normalize ?? true;
  const { width, height } = img;
  const ink = toInk(img);
  const box = inkBoundingBox(ink, width, height, threshold);
  if (!box) return null;
  // Ink fainter than the threshold outside the box is dropped so a stray speck cannot pull the centre.
  const cropped = new Float32Array(width * height);
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) cropped[y * width + x] = ink[y * width + x];
  }
  const com = centreOfMass(cropped, width, height);
  if (!com) return null;
  const scale = fit / Math.max(box.x1 - box.x0, box.y1 - box.y0);
  const out = resampleArea(cropped, width, height, size, size, scale, com, { x: size / 2, y: size / 2 });
  if (normalize) {
    let max = 0;
    for (let i = 0; i < out.length; i++) if (out[i] > max) max = out[i];
    if (max <= 0) return null;
    const inv = 1 / max;
    for (let i = 0; i < out.length; i++) out[i] = Math.min(1, out[i] * inv);
  } else {
    for (let i = 0; i < out.length; i++) out[i] = Math.min(1, out[i]);
  }
  return out;
}
