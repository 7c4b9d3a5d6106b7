/**
 * A slow machine on demand: `E2E_CPU_THROTTLE=4 npx playwright test …` runs every page of the browser
 * tests with Chromium's CPU throttled 4× (the DevTools protocol's Emulation.setCPUThrottlingRate, the
 * DevTools "CPU: 4× slowdown"), so a test that depends on this machine's speed shows itself. It slows each
 * page's main thread (the page's workers run at full speed). Unset or 1: no throttling.
 */
import type { BrowserContext, Page } from '@playwright/test';

/** The slowdown asked for by E2E_CPU_THROTTLE, or null. */
export function cpuThrottleRate(env: NodeJS.ProcessEnv = process.env): number | null {
  const raw = env.E2E_CPU_THROTTLE;
  if (raw === undefined || raw === '') return null;
  const rate = Number(raw);
  if (!Number.isFinite(rate) || rate < 1) {
    throw new Error(`E2E_CPU_THROTTLE must be a slowdown factor ≥ 1 (e.g. 4), got "${raw}"`);
  }
  return rate === 1 ? null : rate;
}

export async function throttlePage(page: Page, rate: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
}

/** Throttles every page of `context`, those opened later included. */
export async function throttleContext(context: BrowserContext, rate: number): Promise<void> {
  context.on('page', (p) => void throttlePage(p, rate).catch(() => {}));
  for (const p of context.pages()) await throttlePage(p, rate);
}
