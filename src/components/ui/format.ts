/**
 * Number formatting for labels: short, stable widths (used with tabular figures so counters do not jitter).
 */

const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 12345 → "12,345". */
export function formatInt(n: number): string {
  return Number.isFinite(n) ? INT.format(Math.round(n)) : '–';
}

/** 0.9741 → "97.4%" (the format of `test-accuracy`). */
export function formatPercent(fraction: number, digits = 1): string {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(digits)}%` : '–';
}

/**
 * A learning rate the way people write it: 0.001 → "1e-3", 0.00032 → "3.2e-4", 0.05 → "5e-2", 0.3 → "0.3",
 * 100000 (a shared link demonstrating divergence) → "1e5".
 * Two significant digits at most: the slider moves in steps of 0.1 in log10.
 */
export function formatLr(lr: number): string {
  if (!(lr > 0) || !Number.isFinite(lr)) return String(lr);
  if (lr >= 0.1 && lr < 100) return String(+lr.toPrecision(2));
  let exp = Math.floor(Math.log10(lr));
  let mant = +(lr / 10 ** exp).toPrecision(2);
  if (mant >= 10) {
    mant /= 10;
    exp += 1;
  }
  return `${mant}e${exp}`;
}

/** Log10 slider position → a learning rate with two significant digits (10^-2.5 → 0.0032). */
export function lrFromLog(log10: number): number {
  return +(10 ** log10).toPrecision(2);
}

/** A loss or other small real number with 3 significant digits: 0.23456 → "0.235", 2.3026 → "2.30". */
export function formatValue(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(digits - 1);
  return v.toPrecision(digits);
}

/**
 * A magnitude for a table cell, short and exact enough: 0.034, 0.52, 52, 6,340, 4.1e5 (never "6.3e+3",
 * which toPrecision gives for numbers with more integer digits than the precision).
 */
export function formatMagnitude(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1).replace('e+', 'e');
  if (a >= 100) return Math.round(v).toLocaleString('en-US');
  return String(Number(v.toPrecision(2)));
}
