/**
 * Loads a dataset in the worker: manifest, then the four IDX files concurrently, with byte progress.
 *
 *   fetch manifest.json ─► parseManifest
 *   fetch 4 files ─► stream + progress ─► HTML? ─► size vs manifest ─► gunzip if 1f 8b ─► parse IDX
 *                 ─► rawBytes / sha256 / count vs manifest ─► makeSplit ─► Dataset
 *
 * A loader that never lies: every failure is a `DataError` naming the file (see src/data/errors.ts),
 * and no partial dataset is ever returned. Abort (the `signal`) rejects with the signal's reason, not
 * a DataError — cancelling is not a failure to report.
 */

import { DATASET_NAMES, type Dataset, type DatasetName } from '../data/dataset';
import { DataError, PREPARE_HINT, formatBytes, formatCount, formatPart } from '../data/errors';
import { maybeGunzip, sha256Hex } from '../data/gunzip';
import { isGzip, looksLikeHtml, makeSplit, parseIdxImages, parseIdxLabels } from '../data/idx';
import {
  MANIFEST_FILE,
  manifestEntry,
  parseManifest,
  type FileRole,
  type ManifestFile,
} from '../data/manifest';
import type { DataProgress } from '../protocol/messages';

/** At most this many progress calls per second (plus the final one). */
const PROGRESS_HZ = 20;

/**
 * Fetches and checks one dataset.
 * @param baseUrl absolute URL of the site root (the page computes it: src/app/dataBase.ts); files come from `${baseUrl}data/${name}/`
 * @param onProgress called at most ~20 times a second while bytes arrive, and once at the end
 * @param signal aborts every request; the promise then rejects with `signal.reason`
 * @throws DataError for every failure, naming the file
 */
export async function loadDataset(
  baseUrl: string,
  name: DatasetName,
  onProgress: (p: DataProgress) => void,
  signal?: AbortSignal,
): Promise<Dataset> {
  const folder = new URL(`data/${name}/`, baseUrl);
  const manifestName = `${name}/${MANIFEST_FILE}`;

  // One controller for this load: a failing file cancels the other downloads instead of letting
  // them run on for megabytes nobody will use.
  const local = new AbortController();
  const onAbort = () => local.abort(signal?.reason);
  if (signal?.aborted) throw signal.reason;
  signal?.addEventListener('abort', onAbort, { once: true });

  try {
    const manifestBytes = await download(
      new URL(MANIFEST_FILE, folder),
      manifestName,
      local.signal,
      () => {},
    );
    if (looksLikeHtml(manifestBytes)) {
      throw new DataError(
        'bad-manifest',
        manifestName,
        `${manifestName} is missing (the server sent an HTML page instead): the data was not prepared — ` +
          `${PREPARE_HINT}.`,
      );
    }
    const manifest = parseManifest(new TextDecoder().decode(manifestBytes), manifestName);
    if (manifest.dataset !== name) {
      throw new DataError(
        'bad-manifest',
        manifestName,
        `${manifestName} describes "${manifest.dataset}", not "${name}" — ${PREPARE_HINT}.`,
      );
    }

    const roles: FileRole[] = ['train-images', 'train-labels', 'test-images', 'test-labels'];
    const entries = roles.map((role) => manifestEntry(manifest, role));
    const progress: DataProgress = {
      dataset: name,
      files: entries.map((e) => ({ file: e.name, received: 0, total: e.bytes })),
    };
    let last = -Infinity;
    const report = (force: boolean) => {
      const now = Date.now();
      if (!force && now - last < 1000 / PROGRESS_HZ) return;
      last = now;
      // A fresh object each time: the receiver may keep it (a store) or post it (structured clone).
      onProgress({ dataset: name, files: progress.files.map((f) => ({ ...f })) });
    };
    report(true);

    let bytes: Uint8Array[];
    try {
      bytes = await Promise.all(
        entries.map((entry, i) =>
          fetchIdx(new URL(entry.name, folder), entry, local.signal, (received, total) => {
            progress.files[i] = { file: entry.name, received, total };
            report(false);
          }),
        ),
      );
    } finally {
      report(true);
    }

    const [trainImages, trainLabels, testImages, testLabels] = bytes.map((b, i) => ({ b, e: entries[i] }));
    const train = makeSplit(
      checkCount(parseIdxImages(trainImages.b, trainImages.e.name), trainImages.e),
      checkCount(parseIdxLabels(trainLabels.b, trainLabels.e.name), trainLabels.e),
      { images: trainImages.e.name, labels: trainLabels.e.name },
    );
    const test = makeSplit(
      checkCount(parseIdxImages(testImages.b, testImages.e.name), testImages.e),
      checkCount(parseIdxLabels(testLabels.b, testLabels.e.name), testLabels.e),
      { images: testImages.e.name, labels: testLabels.e.name },
    );
    return { name, train, test, classNames: manifest.classNames };
  } catch (error) {
    // Whichever request noticed the abort first, report the caller's abort as the caller's reason.
    if (signal?.aborted) throw signal.reason;
    local.abort();
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** The parsed file must hold as many records as the manifest says. */
function checkCount<T extends { count: number }>(parsed: T, entry: ManifestFile): T {
  if (parsed.count !== entry.count) {
    throw new DataError(
      'count-mismatch',
      entry.name,
      `${entry.name} holds ${formatCount(parsed.count)} records but manifest.json says ` +
        `${formatCount(entry.count)} — ${PREPARE_HINT}.`,
    );
  }
  return parsed;
}

/**
 * Downloads one data file and checks it against its manifest entry, returning the decompressed IDX bytes.
 *
 * The progress total is decided by the first bytes: gzip → the manifest's `bytes` (the server sent the
 * file as stored), anything else → `rawBytes` (the server sent `Content-Encoding: gzip`, as Vite does
 * for `.gz`, so the browser has already decompressed it).
 */
async function fetchIdx(
  url: URL,
  entry: ManifestFile,
  signal: AbortSignal,
  onBytes: (received: number, total: number) => void,
): Promise<Uint8Array> {
  const file = entry.name;
  let total = entry.bytes;
  const body = await download(url, file, signal, (received, firstBytes) => {
    if (firstBytes !== undefined) total = isGzip(firstBytes) ? entry.bytes : entry.rawBytes;
    onBytes(received, total);
  });
  if (looksLikeHtml(body)) {
    throw new DataError(
      'html-not-idx',
      file,
      `${file}: the server sent an HTML page where IDX data was expected — the file is probably missing; ` +
        `${PREPARE_HINT}.`,
    );
  }
  const gz = isGzip(body);
  checkSize(file, body.length, gz ? entry.bytes : entry.rawBytes, gz ? 'stored' : 'decompressed');
  const raw = gz ? await maybeGunzip(body, file) : body;
  if (gz) checkSize(file, raw.length, entry.rawBytes, 'decompressed');
  const sha = await sha256Hex(raw);
  if (sha !== entry.sha256) {
    throw new DataError(
      'hash-mismatch',
      file,
      `${file} is not the file manifest.json describes (SHA-256 ${sha.slice(0, 12)}…, expected ` +
        `${entry.sha256.slice(0, 12)}…): it is damaged or from another version — ${PREPARE_HINT}.`,
    );
  }
  return raw;
}

function checkSize(file: string, actual: number, expected: number, form: 'stored' | 'decompressed'): void {
  if (actual < expected) {
    throw new DataError(
      'truncated',
      file,
      `${file} is cut short (${formatPart(actual, expected)}) — the download was interrupted or the file ` +
        `is damaged. Retry, or ${PREPARE_HINT}.`,
    );
  }
  if (actual > expected) {
    throw new DataError(
      'size-mismatch',
      file,
      `${file} is ${formatBytes(actual)} ${form} but manifest.json says ${formatBytes(expected)} — the file ` +
        `was replaced without refreshing the manifest; ${PREPARE_HINT}.`,
    );
  }
}

/**
 * GETs `url` and reads the body as a stream, calling `onChunk(received, firstBytes?)` per chunk
 * (`firstBytes` only with the first one).
 * @throws DataError 'network' (request failed or body broke off) or 'http' (status not 2xx)
 */
async function download(
  url: URL,
  file: string,
  signal: AbortSignal,
  onChunk: (received: number, firstBytes?: Uint8Array) => void,
): Promise<Uint8Array> {
  let response: Response;
  try {
    // 'no-cache' revalidates (cheap 304s), so a rebuilt file never meets a stale cached manifest.
    response = await fetch(url, { signal, cache: 'no-cache' });
  } catch (cause) {
    if (signal.aborted) throw signal.reason;
    throw new DataError(
      'network',
      file,
      `${file} could not be downloaded (${reasonOf(cause)}) — check that the server is running, then Retry.`,
      { cause },
    );
  }
  if (!response.ok) {
    const missing = response.status === 404;
    throw new DataError(
      'http',
      file,
      `${file}: the server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}` +
        (missing ? ` — the file is missing; ${PREPARE_HINT}.` : ' — Retry, or check the server.'),
    );
  }
  if (response.body === null) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onChunk(bytes.length, bytes);
    return bytes;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.length;
      onChunk(received, chunks.length === 1 ? value : undefined);
    }
  } catch (cause) {
    if (signal.aborted) throw signal.reason;
    throw new DataError(
      'network',
      file,
      `${file} broke off after ${formatBytes(received)} (${reasonOf(cause)}) — Retry; if it keeps ` +
        `failing, the file on the server is damaged: ${PREPARE_HINT}.`,
      { cause },
    );
  } finally {
    reader.releaseLock();
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

function reasonOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** For callers that receive a dataset name from outside (URL, messages). */
export function isDatasetName(value: unknown): value is DatasetName {
  return typeof value === 'string' && (DATASET_NAMES as readonly string[]).includes(value);
}
