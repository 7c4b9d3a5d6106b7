/**
 * The files prepare-data writes and re-reads: gzipped IDX files under their official names, and the
 * manifest. Writes are atomic (temporary name, then rename); reads never throw for a missing or
 * damaged file, they say so with null or false so the caller can decide to rebuild.
 */

import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip as gunzipCb, gzip as gzipCb } from 'node:zlib';

import type { DatasetName } from '../../src/data/dataset';
import { DataError } from '../../src/data/errors';
import { isGzip, parseIdxImages, parseIdxLabels } from '../../src/data/idx';
import {
  MANIFEST_FILE,
  parseManifest,
  type FileRole,
  type Manifest,
  type ManifestFile,
} from '../../src/data/manifest';

import { SIDE, type SourceFile } from './types';

const gzip = promisify(gzipCb);
const gunzip = promisify(gunzipCb);

/** gzip level 6: level 9 costs ~9 s on the train images for 2 % fewer bytes. */
const GZIP_LEVEL = 6;

/** The existing manifest, or null when absent or invalid (then every file is re-examined). */
export async function readManifest(
  file: string,
  name: DatasetName,
  log: (line: string) => void,
): Promise<Manifest | null> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const manifest = parseManifest(text, `${name}/${MANIFEST_FILE}`);
    if (manifest.dataset === name) return manifest;
    log(`  ${name}/${MANIFEST_FILE} describes ${manifest.dataset}; rebuilding it`);
  } catch (error) {
    log(`  ${name}/${MANIFEST_FILE} is unusable (${(error as Error).message}); rebuilding it`);
  }
  return null;
}

/** Writes the manifest as the loader expects it: two-space JSON and a final newline. */
export async function writeManifest(file: string, manifest: Manifest): Promise<void> {
  await writeAtomic(file, `${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * Reads an existing output file and checks it is valid IDX for `role`.
 * @returns its manifest entry (without `source`) and hash, or null when absent or invalid
 */
export async function inspect(
  file: string,
  role: FileRole,
): Promise<{ entry: ManifestFile; sha256: string } | null> {
  let stored: Uint8Array;
  try {
    stored = await fsp.readFile(file);
  } catch {
    return null;
  }
  try {
    const raw = isGzip(stored) ? new Uint8Array(await gunzip(stored)) : stored;
    const name = path.basename(file);
    const count = role.endsWith('images')
      ? checkSide(parseIdxImages(raw, name), name).count
      : parseIdxLabels(raw, name).count;
    const sha256 = sha256Hex(raw);
    return {
      entry: { name, role, bytes: stored.length, rawBytes: raw.length, count, sha256 },
      sha256,
    };
  } catch {
    return null;
  }
}

/** The app expects 28×28 images; a valid IDX file of another size is not a drop-in replacement. */
export function checkSide<T extends { rows: number; cols: number }>(parsed: T, file: string): T {
  if (parsed.rows !== SIDE || parsed.cols !== SIDE) {
    throw new DataError(
      'size-mismatch',
      file,
      `${file} holds ${parsed.rows}×${parsed.cols} images, not 28×28`,
    );
  }
  return parsed;
}

/** Decompresses a file and compares it with its manifest entry (for --verify). */
export async function matchesEntry(file: string, entry: ManifestFile): Promise<boolean> {
  try {
    const stored = await fsp.readFile(file);
    const raw = isGzip(stored) ? await gunzip(stored) : stored;
    return raw.length === entry.rawBytes && sha256Hex(raw) === entry.sha256;
  } catch {
    return false;
  }
}

export async function writeGzipped(
  target: string,
  role: FileRole,
  src: SourceFile,
  fingerprint: string,
): Promise<ManifestFile> {
  const gz = await gzip(src.raw, { level: GZIP_LEVEL });
  await writeAtomic(target, gz);
  return {
    name: path.basename(target),
    role,
    bytes: gz.length,
    rawBytes: src.raw.length,
    count: src.count,
    sha256: src.sha256,
    source: fingerprint,
  };
}

/** Write to a temporary name, then rename: an interrupted run never leaves a half file under the real name. */
async function writeAtomic(target: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${target}.tmp-${process.pid}`;
  await fsp.writeFile(tmp, data);
  await fsp.rename(tmp, target);
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function fileSize(file: string): Promise<number | null> {
  try {
    return (await fsp.stat(file)).size;
  } catch {
    return null;
  }
}
