/**
 * The service worker: the app keeps working with the network gone after the first visit.
 *
 * Built by scripts/serviceWorkerPlugin.ts into `sw.js` at the site's base (one classic script, no
 * imports), with this build's precache list baked in as `__PRECACHE__`. Registered by
 * src/app/serviceWorker.ts.
 *
 *   install   the shell (every built file) into `backprop-lab-shell-<build>`; the default dataset's
 *             manifest + 4 files into `backprop-lab-data-mnist-<manifest hash>` (best effort: a host
 *             without data still gets an offline shell). It then waits while an older build controls a
 *             page, until that page says SKIP_WAITING (src/app/serviceWorker.ts decides when).
 *   activate  deletes every other `backprop-lab-*` cache (older builds, older data); claims the pages.
 *   fetch     the shell and the data from the cache (a dataset not cached yet: from the network, then
 *             cached — the other dataset when it is first opened); everything else is not answered,
 *             so the browser fetches it as without a service worker (and page.route still sees it).
 *
 * Responses from the cache carry COOP/COEP/CORP (withIsolationHeaders), so an offline reload is still
 * cross-origin isolated and trains on every worker. The loader's checks (sizes, gzip magic, SHA-256
 * against the manifest) run on cached files as on downloaded ones: this file never answers with
 * anything but the bytes it stored, and stores only a manifest whose hash is the build's and files of
 * a size that manifest allows.
 */
import {
  SKIP_WAITING,
  acceptableDataLength,
  dataCacheName,
  dataUrls,
  routeRequest,
  shellCacheName,
  staleCaches,
  withIsolationHeaders,
  type Precache,
  type Route,
} from './precache';

declare const self: ServiceWorkerGlobalScope;
declare const __PRECACHE__: Precache;

const PRECACHE = __PRECACHE__;
const SHELL_CACHE = shellCacheName(PRECACHE);

self.addEventListener('install', (event) => {
  event.waitUntil(install());
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const stale = staleCaches(await caches.keys(), PRECACHE);
      await Promise.all(stale.map((name) => caches.delete(name)));
    })(),
  );
  // The first visit's page (and its workers) are controlled from now on, so a dataset it opens later is
  // cached too. Not part of the activation: in Firefox ESR 153 (cross-origin isolated page, the engines
  // smoke) the worker was still 'activating' 14 s after load in 2 runs of 5 with the claim awaited there,
  // and every fetch of a client it already controlled — a new landscape thread's script — waited ~53 s
  // for it; with the claim outside, 6 runs of 6 were clean. Likely cause: claim() settles once every
  // client has taken it, and a compute worker blocked in Atomics.wait between steps cannot.
  void self.clients.claim();
});

self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === SKIP_WAITING) void self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const route = routeRequest(request.url, request.mode, self.registration.scope, PRECACHE);
  if (route === null) return;
  event.respondWith(answer(route, request, event));
});

async function install(): Promise<void> {
  const shell = await caches.open(SHELL_CACHE);
  // 'no-cache': revalidate with the host rather than trust the HTTP cache's copy of index.html.
  await shell.addAll(
    PRECACHE.shell.map((p) => new Request(new URL(p, self.registration.scope), { cache: 'no-cache' })),
  );
  for (const dataset of PRECACHE.installDatasets) {
    try {
      await cacheDataset(dataset);
    } catch (error) {
      // The page's own loader reports what is wrong with the data; offline, that dataset is not there.
      console.warn(`Backprop Lab offline copy: ${dataset} not cached (${String(error)})`);
    }
  }
}

/** Caches a dataset's manifest and files (those not cached yet). On the first visit these revalidate
 *  against what the page's worker just downloaded (304s: the page registers this worker after its data
 *  has loaded), so the data crosses the network once. */
async function cacheDataset(dataset: string): Promise<void> {
  const d = PRECACHE.datasets[dataset];
  const cache = await caches.open(dataCacheName(dataset, d));
  for (const url of dataUrls(dataset, d, self.registration.scope)) {
    if ((await cache.match(url)) !== undefined) continue;
    const route = routeRequest(url, 'cors', self.registration.scope, PRECACHE);
    if (route === null || route.kind !== 'data') throw new Error(`${url} is not a data file of ${dataset}`);
    const response = await fetch(url, { cache: 'no-cache' });
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    if (!(await store(cache, route, response))) throw new Error(`${url} is not the build's file`);
  }
}

async function answer(route: Route, request: Request, event: FetchEvent): Promise<Response> {
  const cache = await caches.open(route.cache);
  const hit = await cache.match(route.key);
  if (hit !== undefined) return fromCache(hit);
  // Not cached (a dataset opened for the first time, or a cache the browser evicted): the network's
  // answer goes to the page as it is; a data file is also stored, once it has arrived whole and checked.
  const response = await fetch(request);
  if (route.kind === 'data' && response.ok) event.waitUntil(store(cache, route, response.clone()));
  return response;
}

/**
 * Stores a data response if it is what the build's manifest describes: the manifest by its SHA-256, a
 * file by its size (the loader checks its hash whenever it is read). Resolves to whether it was kept.
 */
async function store(
  cache: Cache,
  route: Extract<Route, { kind: 'data' }>,
  response: Response,
): Promise<boolean> {
  const file = route.file;
  if (file.manifest) {
    const bytes = await response.arrayBuffer();
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    const hex = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
    if (hex !== file.sha256) return false;
    await cache.put(route.key, new Response(bytes, { status: 200, headers: response.headers }));
    return true;
  }
  // Streamed into the cache (no 47 MB copy in memory), then measured; a wrong size is taken out again.
  try {
    await cache.put(route.key, response);
  } catch {
    return false; // the body broke off (network, abort): nothing is kept
  }
  const stored = await cache.match(route.key);
  const length = stored === undefined ? -1 : (await stored.blob()).size;
  if (acceptableDataLength(file, length)) return true;
  await cache.delete(route.key);
  return false;
}

/** A cached response with the isolation headers (and no stale Content-Encoding/Length). */
function fromCache(cached: Response): Response {
  return new Response(cached.body, {
    status: cached.status,
    statusText: cached.statusText,
    headers: withIsolationHeaders(cached.headers),
  });
}
