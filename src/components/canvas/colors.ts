/**
 * Colour scales shared by every visual, as 256-entry lookup tables so painting thousands of pixels per frame
 * costs an array read each.
 *
 * - Signed values (weights): a diverging scale symmetric around 0, blue (negative) ↔ neutral ↔ red
 *   (positive). Light theme: d3's ColorBrewer RdBu reversed (colour-blind safe, white middle). Dark theme:
 *   the same end hues through the panel colour, so "zero" reads as "nothing" on a dark page too.
 * - Magnitudes (activations, probabilities): viridis, perceptually uniform and colour-blind safe.
 */
import { scaleLinear } from 'd3-scale';
import { interpolateRdBu, interpolateViridis } from 'd3-scale-chromatic';
import type { ThemeColors } from './theme';

export type Rgb = [number, number, number];

/** A lookup table: 256 colours, packed as [r, g, b] triplets (Uint8). */
export interface Lut {
  rgb: Uint8Array;
  css: string[];
}

/** Parses the colour strings d3 produces ("rgb(r, g, b)") and hex ("#rrggbb", "#rgb"). */
export function toRgb(c: string): Rgb {
  const s = c.trim();
  const m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(s);
  if (m) return [Math.round(+m[1]), Math.round(+m[2]), Math.round(+m[3])];
  if (s[0] === '#') {
    const h = s.length === 4 ? s.replace(/#(.)(.)(.)/, '#$1$1$2$2$3$3') : s;
    const n = parseInt(h.slice(1, 7), 16);
    if (Number.isFinite(n)) return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  return [0, 0, 0];
}

function buildLut(f: (t: number) => string): Lut {
  const rgb = new Uint8Array(256 * 3);
  const css: string[] = [];
  for (let i = 0; i < 256; i++) {
    const c = f(i / 255);
    const [r, g, b] = toRgb(c);
    rgb[i * 3] = r;
    rgb[i * 3 + 1] = g;
    rgb[i * 3 + 2] = b;
    css.push(`rgb(${r},${g},${b})`);
  }
  return { rgb, css };
}

const luts = new Map<string, Lut>();

/** Diverging LUT: index 0 = most negative, 128 ≈ zero, 255 = most positive. */
export function divergingLut(theme: ThemeColors): Lut {
  const key = `div:${theme.dark}:${theme.panel}`;
  let lut = luts.get(key);
  if (!lut) {
    if (theme.dark) {
      const s = scaleLinear<string>().domain([0, 0.5, 1]).range(['#4a9fe0', theme.panel, '#f0714f']);
      lut = buildLut((t) => s(t));
    } else {
      lut = buildLut((t) => interpolateRdBu(1 - t));
    }
    luts.set(key, lut);
  }
  return lut;
}

/** Sequential LUT (viridis): index 0 = none, 255 = most. */
export function sequentialLut(): Lut {
  let lut = luts.get('seq');
  if (!lut) {
    lut = buildLut(interpolateViridis);
    luts.set('seq', lut);
  }
  return lut;
}

/** v in [−1, 1] → LUT index (clamped). */
export function divergingIndex(v: number): number {
  const i = Math.round((v + 1) * 127.5);
  return i < 0 ? 0 : i > 255 ? 255 : i;
}

/** t in [0, 1] → LUT index (clamped; NaN → 0). */
export function sequentialIndex(t: number): number {
  const i = Math.round(t * 255);
  return i > 0 ? (i > 255 ? 255 : i) : 0;
}

/** A CSS linear-gradient of a LUT, for legends. */
export function lutGradient(lut: Lut, stops = 9): string {
  const parts: string[] = [];
  for (let i = 0; i < stops; i++) {
    const k = Math.round((i / (stops - 1)) * 255);
    parts.push(`${lut.css[k]} ${((i / (stops - 1)) * 100).toFixed(1)}%`);
  }
  return `linear-gradient(to right, ${parts.join(', ')})`;
}
