/**
 * Axis ticks that are never drawn wrong, for any value a chart may meet (a diverged loss of 1e32 included):
 * which ticks to show for the pixels available, their labels in a compact format, and the margin the
 * labels need. Pure — text widths come from an injected `measure` (a canvas's `ctx.measureText(t).width`
 * in the app, a fixed width per character in the tests).
 *
 * The rules:
 * - a label is short at every magnitude: 0.001, 0.25, 2500, 20k, 200M, 3.5B, 1.2e21, 1e32, 2e-7;
 * - neighbouring labels never touch: on a vertical axis their centres are ≥ `lineHeight` apart (a 11 px
 *   font: 14 px), on a horizontal axis their boxes are ≥ `gap` apart;
 * - a log axis shows 1-2-5 per decade when there is room, else whole decades, else every k-th decade;
 * - the margin beside a vertical axis is the widest label plus padding, so no label is cut.
 */
import { scaleLinear } from 'd3-scale';

/** Width in CSS pixels of `text` as it will be drawn. */
export type Measure = (text: string) => number;

export interface AxisTick {
  value: number;
  label: string;
  /** Pixel position along the axis. */
  pos: number;
}

export interface AxisTickOptions {
  /** Data extent [start, end]; for a log axis both > 0. */
  domain: readonly [number, number];
  /** Pixel positions of domain[0] and domain[1] (a vertical axis usually runs bottom → top). */
  range: readonly [number, number];
  /** 'y': labels stacked (spacing by line height); 'x': side by side (spacing by their widths). */
  axis: 'x' | 'y';
  log?: boolean;
  measure: Measure;
  /** Labels' text; default {@link formatTicks}. */
  format?: (values: readonly number[]) => string[];
  /** Minimum distance between the centres of two labels on a vertical axis. Default 14. */
  lineHeight?: number;
  /** Minimum empty space between two labels on a horizontal axis. Default 10. */
  gap?: number;
  /**
   * The distance between ticks to aim for (fewer, calmer labels than the minimum spacing allows);
   * default 36 px on a vertical axis, 80 px on a horizontal one.
   */
  targetSpacing?: number;
  /**
   * Horizontal axis: the pixel interval the labels' boxes must stay inside (e.g. the canvas, minus an
   * axis title); a tick whose label would stick out is dropped. Default: no limit.
   */
  bounds?: readonly [number, number];
}

/** Exponent notation without "+" and trailing zeros: 1.20e+21 → "1.2e21", 2e-7 → "2e-7". */
function exponent(v: number, digits: number): string {
  const [m, e] = v.toExponential(digits - 1).split('e');
  return `${String(+m)}e${Number(e)}`;
}

const SUFFIXES: readonly [number, string][] = [
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/**
 * One value, compactly, with at most `digits` significant digits:
 * 0 → "0", 0.001 → "0.001", 0.25 → "0.25", 2500 → "2500", 20000 → "20k", 2e8 → "200M", 3.5e9 → "3.5B",
 * 1.2e21 → "1.2e21", 1e32 → "1e32", 0.00002 → "2e-5", −0.5 → "−0.5" (a real minus sign).
 */
export function formatTick(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const sign = v < 0 ? '\u2212' : '';
  const a = Math.abs(v);
  let s: string;
  if (a >= 1e15 || a < 1e-3) s = exponent(a, digits);
  else if (a >= 1e4) {
    const [div, suffix] = SUFFIXES.find(([d]) => a >= d) ?? [1, ''];
    const m = +(a / div).toPrecision(digits);
    // 999,999 rounds to "1000k": say "1M" instead.
    s = m >= 1000 && suffix !== 'T' ? formatTick(m * div, digits) : `${String(m)}${suffix}`;
  } else s = String(+a.toPrecision(digits));
  return sign + s;
}

/**
 * Labels for a list of ticks: the fewest significant digits (3 at least, up to 15) that keep
 * neighbouring labels different, so 1,000,000 and 1,000,500 do not both read "1M".
 */
export function formatTicks(values: readonly number[]): string[] {
  for (let digits = 3; ; digits++) {
    const labels = values.map((v) => formatTick(v, digits));
    if (digits >= 15 || labels.every((l, i) => i === 0 || l !== labels[i - 1])) return labels;
  }
}

/** The margin a vertical axis's labels need: the widest label plus `pad`, rounded up to whole pixels. */
export function labelMargin(labels: readonly string[], measure: Measure, pad = 8, min = 0): number {
  let w = 0;
  for (const l of labels) w = Math.max(w, measure(l));
  return Math.max(min, Math.ceil(w + pad));
}

/** Maps a value to its pixel position on the axis described by `o`. */
export function axisPosition(o: Pick<AxisTickOptions, 'domain' | 'range' | 'log'>): (v: number) => number {
  const [d0, d1] = o.domain;
  const [r0, r1] = o.range;
  if (o.log) {
    const l0 = Math.log10(d0);
    const span = Math.log10(d1) - l0 || 1;
    return (v) => r0 + ((Math.log10(v) - l0) / span) * (r1 - r0);
  }
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/** Log-axis candidates: 1-2-5 per decade, or 1 per decade, or every k-th decade (k ≥ 2). */
function logCandidates(lo: number, hi: number, pxPerDecade: number, minSpacing: number): number[] {
  const e0 = Math.floor(Math.log10(lo));
  const e1 = Math.ceil(Math.log10(hi));
  // The closest pair among 1-2-5 is 0.30 decades apart (1→2 and 5→10).
  const mantissas = pxPerDecade * Math.log10(2) >= minSpacing ? [1, 2, 5] : [1];
  const k = Math.max(1, Math.ceil(minSpacing / pxPerDecade));
  const out: number[] = [];
  for (let e = e0; e <= e1; e++) {
    if (k > 1 && e % k !== 0) continue;
    for (const m of mantissas) {
      // 10 ** e is inexact for negative e (10 ** -3 = 0.0010000000000000002): round to 15 digits.
      const v = +(m * 10 ** e).toPrecision(15);
      if (v >= lo * (1 - 1e-12) && v <= hi * (1 + 1e-12)) out.push(v);
    }
  }
  return out;
}

function linearCandidates(d0: number, d1: number, count: number): number[] {
  return scaleLinear().domain([d0, d1]).ticks(count);
}

/** Do neighbouring labels keep their distance? */
function spaced(ticks: readonly AxisTick[], o: AxisTickOptions): boolean {
  const lineHeight = o.lineHeight ?? 14;
  const gap = o.gap ?? 10;
  for (let i = 1; i < ticks.length; i++) {
    const d = Math.abs(ticks[i].pos - ticks[i - 1].pos);
    const need =
      o.axis === 'y' ? lineHeight : (o.measure(ticks[i].label) + o.measure(ticks[i - 1].label)) / 2 + gap;
    if (d < need - 1e-9) return false;
  }
  return true;
}

function build(values: number[], o: AxisTickOptions, at: (v: number) => number): AxisTick[] {
  const labels = (o.format ?? formatTicks)(values);
  let ticks = values.map((value, i) => ({ value, label: labels[i], pos: at(value) }));
  if (o.axis === 'x' && o.bounds) {
    const [b0, b1] = o.bounds;
    ticks = ticks.filter((t) => {
      const half = o.measure(t.label) / 2;
      return t.pos - half >= b0 - 1e-9 && t.pos + half <= b1 + 1e-9;
    });
  }
  return ticks;
}

/**
 * The ticks of one axis: as many as fit, never closer than the minimum spacing, labelled compactly.
 * Empty for an empty or invalid domain.
 */
export function axisTicks(o: AxisTickOptions): AxisTick[] {
  const [d0, d1] = o.domain;
  const length = Math.abs(o.range[1] - o.range[0]);
  if (!Number.isFinite(d0) || !Number.isFinite(d1) || !(length > 0)) return [];
  const at = axisPosition(o);
  const lo = Math.min(d0, d1);
  const hi = Math.max(d0, d1);
  const minSpacing = o.axis === 'y' ? (o.lineHeight ?? 14) : (o.gap ?? 10) + 2 * o.measure('0');

  const target = Math.max(minSpacing, o.targetSpacing ?? (o.axis === 'y' ? 36 : 80));

  if (o.log) {
    if (!(lo > 0) || !(hi > lo)) return [];
    // Decades are regular: half the target spacing reads calmly and keeps many decades labelled.
    const logSpacing = Math.max(minSpacing, target / 2);
    const decades = Math.log10(hi) - Math.log10(lo);
    let pxPerDecade = length / decades;
    // Widen the step until the labels (whose widths the first try reveals) keep their distance.
    for (let tries = 0; tries < 64; tries++) {
      const values = logCandidates(lo, hi, pxPerDecade, logSpacing);
      if (values.length < 2 && decades < 1) break; // inside one decade: linear ticks below
      const ticks = build(values, o, at);
      if (spaced(ticks, o)) return ticks;
      pxPerDecade /= 1.5;
    }
  }

  // Linear (or a log axis spanning less than a decade): d3's nice steps, fewer until they fit.
  for (let count = Math.max(1, Math.floor(length / target)); count >= 1; count--) {
    const ticks = build(linearCandidates(lo, hi, count), o, at);
    if (spaced(ticks, o)) return ticks;
  }
  return build([lo], o, at).slice(0, 1);
}
