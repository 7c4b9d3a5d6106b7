/**
 * Paints a square 0..1 image (the 28×28 the network receives) into a canvas at native resolution, ink in
 * the theme's text colour on the panel colour (white on black in the dark theme, like MNIST itself).
 */
import { toRgb } from './colors';
import type { ThemeColors } from './theme';

export function inkColours(theme: ThemeColors): {
  bg: [number, number, number];
  ink: [number, number, number];
} {
  return theme.dark
    ? { bg: [0, 0, 0], ink: [255, 255, 255] }
    : { bg: toRgb(theme.panel), ink: toRgb(theme.fg) };
}

/** @param pixels [side·side] 0..1, row-major. Resizes the canvas to side×side. */
export function paintPixels(
  canvas: HTMLCanvasElement,
  pixels: Float32Array | null,
  theme: ThemeColors,
): void {
  const side = pixels ? Math.round(Math.sqrt(pixels.length)) : 28;
  if (canvas.width !== side || canvas.height !== side) {
    canvas.width = side;
    canvas.height = side;
  }
  // CPU-backed, like the painters' canvases (useCanvasPainter.ts): a GPU-backed one is a composited layer
  // of its own in WebKitGTK, and the layer diagram's drawImage of this one read it back from the GPU.
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return;
  const img = ctx.createImageData(side, side);
  const { bg, ink } = inkColours(theme);
  for (let i = 0; i < side * side; i++) {
    const t = pixels ? Math.max(0, Math.min(1, pixels[i])) : 0;
    img.data[i * 4] = bg[0] + (ink[0] - bg[0]) * t;
    img.data[i * 4 + 1] = bg[1] + (ink[1] - bg[1]) * t;
    img.data[i * 4 + 2] = bg[2] + (ink[2] - bg[2]) * t;
    img.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}
