/**
 * The browser tests' `test`: Playwright's, plus a guard that fails a test on any Content-Security-Policy
 * violation (the built site ships a strict CSP, see vite.config.ts). Import `test` and `expect` from here.
 *
 * What it watches, in every browser context the test opens (its `page`, and pages it makes itself with
 * `browser.newPage()`):
 * - console messages from pages and their workers that report a CSP refusal (Chromium logs
 *   "Refused to … because it violates the following Content Security Policy directive …");
 * - `securitypolicyviolation` events in each page, turned into such a console message by an init script
 *   (init scripts run through the DevTools protocol, outside the page's CSP).
 *
 * And what keeps a test's outcome independent of this machine's speed and load: every page of the test's
 * context, and of those it makes itself, trains at a fixed engine speed (`engineSpeed`, engineSpeed.ts), and
 * E2E_CPU_THROTTLE=4 throttles the pages' CPU to show a test that depends on speed anyway (cpuThrottle.ts).
 */
import { test as base, expect, type BrowserContext, type ConsoleMessage, type Page } from '@playwright/test';
import { cpuThrottleRate, throttleContext, throttlePage } from './cpuThrottle';
import { DEFAULT_TEST_ENGINE_SPEED, fixEngineSpeed } from './engineSpeed';

export { expect };

const CSP_MESSAGE = /Content[- ]Security[- ]Policy|Refused to (load|execute|apply|connect|create|frame)/i;
const VIOLATION_PREFIX = 'CSP violation:';

/** Runs in each page before its scripts. */
function reportViolations(prefix: string): void {
  document.addEventListener('securitypolicyviolation', (e) => {
    console.error(
      `${prefix} ${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`,
    );
  });
}

export interface CspGuard {
  /** Violations seen so far in this test. */
  violations: string[];
  /** Expect violations in this test (the guard's own self-check): the test does not fail for them. */
  allow(): void;
}

/** The running test's list: pages opened in a `beforeAll` report into whichever test is running. */
let current: string[] | null = null;
const watched = new WeakSet<BrowserContext>();

const onConsole = (where: () => string) => (m: ConsoleMessage) => {
  const text = m.text();
  if (current && (text.startsWith(VIOLATION_PREFIX) || CSP_MESSAGE.test(text)))
    current.push(`${where()}: ${text}`);
};

function watchPage(page: Page): void {
  page.on(
    'console',
    onConsole(() => page.url()),
  );
  page.on('worker', (w) =>
    w.on(
      'console',
      onConsole(() => `worker ${w.url()}`),
    ),
  );
}

async function watchContext(ctx: BrowserContext): Promise<void> {
  if (watched.has(ctx)) return;
  watched.add(ctx);
  ctx.on('page', watchPage);
  for (const p of ctx.pages()) watchPage(p);
  await ctx.addInitScript(reportViolations, VIOLATION_PREFIX);
}

const onContext = (ctx: BrowserContext) => void watchContext(ctx);

export const test = base.extend<{
  cspGuard: CspGuard;
  cpuThrottle: number | null;
  engineSpeed: number | null;
  fixedEngineSpeed: void;
}>({
  // The engine speed every page of the test's context is given (engineSpeed.ts): cost verdicts that do not
  // depend on this machine. `test.use({ engineSpeed: null })`: the worker's own calibration.
  engineSpeed: [DEFAULT_TEST_ENGINE_SPEED, { option: true }],
  fixedEngineSpeed: [
    async ({ browser, context, engineSpeed }, provide) => {
      if (engineSpeed === null) {
        await provide();
        return;
      }
      await fixEngineSpeed(context, engineSpeed);
      // Contexts the test makes itself (browser.newPage()): the init script is sent before their first page.
      const onNew = (ctx: BrowserContext) => void fixEngineSpeed(ctx, engineSpeed);
      browser.on('context', onNew);
      await provide();
      browser.off('context', onNew);
    },
    { auto: true },
  ],
  // E2E_CPU_THROTTLE=4: every page of the test on a CPU 4× slower (cpuThrottle.ts); unset, nothing.
  cpuThrottle: [
    async ({ context }, use) => {
      const rate = cpuThrottleRate();
      if (rate !== null) await throttleContext(context, rate);
      await use(rate);
    },
    { auto: true },
  ],
  // The test's own page is throttled before the test uses it (the context's listener covers later ones).
  page: async ({ page, cpuThrottle }, provide) => {
    if (cpuThrottle !== null) await throttlePage(page, cpuThrottle);
    await provide(page);
  },
  cspGuard: [
    async ({ browser, context }, use) => {
      const violations: string[] = [];
      let allowed = false;
      current = violations;
      for (const ctx of [context, ...browser.contexts()]) await watchContext(ctx);
      browser.on('context', onContext);
      await use({
        violations,
        allow: () => {
          allowed = true;
        },
      });
      browser.off('context', onContext);
      current = null;
      if (!allowed) expect(violations, 'Content-Security-Policy violations').toEqual([]);
    },
    { auto: true },
  ],
});
