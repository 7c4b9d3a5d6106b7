/**
 * Offline after the first visit (the service worker, src/sw/sw.ts), in Chromium against two builds of the
 * site served in turn by `vite preview` on one port of our own (E2E_PORT + 10):
 *
 *   build A (dist/)  first visit: the worker installs and caches the shell + MNIST; Fashion-MNIST is
 *                    cached when it is opened
 *   server stopped   + the browser offline: a reload loads from the cache, cross-origin isolated,
 *                    and trains an epoch on 2 workers (the loader's SHA-256 checks run on cached files)
 *   build B          a new build is found while that run goes on: "Reload to update" is offered, the
 *                    page is not swapped; accepted, build B loads, A's shell cache is gone, MNIST's kept
 *   build A again    with nothing trained in the page, the new build takes over by itself
 *
 * The rest of the suite runs with service workers blocked (playwright.config.ts says why).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const VITE = path.join(ROOT, 'node_modules', '.bin', 'vite');
const BUILD_A = path.join(ROOT, 'dist');
const BUILD_B = path.join(ROOT, 'test-results', 'offline-build-b');
const BUILD_B_ID = 'offline-test-b';
// Ports of our own: the suite's servers are on E2E_PORT and E2E_PORT + 1.
const PORT = Number(process.env.E2E_PORT ?? 4173) + 10;
const SITE = `http://127.0.0.1:${PORT}/`;
/** The suite's own server of dist/ (playwright.config.ts's webServer). */
const SITE_OF_SUITE = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 4173)}/`;
const LOAD_TIMEOUT = 45_000;

test.use({ serviceWorkers: 'allow' });
test.setTimeout(120_000);

/** The build id in a built index.html (vite.config.ts's build label). */
function buildIdOf(dir: string): string {
  const m = /<meta name="backprop-build" content="([^"]+)"/.exec(
    readFileSync(path.join(dir, 'index.html'), 'utf8'),
  );
  if (m === null) throw new Error(`${dir}/index.html has no backprop-build meta`);
  return m[1];
}

/** What the shell cache must hold: every built file but source maps, the datasets and sw.js itself. */
function shellFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const p = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) {
      if (p !== 'data' && p !== 'broken') out.push(...shellFiles(dir, p));
    } else if (!p.endsWith('.map') && p !== 'sw.js') out.push(p);
  }
  return out.sort();
}

/** Servers this file started and has not stopped: stopped in afterAll, whatever happened. */
const running = new Set<ChildProcess>();

/** Serves `dir` on PORT with vite preview (COOP/COEP from vite.config.ts); resolves to a stop function. */
async function serve(dir: string): Promise<() => Promise<void>> {
  // Nobody else may answer there (the test would read another server's site).
  await expect(fetch(SITE), `port ${PORT} must be free`).rejects.toThrow();
  const child = spawn(
    VITE,
    ['preview', '--outDir', dir, '--port', String(PORT), '--strictPort', '--host', '127.0.0.1'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  running.add(child);
  const exited = once(child, 'exit');
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(SITE)).ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || i > 150)
      throw new Error(`vite preview of ${dir} did not start on ${PORT}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return async () => {
    child.kill('SIGTERM');
    await exited;
    running.delete(child);
    await expect(fetch(SITE), 'the server is gone').rejects.toThrow();
  };
}

/** The app's caches: name → cached paths (relative to the site), sorted. */
const cachedPaths = (page: Page, site = SITE) =>
  page.evaluate(async (site) => {
    const out: Record<string, string[]> = {};
    for (const name of await caches.keys()) {
      const keys = await (await caches.open(name)).keys();
      out[name] = keys.map((r) => r.url.slice(site.length)).sort();
    }
    return out;
  }, site);

/** The page's build id, or null while it navigates (a reload into the new build). */
const pageBuildId = (page: Page) =>
  page
    .evaluate(() => document.querySelector('meta[name="backprop-build"]')?.getAttribute('content') ?? null)
    .catch(() => null);

async function ready(page: Page): Promise<void> {
  await expect(page.getByTestId('dataset-counts')).toHaveText('60,000 train · 10,000 test', {
    timeout: LOAD_TIMEOUT,
  });
}

const MNIST_FILES = [
  'data/mnist/manifest.json',
  'data/mnist/t10k-images-idx3-ubyte.gz',
  'data/mnist/t10k-labels-idx1-ubyte.gz',
  'data/mnist/train-images-idx3-ubyte.gz',
  'data/mnist/train-labels-idx1-ubyte.gz',
];
const FASHION_FILES = MNIST_FILES.map((f) => f.replace('/mnist/', '/fashion-mnist/'));

test.beforeAll(() => {
  test.setTimeout(90_000);
  // Build B: the same sources with another build id, so its index.html (and the precache version) differ.
  const build = spawnSync(VITE, ['build', '--outDir', BUILD_B, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: ROOT,
    env: { ...process.env, BACKPROP_BUILD_ID: BUILD_B_ID },
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`build B failed:\n${build.stderr}`);
});

test.afterAll(() => {
  for (const child of running) child.kill('SIGTERM');
  rmSync(BUILD_B, { recursive: true, force: true });
});

test('offline after the first visit: loads, stays isolated, trains on 2 workers; a new build waits for the run', async ({
  page,
  context,
}) => {
  const idA = buildIdOf(BUILD_A);
  expect(idA).not.toBe(BUILD_B_ID);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  let stop = await serve(BUILD_A);

  // ── First visit: the worker installs, caches the shell and MNIST, and takes control of the page.
  // A small network: the page refuses to build one whose batch this (shared, busy) machine would make
  // slower than 250 ms (the cost gate), and what this test checks does not depend on the network's size.
  await page.goto(`${SITE}?workers=2&train=2000&hidden=32-16&batch=32`);
  await ready(page);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await expect
    .poll(async () => {
      const caches = await cachedPaths(page);
      return Object.keys(caches).map((name) => [name.replace(/-[0-9a-f]{16}$/, '-*'), caches[name]]);
    })
    .toEqual([
      ['backprop-lab-shell-*', shellFiles(BUILD_A)],
      ['backprop-lab-data-mnist-*', MNIST_FILES],
    ]);
  const cachesA = Object.keys(await cachedPaths(page));

  // Fashion-MNIST is cached when first opened (the page and its worker are controlled by now).
  await page.getByTestId('dataset').selectOption('fashion-mnist');
  await ready(page);
  await expect
    .poll(async () => Object.entries(await cachedPaths(page)).find(([n]) => n.includes('fashion'))?.[1])
    .toEqual(FASHION_FILES);
  await page.getByTestId('dataset').selectOption('mnist');
  await ready(page);
  const usage = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
  test.info().annotations.push({ type: 'cache storage used', description: `${(usage / 1e6).toFixed(1)} MB` });
  console.log(
    `offline: storage used after caching the shell, MNIST and Fashion-MNIST: ${(usage / 1e6).toFixed(1)} MB`,
  );

  // ── The network gone: the server stopped and the browser offline.
  await stop();
  await context.setOffline(true);
  const offlineLoad = await page.reload();
  expect(offlineLoad?.fromServiceWorker(), 'the page came from the service worker').toBe(true);
  await ready(page);
  expect(await page.evaluate(() => crossOriginIsolated), 'isolated offline').toBe(true);
  expect(await pageBuildId(page)).toBe(idA);
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('workers-used')).toHaveAttribute('data-used', '2', { timeout: 15_000 });
  await expect(page.getByTestId('workers-note')).toHaveCount(0);
  // An epoch of 2,000 images (63 steps) ends and is evaluated on the cached test set.
  await expect(page.getByTestId('test-accuracy')).toHaveText(/^\d+(\.\d)?\s?%$/, { timeout: 30_000 });
  await expect(page.getByTestId('error')).toHaveCount(0);

  // ── Build B appears while the run goes on: offered, not swapped in.
  await context.setOffline(false);
  stop = await serve(BUILD_B);
  await page.evaluate(async () => {
    await (await navigator.serviceWorker.getRegistration())!.update();
  });
  const offer = page.getByTestId('update-ready');
  await expect(offer).toHaveText('Reload to update');
  await expect(page.getByTestId('train-toggle')).toHaveText('Pause');
  expect(await pageBuildId(page), 'still build A under the run').toBe(idA);
  await page.screenshot({ path: path.join(ROOT, 'test', 'e2e', 'artifacts', 'offline-update-ready.png') });
  await offer.click();
  await expect.poll(() => pageBuildId(page)).toBe(BUILD_B_ID);
  await ready(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  const cachesB = Object.keys(await cachedPaths(page));
  const shellA = cachesA.find((n) => n.includes('-shell-'))!;
  const shellB = cachesB.find((n) => n.includes('-shell-'))!;
  expect(shellB).not.toBe(shellA);
  expect(cachesB, "A's shell deleted; the data kept (same manifests)").toEqual(
    expect.arrayContaining([shellB, ...cachesA.filter((n) => n !== shellA)]),
  );
  expect(cachesB).not.toContain(shellA);
  await expect(page.getByTestId('update-ready')).toHaveCount(0);

  // ── Build A again, with nothing trained in this page: it takes over and reloads by itself.
  await stop();
  stop = await serve(BUILD_A);
  await page.evaluate(async () => {
    await (await navigator.serviceWorker.getRegistration())!.update();
  });
  await expect.poll(() => pageBuildId(page), { timeout: 20_000 }).toBe(idA);
  await ready(page);
  await stop();
  expect(pageErrors).toEqual([]);
});

test('a host without COOP/COEP: the first visit is not isolated, the next (from the cache) is', async ({
  page,
}) => {
  const notIsolated = process.env.E2E_NOT_ISOLATED_URL!;
  await page.goto(notIsolated);
  await ready(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  const again = await page.reload();
  expect(again?.fromServiceWorker()).toBe(true);
  expect(again?.headers()['cross-origin-embedder-policy']).toBe('require-corp');
  await ready(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect(page.getByTestId('workers-note')).toHaveCount(0);

  // Installable: Chromium parses the web app manifest without errors and finds nothing missing.
  const cdp = await page.context().newCDPSession(page);
  const manifest = (await cdp.send('Page.getAppManifest')) as { url: string; errors: unknown[] };
  expect(manifest.url).toBe(`${notIsolated}manifest.webmanifest`);
  expect(manifest.errors).toEqual([]);
  const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
    installabilityErrors: { errorId: string }[];
  };
  // 'in-incognito': Playwright's contexts are off-the-record profiles, which never install apps.
  expect(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito')).toEqual([]);
  const served = await page.request.get(manifest.url);
  expect(served.headers()['content-type']).toMatch(/^application\/manifest\+json/);
});

test('a cached file is checked like a downloaded one: a damaged copy is refused, and Retry fetches it afresh', async ({
  page,
}) => {
  await page.goto(`${SITE_OF_SUITE}?hidden=32-16&batch=32`);
  await ready(page);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  const LABELS = 'data/mnist/t10k-labels-idx1-ubyte.gz';
  await expect
    .poll(async () => Object.values(await cachedPaths(page, SITE_OF_SUITE)).flat())
    .toContain(LABELS);
  // One label changed to another digit in the cached copy: the same size, a valid IDX file, another hash.
  await page.evaluate(async (file) => {
    const name = (await caches.keys()).find((n) => n.startsWith('backprop-lab-data-mnist-'))!;
    const cache = await caches.open(name);
    const url = new URL(file, location.href).href;
    const cached = (await cache.match(url))!;
    const bytes = new Uint8Array(await cached.arrayBuffer());
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] + 1) % 10;
    await cache.put(url, new Response(bytes, { headers: cached.headers }));
  }, LABELS);
  await page.reload();
  const error = page.getByTestId('error');
  await expect(error).toContainText('t10k-labels-idx1-ubyte.gz is not the file manifest.json describes', {
    timeout: LOAD_TIMEOUT,
  });
  // The page dropped the refused copy: Retry downloads the files again, and they are cached again.
  await expect
    .poll(async () => Object.keys(await cachedPaths(page, SITE_OF_SUITE)))
    .not.toContainEqual(expect.stringMatching(/^backprop-lab-data-mnist-/));
  await page.getByTestId('retry').click();
  await ready(page);
  await expect(error).toHaveCount(0);
  await expect
    .poll(
      async () =>
        Object.entries(await cachedPaths(page, SITE_OF_SUITE)).find(([n]) => n.includes('mnist'))?.[1],
    )
    .toContain(LABELS);
});
