/**
 * Firefox for the smoke test: Debian's firefox-esr, driven by puppeteer-core over WebDriver BiDi, headless.
 * (Playwright's Firefox is its own patched build, which cannot be downloaded on these machines.)
 */
import { existsSync } from 'node:fs';
import puppeteer from 'puppeteer-core';
import { collectErrorsScript, within, type EngineDriver, type Found } from './driver';

const CANDIDATES = ['/usr/bin/firefox-esr', '/usr/bin/firefox'];

/** $FIREFOX_PATH, else Debian's firefox-esr (what .ci/run installs), else a `firefox` there. */
export function findFirefox(env: NodeJS.ProcessEnv = process.env): Found & { path?: string } {
  const install =
    'Debian/Ubuntu: sudo apt-get install firefox-esr   (or point FIREFOX_PATH at a Firefox binary)';
  const fromEnv = env.FIREFOX_PATH;
  if (fromEnv) {
    return existsSync(fromEnv)
      ? { found: true, what: fromEnv, path: fromEnv }
      : { found: false, missing: `FIREFOX_PATH=${fromEnv} does not exist`, install };
  }
  const path = CANDIDATES.find((p) => existsSync(p));
  return path
    ? { found: true, what: path, path }
    : { found: false, missing: `no Firefox at ${CANDIDATES.join(' or ')}`, install };
}

export async function launchFirefox(executablePath: string): Promise<EngineDriver> {
  const browser = await within(
    60_000,
    'starting Firefox',
    puppeteer.launch({
      browser: 'firefox',
      executablePath,
      headless: true,
      defaultViewport: { width: 1280, height: 800 },
      // A closed network: nothing to fetch at startup.
      extraPrefsFirefox: {
        'app.update.enabled': false,
        'browser.shell.checkDefaultBrowser': false,
        'network.captive-portal-service.enabled': false,
        'network.connectivity-service.enabled': false,
      },
    }),
  );
  const page = (await browser.pages())[0] ?? (await browser.newPage());
  // defaultViewport reaches new pages only; the first one keeps the headless window's 1366×682.
  await page.setViewport({ width: 1280, height: 800 });
  // Before the page's own scripts (a BiDi preload script; outside the page's CSP).
  await page.evaluateOnNewDocument(collectErrorsScript());
  return {
    version: (await browser.version()).replace('/', ' '),
    async goto(url) {
      await within(60_000, `loading ${url}`, page.goto(url, { waitUntil: 'load' }));
    },
    evaluate: (expression) => within(150_000, 'a script in the page', page.evaluate(expression)),
    async drag(points) {
      const [first, ...rest] = points;
      if (!first) return;
      await page.mouse.move(...first);
      await page.mouse.down();
      for (const p of rest) await page.mouse.move(...p);
      await page.mouse.up();
    },
    async screenshot(file) {
      await page.screenshot({ path: file as `${string}.png` });
    },
    async close() {
      await within(30_000, 'closing Firefox', browser.close()).catch(() =>
        browser.process()?.kill('SIGKILL'),
      );
    },
  };
}
