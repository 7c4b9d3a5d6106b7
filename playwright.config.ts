import { existsSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

import { chromiumLaunchOptions } from './test/e2e/chromium';

/**
 * Browser tests: Debian's (or another found) Chromium against the BUILT site served by `vite preview`
 * on 127.0.0.1 — the same static files a user deploys. `npm test` builds first; run
 * `npm run build && npm run test:e2e` by hand.
 */
// E2E_PORT: run a second copy of the suite (another checkout) while 4173 is taken.
const PORT = Number(process.env.E2E_PORT ?? 4173);
const BASE_URL = `http://127.0.0.1:${PORT}/`;
/**
 * The same site without the COOP/COEP headers (a static host that cannot set them): workers.spec.ts checks
 * that the app falls back to one worker there and says so. Read by the spec from E2E_NOT_ISOLATED_URL.
 */
const NOT_ISOLATED_PORT = PORT + 1;
process.env.E2E_NOT_ISOLATED_URL = `http://127.0.0.1:${NOT_ISOLATED_PORT}/`;

if (!existsSync(path.join(import.meta.dirname, 'dist', 'index.html'))) {
  throw new Error('dist/ is missing: run `npm run build` before the browser tests (`npm test` does both).');
}
/**
 * E2E_MEASURE=1 (`npm run measure:my-digits`): the measurements in test/e2e/measure/ — minutes of drawing
 * and training, so never part of `npm test`; their own output folder, so a run keeps the JSON of another.
 */
const MEASURE = process.env.E2E_MEASURE === '1';

export default defineConfig({
  testDir: 'test/e2e',
  testIgnore: MEASURE ? [] : ['measure/**'],
  outputDir: MEASURE ? 'test-results/measure' : 'test-results',
  // Two shared cores: one browser at a time keeps timings honest and the machine responsive.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? 'line' : 'list',
  use: {
    baseURL: BASE_URL,
    browserName: 'chromium',
    // Throws, with how to get a browser, when none is found: never a silent skip.
    launchOptions: chromiumLaunchOptions(),
    viewport: { width: 1280, height: 720 },
    // No service worker (src/sw/sw.ts) but in offline.spec.ts, which turns it on: the other tests check the
    // network path (damaged copies of the data, requests seen by page.route — a request the worker answers
    // from its cache never reaches the network, nor page.route), and each test's fresh profile would
    // install the worker and copy MNIST (11 MB) into its cache again, on two shared cores.
    serviceWorkers: 'block',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  webServer: [
    {
      command: `node_modules/.bin/vite preview --port ${PORT} --strictPort --host 127.0.0.1`,
      url: BASE_URL,
      reuseExistingServer: !process.env.CI,
      timeout: 30_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: `node_modules/.bin/vite preview --port ${NOT_ISOLATED_PORT} --strictPort --host 127.0.0.1`,
      env: { BACKPROP_NOT_ISOLATED: '1' },
      url: process.env.E2E_NOT_ISOLATED_URL,
      reuseExistingServer: !process.env.CI,
      timeout: 30_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
