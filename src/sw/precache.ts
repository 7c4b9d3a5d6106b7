/**
 * The pure parts of the service worker (sw.ts), shared with the build plugin that writes its precache
 * list (scripts/serviceWorkerPlugin.ts), the page that registers it (src/app/serviceWorker.ts) and the
 * unit tests. No DOM, no service-worker globals: strings, numbers and `Headers` only.
 *
 *   build:  every emitted file + the public shell files ─► buildPrecache ─► Precache (baked into sw.js)
 *   SW:     request URL ─► routeRequest ─► shell cache │ a dataset's cache │ null (the browser fetches it)
 *           cached response ─► withIsolationHeaders ─► the page (COOP/COEP/CORP, so it stays isolated)
 *   activate: caches.keys() ─► staleCaches ─► deleted
 */

/** Every cache this app makes starts with this, so `staleCaches` never touches another app's caches. */
export const CACHE_PREFIX = 'backprop-lab-';

/** The page → service worker message that lets a waiting new build take over (the user accepted). */
export const SKIP_WAITING = 'skip-waiting';

/** One data file of a dataset, as its manifest.json describes it (sizes only: the loader checks hashes). */
export interface PrecacheDataFile {
  name: string;
  /** Size as stored (gzipped): what arrives when the host sends the `.gz` as plain bytes. */
  bytes: number;
  /** Size decompressed: what arrives when the host sends `Content-Encoding: gzip` (Vite does). */
  rawBytes: number;
}

export interface PrecacheDataset {
  /** SHA-256 of the dataset's manifest.json (hex): names its cache, and checks the manifest fetched. */
  manifestSha256: string;
  files: PrecacheDataFile[];
}

/** What the build bakes into sw.js (one per build; a new build's differs, so the browser updates). */
export interface Precache {
  /** Hash of every shell file's path and content: names the shell cache. */
  version: string;
  /** The app shell, paths relative to the site's base ('index.html', 'assets/index-….js', …), sorted. */
  shell: string[];
  /** Per dataset, under `data/<name>/`. */
  datasets: Record<string, PrecacheDataset>;
  /** Cached when the service worker installs (the default dataset); the others when first opened. */
  installDatasets: string[];
}

/** The manifest's own file name inside a dataset folder (src/data/manifest.ts's MANIFEST_FILE). */
const MANIFEST = 'manifest.json';

/** Hex digits of a hash kept in a cache name: 16 (64 bits) tell builds apart and keep names readable. */
const NAME_HASH_DIGITS = 16;

/**
 * The precache list of one build.
 * @param shell every file of the built site that the app needs, with a hash of its content (any stable hex)
 * @param datasets each dataset's manifest: its SHA-256 and the files it lists
 * @param hash SHA-256 hex of a string (injected: Node's crypto in the build, none needed here)
 * @throws when the shell has no index.html (nothing to answer a navigation with)
 */
export function buildPrecache(
  shell: readonly { path: string; sha256: string }[],
  datasets: Readonly<Record<string, PrecacheDataset>>,
  installDatasets: readonly string[],
  hash: (text: string) => string,
): Precache {
  const sorted = [...shell].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (!sorted.some((f) => f.path === 'index.html')) throw new Error('precache: the build has no index.html');
  for (const name of installDatasets) {
    if (!(name in datasets)) throw new Error(`precache: dataset "${name}" has no manifest to cache`);
  }
  // The version covers the shell only: a dataset's cache is named by its manifest's hash, so a new build
  // with the same data keeps the (large) cached data and replaces only the (small) shell.
  const version = hash(sorted.map((f) => `${f.path} ${f.sha256}`).join('\n')).slice(0, NAME_HASH_DIGITS);
  return {
    version,
    shell: sorted.map((f) => f.path),
    datasets: { ...datasets },
    installDatasets: [...installDatasets],
  };
}

/** The shell's cache: one per build. */
export function shellCacheName(p: Precache): string {
  return `${CACHE_PREFIX}shell-${p.version}`;
}

/** A dataset's cache: one per version of its data (its manifest), kept across builds that do not change it. */
export function dataCacheName(dataset: string, d: PrecacheDataset): string {
  return `${CACHE_PREFIX}data-${dataset}-${d.manifestSha256.slice(0, NAME_HASH_DIGITS)}`;
}

/**
 * Whether a cache holds (some version of) a dataset: the page deletes these when the loader refuses the
 * dataset's bytes, so that Retry fetches them afresh instead of meeting the same cached copy.
 */
export function isDataCacheOf(cacheName: string, dataset: string): boolean {
  return new RegExp(`^${CACHE_PREFIX}data-${dataset.replace(/[^\w-]/g, '')}-[0-9a-f]+$`).test(cacheName);
}

/** Every cache this build uses. */
export function currentCaches(p: Precache): string[] {
  return [shellCacheName(p), ...Object.entries(p.datasets).map(([name, d]) => dataCacheName(name, d))];
}

/** Caches of this app that this build does not use (older builds, older data): deleted on activate. */
export function staleCaches(keys: readonly string[], p: Precache): string[] {
  const keep = new Set(currentCaches(p));
  return keys.filter((k) => k.startsWith(CACHE_PREFIX) && !keep.has(k));
}

/** Where the service worker answers a request from; `key` is the absolute URL it is cached under. */
export type Route =
  | { kind: 'shell'; cache: string; key: string }
  | {
      kind: 'data';
      cache: string;
      key: string;
      dataset: string;
      /** The manifest, or a data file with the sizes it may arrive in. */
      file: { manifest: true; sha256: string } | ({ manifest: false } & PrecacheDataFile);
    };

/**
 * Which cache answers a GET, or null when the service worker should not answer it at all (the browser
 * fetches it as if there were none: other origins, other paths such as `?data=broken` copies, sw.js).
 * @param url the request's URL
 * @param mode the request's mode: a 'navigate' to the base (with any query: `?train=…`) is index.html
 * @param scope the registration's scope, the site's base URL ending in '/'
 */
export function routeRequest(url: string, mode: string, scope: string, p: Precache): Route | null {
  const u = new URL(url);
  const base = new URL(scope);
  if (u.origin !== base.origin || !u.pathname.startsWith(base.pathname)) return null;
  const rel = decodeURIComponent(u.pathname.slice(base.pathname.length));
  if (mode === 'navigate') {
    if (rel !== '' && rel !== 'index.html') return null;
    return { kind: 'shell', cache: shellCacheName(p), key: new URL('index.html', base).href };
  }
  // Files are cached without a query; one with a query is something else (let the network answer).
  if (u.search !== '') return null;
  if (p.shell.includes(rel)) return { kind: 'shell', cache: shellCacheName(p), key: new URL(rel, base).href };
  const m = /^data\/([^/]+)\/([^/]+)$/.exec(rel);
  if (m === null) return null;
  const [, dataset, name] = m;
  const d = p.datasets[dataset];
  if (d === undefined) return null;
  const key = new URL(rel, base).href;
  const cache = dataCacheName(dataset, d);
  if (name === MANIFEST)
    return { kind: 'data', cache, key, dataset, file: { manifest: true, sha256: d.manifestSha256 } };
  const file = d.files.find((f) => f.name === name);
  if (file === undefined) return null;
  return { kind: 'data', cache, key, dataset, file: { manifest: false, ...file } };
}

/** Every URL (absolute) a dataset's cache holds when complete: the manifest first, then its files. */
export function dataUrls(dataset: string, d: PrecacheDataset, scope: string): string[] {
  const folder = new URL(`data/${dataset}/`, scope);
  return [new URL(MANIFEST, folder).href, ...d.files.map((f) => new URL(f.name, folder).href)];
}

/**
 * May a data file's body of `length` bytes be cached? Only at one of the two sizes its manifest allows:
 * stored (gzip bytes) or decompressed (the host sent Content-Encoding: gzip). A truncated download, an
 * HTML fallback page or a file from another data version is passed to the page (whose loader says what
 * is wrong) but never cached, so a Retry after the host is repaired fetches it again.
 */
export function acceptableDataLength(file: PrecacheDataFile, length: number): boolean {
  return length === file.bytes || length === file.rawBytes;
}

/**
 * What a cross-origin isolated page needs from every response (vite.config.ts's ISOLATION_HEADERS): the
 * document and its workers need COOP + COEP, each resource CORP (same-origin is also allowed without it,
 * but saying so costs nothing). A header the host already sent is kept as it sent it.
 */
export const CACHED_ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * The headers of a response served from the cache: the cached ones, plus the isolation headers, minus
 * `Content-Encoding` and `Content-Length`. The Cache API stores a body as the browser decoded it, so a
 * `.gz` that arrived with `Content-Encoding: gzip` (Vite) is stored decompressed: announcing gzip or the
 * compressed length for it would be false. (The loader looks at the first bytes, not at headers.)
 */
export function withIsolationHeaders(headers: Headers): Headers {
  const out = new Headers(headers);
  out.delete('Content-Encoding');
  out.delete('Content-Length');
  for (const [name, value] of Object.entries(CACHED_ISOLATION_HEADERS)) {
    if (!out.has(name)) out.set(name, value);
  }
  return out;
}
