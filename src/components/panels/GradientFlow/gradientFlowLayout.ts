/**
 * Pure helpers of the gradient-flow chart (no canvas), unit-tested: the log-axis domain over every
 * layer's positive values, the depth colours and the tick labels.
 */
import { interpolateViridis } from 'd3-scale-chromatic';

/**
 * [lo, hi] spanning every positive, finite value of `series` (zeros — a layer before its first update —
 * have no place on a log axis and are skipped), widened to whole powers of ten so the ticks are round;
 * null when there is no positive value.
 */
export function logDomain(series: readonly (readonly number[])[]): [number, number] | null {
  let lo = Infinity;
  let hi = 0;
  for (const s of series) {
    for (const v of s) {
      if (v > 0 && Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  if (!(hi > 0)) return null;
  const e0 = Math.floor(Math.log10(lo));
  let e1 = Math.ceil(Math.log10(hi));
  if (e1 <= e0) e1 = e0 + 1;
  return [10 ** e0, 10 ** e1];
}

/** Powers of ten in [lo, hi], thinned to at most `maxTicks` (every 2nd, 3rd … exponent). */
export function decadeTicks(lo: number, hi: number, maxTicks: number): number[] {
  const e0 = Math.round(Math.log10(lo));
  const e1 = Math.round(Math.log10(hi));
  const every = Math.max(1, Math.ceil((e1 - e0 + 1) / Math.max(1, maxTicks)));
  const out: number[] = [];
  for (let e = e0; e <= e1; e++) if ((e - e0) % every === 0) out.push(10 ** e);
  return out;
}

/** 1e-3 → "1e-3", 1 → "1", 100 → "100", 1e5 → "1e5": short and never cut. */
export function formatDecade(v: number): string {
  const e = Math.round(Math.log10(v));
  if (e >= 0 && e <= 3) return String(10 ** e);
  if (e === -1) return '0.1';
  if (e === -2) return '0.01';
  return `1e${e}`;
}

/**
 * Colour of weight layer `l` of `count`: first layer darkest, last lightest (viridis from deep blue to
 * yellow). On a dark page the darkest end is skipped so every line stays visible.
 */
export function depthColor(l: number, count: number, dark: boolean): string {
  const t = count <= 1 ? 0.5 : l / (count - 1);
  const lo = dark ? 0.3 : 0.0;
  const hi = dark ? 0.95 : 0.85;
  return interpolateViridis(lo + (hi - lo) * t);
}

/** "W1 784→256", "W3 128→10 (output)": a weight layer's name in the legend and the read-out. */
export function layerName(l: number, sizes: readonly number[]): string {
  const out = l === sizes.length - 2 ? ' (output)' : '';
  return `W${l + 1} ${sizes[l]}→${sizes[l + 1]}${out}`;
}
