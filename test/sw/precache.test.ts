/**
 * The service worker's pure parts (src/sw/precache.ts): the precache list and its version, cache names
 * and which caches a new build deletes, which requests it answers from where, the headers of a cached
 * response, and which data bodies it may keep. Also the build plugin's manifest reading.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { manifestFiles } from '../../scripts/serviceWorkerPlugin';
import {
  acceptableDataLength,
  buildPrecache,
  currentCaches,
  dataCacheName,
  dataUrls,
  isDataCacheOf,
  routeRequest,
  shellCacheName,
  staleCaches,
  withIsolationHeaders,
  type PrecacheDataset,
} from '../../src/sw/precache';
import { dropsCachedCopy, updateAction } from '../../src/app/serviceWorker';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

const MNIST: PrecacheDataset = {
  manifestSha256: 'a'.repeat(64),
  files: [
    { name: 'train-images-idx3-ubyte.gz', bytes: 9_801_223, rawBytes: 47_040_016 },
    { name: 'train-labels-idx1-ubyte.gz', bytes: 28_246, rawBytes: 60_008 },
  ],
};
const FASHION: PrecacheDataset = {
  manifestSha256: 'b'.repeat(64),
  files: [{ name: 'train-images-idx3-ubyte.gz', bytes: 26_500_000, rawBytes: 47_040_016 }],
};
const SHELL = [
  { path: 'index.html', sha256: '1' },
  { path: 'assets/index-abc.js', sha256: '2' },
  { path: 'manifest.webmanifest', sha256: '3' },
];
const precache = (shell = SHELL) =>
  buildPrecache(shell, { mnist: MNIST, 'fashion-mnist': FASHION }, ['mnist'], sha256);
const SCOPE = 'https://school.example/lab/';

describe('buildPrecache', () => {
  it('lists the shell sorted, with the datasets and the one to cache on install', () => {
    const p = precache();
    expect(p.shell).toEqual(['assets/index-abc.js', 'index.html', 'manifest.webmanifest']);
    expect(p.installDatasets).toEqual(['mnist']);
    expect(p.datasets.mnist).toEqual(MNIST);
    expect(p.version).toMatch(/^[0-9a-f]{16}$/);
  });

  it('the version depends on every shell file and its content, not on their order', () => {
    const base = precache().version;
    expect(precache([...SHELL].reverse()).version).toBe(base);
    expect(precache([...SHELL.slice(0, 2), { path: 'manifest.webmanifest', sha256: '4' }]).version).not.toBe(
      base,
    );
    expect(precache([...SHELL, { path: 'icons/icon-192.png', sha256: '5' }]).version).not.toBe(base);
    expect(
      precache(
        SHELL.map((f) => (f.path === 'index.html' ? { ...f, path: 'index2.html' } : f)).concat(SHELL[0]),
      ).version,
    ).not.toBe(base);
  });

  it('refuses a shell without index.html, and an install dataset without a manifest', () => {
    expect(() => buildPrecache(SHELL.slice(1), {}, [], sha256)).toThrow(/index\.html/);
    expect(() => buildPrecache(SHELL, { mnist: MNIST }, ['fashion-mnist'], sha256)).toThrow(/fashion-mnist/);
  });
});

describe('cache names and versions', () => {
  it('one shell cache per build, one data cache per manifest', () => {
    const p = precache();
    expect(shellCacheName(p)).toBe(`backprop-lab-shell-${p.version}`);
    expect(dataCacheName('mnist', MNIST)).toBe('backprop-lab-data-mnist-aaaaaaaaaaaaaaaa');
    expect(currentCaches(p)).toEqual([
      shellCacheName(p),
      'backprop-lab-data-mnist-aaaaaaaaaaaaaaaa',
      'backprop-lab-data-fashion-mnist-bbbbbbbbbbbbbbbb',
    ]);
  });

  it('a new build deletes the old shell and old data, keeps data that did not change and other apps’ caches', () => {
    const old = precache();
    const next = buildPrecache(
      [...SHELL.slice(1), { path: 'index.html', sha256: 'changed' }],
      { mnist: MNIST, 'fashion-mnist': { ...FASHION, manifestSha256: 'c'.repeat(64) } },
      ['mnist'],
      sha256,
    );
    expect(shellCacheName(next)).not.toBe(shellCacheName(old));
    const keys = [...currentCaches(old), 'another-app-v1', 'backprop-lab-data-mnist-0123456789abcdef'];
    expect(staleCaches(keys, next)).toEqual([
      shellCacheName(old),
      'backprop-lab-data-fashion-mnist-bbbbbbbbbbbbbbbb',
      'backprop-lab-data-mnist-0123456789abcdef',
    ]);
    expect(staleCaches(currentCaches(next), next)).toEqual([]);
  });
});

describe('routeRequest', () => {
  const p = precache();
  const shell = shellCacheName(p);
  const mnist = dataCacheName('mnist', MNIST);

  it('a navigation to the base, with or without a query or index.html, is index.html', () => {
    for (const url of [SCOPE, `${SCOPE}?train=2000&workers=2`, `${SCOPE}index.html`]) {
      expect(routeRequest(url, 'navigate', SCOPE, p)).toEqual({
        kind: 'shell',
        cache: shell,
        key: `${SCOPE}index.html`,
      });
    }
    expect(routeRequest(`${SCOPE}docs/`, 'navigate', SCOPE, p)).toBeNull();
  });

  it('shell files and data files by path; anything else is left to the network', () => {
    expect(routeRequest(`${SCOPE}assets/index-abc.js`, 'cors', SCOPE, p)).toEqual({
      kind: 'shell',
      cache: shell,
      key: `${SCOPE}assets/index-abc.js`,
    });
    expect(routeRequest(`${SCOPE}data/mnist/manifest.json`, 'cors', SCOPE, p)).toEqual({
      kind: 'data',
      cache: mnist,
      key: `${SCOPE}data/mnist/manifest.json`,
      dataset: 'mnist',
      file: { manifest: true, sha256: MNIST.manifestSha256 },
    });
    expect(routeRequest(`${SCOPE}data/mnist/train-labels-idx1-ubyte.gz`, 'cors', SCOPE, p)).toMatchObject({
      kind: 'data',
      file: { manifest: false, name: 'train-labels-idx1-ubyte.gz', bytes: 28_246, rawBytes: 60_008 },
    });
    for (const url of [
      `${SCOPE}sw.js`,
      `${SCOPE}assets/index-abc.js?v=2`, // a query: something else
      `${SCOPE}assets/old-123.js`, // not this build's
      `${SCOPE}broken/data/mnist/manifest.json`, // the tests' damaged copies (?data=broken)
      `${SCOPE}data/mnist/other.gz`,
      `${SCOPE}data/cifar/manifest.json`,
      'https://school.example/other/index.html', // outside the scope
      'https://cdn.example/lab/assets/index-abc.js', // another origin
    ]) {
      expect(routeRequest(url, 'cors', SCOPE, p), url).toBeNull();
    }
  });

  it('dataUrls lists a dataset cache’s complete contents', () => {
    expect(dataUrls('mnist', MNIST, SCOPE)).toEqual([
      `${SCOPE}data/mnist/manifest.json`,
      `${SCOPE}data/mnist/train-images-idx3-ubyte.gz`,
      `${SCOPE}data/mnist/train-labels-idx1-ubyte.gz`,
    ]);
    for (const url of dataUrls('mnist', MNIST, SCOPE))
      expect(routeRequest(url, 'cors', SCOPE, p)?.kind).toBe('data');
  });
});

describe('withIsolationHeaders', () => {
  it('adds COOP, COEP and CORP, drops the encoding and length of a body stored decoded', () => {
    const out = withIsolationHeaders(
      new Headers({
        'Content-Type': 'application/gzip',
        'Content-Encoding': 'gzip',
        'Content-Length': '9801223',
        ETag: 'W/"x"',
      }),
    );
    expect(Object.fromEntries(out)).toEqual({
      'content-type': 'application/gzip',
      etag: 'W/"x"',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
      'cross-origin-resource-policy': 'same-origin',
    });
  });

  it('keeps what the host sent, and leaves the original alone', () => {
    const original = new Headers({ 'Cross-Origin-Embedder-Policy': 'credentialless', 'Content-Length': '5' });
    const out = withIsolationHeaders(original);
    expect(out.get('Cross-Origin-Embedder-Policy')).toBe('credentialless');
    expect(original.get('Content-Length')).toBe('5');
  });
});

describe('acceptableDataLength', () => {
  const file = MNIST.files[0];
  it('only the stored or the decompressed size of the manifest', () => {
    expect(acceptableDataLength(file, 9_801_223)).toBe(true);
    expect(acceptableDataLength(file, 47_040_016)).toBe(true);
    expect(acceptableDataLength(file, 3_920_489)).toBe(false); // cut short
    expect(acceptableDataLength(file, 1_462)).toBe(false); // an HTML page
  });
});

describe('manifestFiles (the build plugin)', () => {
  const enc = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
  it('reads the names and both sizes', () => {
    expect(
      manifestFiles(
        enc({ files: [{ name: 'a.gz', bytes: 1, rawBytes: 2, sha256: 'x', role: 'train-images' }] }),
        'm',
      ),
    ).toEqual([{ name: 'a.gz', bytes: 1, rawBytes: 2 }]);
  });
  it('refuses a manifest without files, or a path for a name', () => {
    expect(() => manifestFiles(enc({}), 'mnist/manifest.json')).toThrow(/mnist\/manifest\.json: no "files"/);
    expect(() => manifestFiles(enc({ files: [{ name: '../x', bytes: 1, rawBytes: 1 }] }), 'm')).toThrow(
      /plain name/,
    );
  });
});

describe('updateAction (the page)', () => {
  it('takes a new build at once only when nothing was trained in the page', () => {
    expect(updateAction({ status: 'idle', step: 0 })).toBe('apply');
    expect(updateAction({ status: 'training', step: 0 })).toBe('offer');
    expect(updateAction({ status: 'training', step: 120 })).toBe('offer');
    expect(updateAction({ status: 'paused', step: 120 })).toBe('offer');
    expect(updateAction({ status: 'done', step: 900 })).toBe('offer');
  });
});

describe('dropping a refused dataset’s cached copy (the page)', () => {
  it('only for errors about the bytes, and only that dataset’s caches', () => {
    expect(dropsCachedCopy('hash-mismatch')).toBe(true);
    expect(dropsCachedCopy('truncated')).toBe(true);
    expect(dropsCachedCopy('bad-manifest')).toBe(true);
    expect(dropsCachedCopy('network')).toBe(false); // offline: the cached files are what works
    expect(dropsCachedCopy('http')).toBe(false);
    expect(isDataCacheOf(dataCacheName('mnist', MNIST), 'mnist')).toBe(true);
    expect(isDataCacheOf('backprop-lab-data-mnist-0123456789abcdef', 'mnist')).toBe(true);
    expect(isDataCacheOf(dataCacheName('fashion-mnist', FASHION), 'mnist')).toBe(false);
    expect(isDataCacheOf(dataCacheName('mnist', MNIST), 'fashion-mnist')).toBe(false);
    expect(isDataCacheOf(shellCacheName(precache()), 'mnist')).toBe(false);
  });
});
