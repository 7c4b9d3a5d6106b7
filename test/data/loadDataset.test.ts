import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { DataError, type DataErrorKind } from '../../src/data/errors';
import { parseManifest } from '../../src/data/manifest';
import type { DataProgress } from '../../src/protocol/messages';
import { loadDataset } from '../../src/worker/loadDataset';
import { FIXTURES_DIR } from '../fixtures/make-fixtures';

const BASE = 'http://lab.test/sub/path/';
const DIR = path.join(FIXTURES_DIR, 'data', 'mnist');
const manifest = parseManifest(readFileSync(path.join(DIR, 'manifest.json'), 'utf8'), 'manifest.json');
const stored = (name: string) => new Uint8Array(readFileSync(path.join(DIR, name)));
const INDEX_HTML = new TextEncoder().encode(
  '<!doctype html>\n<html><body><div id="root"></div></body></html>\n',
);

interface Served {
  status?: number;
  body: Uint8Array;
}

/**
 * A fetch that serves the fixture dataset at BASE/data/mnist/.
 * - `decoded`: send the decompressed bytes, as a browser does after `Content-Encoding: gzip`;
 * - `chunk`: body delivered in chunks of this many bytes (exercises progress);
 * - `override`: replace what a given file name returns.
 */
function serve(
  opts: { decoded?: boolean; chunk?: number; override?: Record<string, Served | 'reject'> } = {},
) {
  const requested: string[] = [];
  const fetchStub = vi.fn(async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    requested.push(url.href);
    if (init?.signal?.aborted) throw init.signal.reason;
    const prefix = new URL('data/mnist/', BASE).pathname;
    const name = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : '';
    const special = opts.override?.[name];
    if (special === 'reject') throw new TypeError('fetch failed');
    let served: Served;
    if (special !== undefined) served = special;
    else if (name === 'manifest.json' || manifest.files.some((f) => f.name === name)) {
      const bytes = stored(name);
      served = { body: opts.decoded && name.endsWith('.gz') ? new Uint8Array(gunzipSync(bytes)) : bytes };
    } else {
      // Vite's SPA fallback: index.html with 200 for anything missing.
      served = { body: INDEX_HTML };
    }
    const size = opts.chunk ?? served.body.length;
    let offset = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= served.body.length) {
          controller.close();
          return;
        }
        controller.enqueue(served.body.slice(offset, offset + size));
        offset += size;
      },
    });
    return new Response(body, { status: served.status ?? 200 });
  });
  vi.stubGlobal('fetch', fetchStub);
  return { fetchStub, requested };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

async function expectLoadError(kind: DataErrorKind, file: string): Promise<DataError> {
  let caught: unknown;
  try {
    await loadDataset(BASE, 'mnist', () => {});
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(DataError);
  const error = caught as DataError;
  expect({ kind: error.kind, file: error.file }).toEqual({ kind, file });
  expect(error.message).toContain(file);
  return error;
}

describe('loadDataset', () => {
  it('loads gzip bodies: the dataset, and progress reaching the stored (gzipped) sizes', async () => {
    const { requested } = serve({ chunk: 16 });
    const calls: DataProgress[] = [];
    const dataset = await loadDataset(BASE, 'mnist', (p) => calls.push(p));

    expect(requested[0]).toBe('http://lab.test/sub/path/data/mnist/manifest.json');
    expect(dataset.name).toBe('mnist');
    expect(dataset.classNames).toEqual(manifest.classNames);
    expect(dataset.train).toMatchObject({ count: 6, rows: 28, cols: 28 });
    expect(dataset.test).toMatchObject({ count: 4, rows: 28, cols: 28 });
    expect([...dataset.train.labels]).toEqual([0, 1, 2, 3, 4, 5]);
    expect([...dataset.test.labels]).toEqual([6, 7, 8, 9]);
    // The fixture's image of label L has a 6×6 square of value 200+L whose top row is 4+2L.
    const testImage0 = dataset.test.images.subarray(0, 784);
    expect(testImage0[(4 + 2 * 6) * 28 + 4]).toBe(206);
    expect(testImage0[0]).toBe(0);

    const last = calls.at(-1)!;
    expect(last.dataset).toBe('mnist');
    expect(last.files.map((f) => f.file)).toEqual(manifest.files.map((f) => f.name));
    for (const [i, f] of last.files.entries()) {
      expect(f.total).toBe(manifest.files[i].bytes);
      expect(f.received).toBe(f.total);
    }
    // Every report is a snapshot: earlier ones are not mutated afterwards.
    expect(calls[0].files.every((f) => f.received === 0)).toBe(true);
  });

  it('loads bodies the server already decompressed: the total is then the raw size', async () => {
    serve({ decoded: true, chunk: 100 });
    const calls: DataProgress[] = [];
    const dataset = await loadDataset(BASE, 'mnist', (p) => calls.push(p));
    expect(dataset.train.count).toBe(6);
    const last = calls.at(-1)!;
    for (const [i, f] of last.files.entries()) {
      expect(f.total).toBe(manifest.files[i].rawBytes);
      expect(f.received).toBe(manifest.files[i].rawBytes);
    }
  });

  it('throttles progress to ≤ 20 calls a second, plus the first and the final call', async () => {
    serve({ decoded: true, chunk: 1 }); // one byte per chunk: ~10,000 chunks in all
    const calls: DataProgress[] = [];
    const started = Date.now();
    await loadDataset(BASE, 'mnist', (p) => calls.push(p));
    const elapsedMs = Date.now() - started;
    expect(calls.length).toBeLessThanOrEqual(2 + Math.floor(elapsedMs / 50) + 1);
    expect(calls.at(-1)!.files.every((f) => f.received === f.total)).toBe(true);
  });

  it('detects a changed file whose size is right: hash-mismatch', async () => {
    const raw = new Uint8Array(gunzipSync(stored('train-labels-idx1-ubyte.gz')));
    raw[8 + 2] = 9; // still a valid label, same length
    serve({ decoded: true, override: { 'train-labels-idx1-ubyte.gz': { body: raw } } });
    const error = await expectLoadError('hash-mismatch', 'train-labels-idx1-ubyte.gz');
    expect(error.message).toContain('SHA-256');
  });

  it('detects HTML where IDX was expected (the SPA fallback for a missing file)', async () => {
    serve({ override: { 'train-images-idx3-ubyte.gz': { body: INDEX_HTML } } });
    const error = await expectLoadError('html-not-idx', 'train-images-idx3-ubyte.gz');
    expect(error.message).toContain('HTML page');
    expect(error.message).toContain('npm run prepare-data');
  });

  it('says the data was not prepared when manifest.json is the SPA fallback', async () => {
    serve({ override: { 'manifest.json': { body: INDEX_HTML } } });
    const error = await expectLoadError('bad-manifest', 'mnist/manifest.json');
    expect(error.message).toContain('not prepared');
    expect(error.message).toContain('npm run prepare-data');
  });

  it('reports a 404 as http, with the next step', async () => {
    serve({ override: { 'manifest.json': { status: 404, body: new Uint8Array(0) } } });
    const error = await expectLoadError('http', 'mnist/manifest.json');
    expect(error.message).toContain('404');
    expect(error.message).toContain('npm run prepare-data');
  });

  it('reports a gzip file cut short as truncated, with how much of how much', async () => {
    const gz = stored('t10k-images-idx3-ubyte.gz');
    serve({ override: { 't10k-images-idx3-ubyte.gz': { body: gz.slice(0, 30) } } });
    const error = await expectLoadError('truncated', 't10k-images-idx3-ubyte.gz');
    expect(error.message).toContain(`cut short (30 of ${gz.length} bytes)`);
  });

  it('reports a decompressed body cut short as truncated too', async () => {
    const raw = new Uint8Array(gunzipSync(stored('train-images-idx3-ubyte.gz')));
    serve({ decoded: true, override: { 'train-images-idx3-ubyte.gz': { body: raw.slice(0, 1000) } } });
    const error = await expectLoadError('truncated', 'train-images-idx3-ubyte.gz');
    expect(error.message).toContain('1.0 of 4.7 kB');
  });

  it('reports a request that fails as network', async () => {
    serve({ override: { 't10k-labels-idx1-ubyte.gz': 'reject' } });
    await expectLoadError('network', 't10k-labels-idx1-ubyte.gz');
  });

  it('refuses a manifest for another dataset', async () => {
    const other = JSON.parse(new TextDecoder().decode(stored('manifest.json'))) as Record<string, unknown>;
    other.dataset = 'fashion-mnist';
    serve({ override: { 'manifest.json': { body: new TextEncoder().encode(JSON.stringify(other)) } } });
    const error = await expectLoadError('bad-manifest', 'mnist/manifest.json');
    expect(error.message).toContain('fashion-mnist');
  });

  it('rejects with the abort reason (not a DataError) when the caller aborts', async () => {
    serve();
    const controller = new AbortController();
    const reason = new Error('user switched dataset');
    controller.abort(reason);
    await expect(loadDataset(BASE, 'mnist', () => {}, controller.signal)).rejects.toBe(reason);
  });
});
