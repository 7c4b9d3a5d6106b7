/**
 * The page's colours for canvases. CSS owns the palette (custom properties in src/styles/app.css, switched
 * by prefers-color-scheme); canvases read it here so they follow the theme without a second source of truth.
 */
import { useSyncExternalStore } from 'react';

export interface ThemeColors {
  dark: boolean;
  bg: string;
  panel: string;
  fg: string;
  muted: string;
  grid: string;
  border: string;
  accent: string;
  /** Series colours (Okabe–Ito, colour-blind safe). */
  loss: string;
  testLoss: string;
  testAccuracy: string;
  validation: string;
  /** The test half of my digits. */
  myDigits: string;
  font: string;
}

const FALLBACK: ThemeColors = {
  dark: false,
  bg: '#f6f6f4',
  panel: '#ffffff',
  fg: '#1c1c1e',
  muted: '#6b6b70',
  grid: '#ececef',
  border: '#dedee3',
  accent: '#0072b2',
  loss: '#0072b2',
  testLoss: '#d55e00',
  testAccuracy: '#009e73',
  validation: '#cc79a7',
  myDigits: '#b87f00',
  font: 'system-ui, sans-serif',
};

let cached: ThemeColors | null = null;
const listeners = new Set<() => void>();
let media: MediaQueryList | null = null;

function read(): ThemeColors {
  if (typeof document === 'undefined' || typeof getComputedStyle === 'undefined') return FALLBACK;
  const cs = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => cs.getPropertyValue(name).trim() || fallback;
  const dark = typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
  return {
    dark,
    bg: v('--bg', FALLBACK.bg),
    panel: v('--panel', FALLBACK.panel),
    fg: v('--fg', FALLBACK.fg),
    muted: v('--muted', FALLBACK.muted),
    grid: v('--grid', FALLBACK.grid),
    border: v('--border', FALLBACK.border),
    accent: v('--accent', FALLBACK.accent),
    loss: v('--series-loss', FALLBACK.loss),
    testLoss: v('--series-test-loss', FALLBACK.testLoss),
    testAccuracy: v('--series-test-accuracy', FALLBACK.testAccuracy),
    validation: v('--series-validation', FALLBACK.validation),
    myDigits: v('--series-my-digits', FALLBACK.myDigits),
    font: cs.fontFamily || FALLBACK.font,
  };
}

/** The current colours (cached; re-read when the OS theme flips). */
export function getTheme(): ThemeColors {
  if (!cached) cached = read();
  return cached;
}

/** Calls `cb` after the OS switches light/dark. @returns unsubscribe. */
export function subscribeTheme(cb: () => void): () => void {
  if (!media && typeof matchMedia === 'function') {
    media = matchMedia('(prefers-color-scheme: dark)');
    media.addEventListener('change', () => {
      cached = null;
      for (const l of listeners) l();
    });
  }
  listeners.add(cb);
  return () => listeners.delete(cb);
}

/** The theme colours as React state (re-renders on an OS light/dark switch), for legends in the DOM. */
export function useThemeColors(): ThemeColors {
  return useSyncExternalStore(subscribeTheme, getTheme, () => FALLBACK);
}
