/**
 * A collection of my digits as one `.zip`, read by the page (import) and the CLI (`--my-digits`):
 *
 *   images-idx3-ubyte   standard IDX (magic 2051), count × 28 × 28 uint8, as MNIST's files
 *   labels-idx1-ubyte   standard IDX (magic 2049), count uint8 labels
 *   manifest.json       { format, version, dataset, count, classNames, split: ['teach' | 'test', …],
 *                         files: [{ name, role, count, sha256 }] } — SHA-256 of each IDX, as the app's data manifest
 *   strokes.json        [{ strokes: [[[x, y], …], …], savedAt }, …] — one entry per digit, in record order
 *
 * Reading is strict: a file that is not a zip, an IDX with a wrong magic or sizes that disagree, a label
 * ≥ the classes, more than MAX_MY_DIGITS digits, or a hash that does not match is refused with a DataError
 * naming the file and the fault — nothing is returned, so the caller's collection stays as it was.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { DatasetName } from './dataset';
import { DATASET_NAMES } from './dataset';
import { DataError } from './errors';
import { sha256HexSync } from './gunzip';
import { encodeIdxImages, encodeIdxLabels, makeSplit, parseIdxImages, parseIdxLabels } from './idx';
import {
  DIGIT_PIXELS,
  DIGIT_SIDE,
  MAX_MY_DIGITS,
  type Half,
  type MyDigit,
  type StrokePoint,
} from './myDigits';

export const MY_DIGITS_FORMAT = 'backprop-lab/my-digits';
export const MY_DIGITS_VERSION = 1;
export const IMAGES_ENTRY = 'images-idx3-ubyte';
export const LABELS_ENTRY = 'labels-idx1-ubyte';
export const MANIFEST_ENTRY = 'manifest.json';
export const STROKES_ENTRY = 'strokes.json';

/** What a file holds: the digits without ids (the collection gives them its own). */
export interface MyDigitsFile {
  dataset: DatasetName;
  classNames: string[];
  digits: Omit<MyDigit, 'id'>[];
}

interface ManifestJson {
  format: string;
  version: number;
  dataset: DatasetName;
  count: number;
  classNames: string[];
  split: Half[];
  files: { name: string; role: 'images' | 'labels'; count: number; sha256: string }[];
}

/** Strokes rounded to 1/10,000 of the surface: exact enough to redraw, a third of the text. */
const round = (v: number) => Math.round(v * 10_000) / 10_000;

/** The zip of `digits` (all of `dataset`), in their order. */
export function encodeMyDigits(
  digits: readonly MyDigit[],
  dataset: DatasetName,
  classNames: readonly string[],
): Uint8Array {
  if (digits.length > MAX_MY_DIGITS) {
    throw new RangeError(`at most ${MAX_MY_DIGITS} digits fit in a file, got ${digits.length}`);
  }
  const pixels = new Uint8Array(digits.length * DIGIT_PIXELS);
  const labels = new Uint8Array(digits.length);
  digits.forEach((d, i) => {
    pixels.set(d.pixels, i * DIGIT_PIXELS);
    labels[i] = d.label;
  });
  const images = encodeIdxImages(pixels, digits.length, DIGIT_SIDE, DIGIT_SIDE);
  const labelFile = encodeIdxLabels(labels);
  const manifest: ManifestJson = {
    format: MY_DIGITS_FORMAT,
    version: MY_DIGITS_VERSION,
    dataset,
    count: digits.length,
    classNames: [...classNames],
    split: digits.map((d) => d.half),
    files: [
      { name: IMAGES_ENTRY, role: 'images', count: digits.length, sha256: sha256HexSync(images) },
      { name: LABELS_ENTRY, role: 'labels', count: digits.length, sha256: sha256HexSync(labelFile) },
    ],
  };
  const strokes = digits.map((d) => ({
    strokes: d.strokes.map((s) => s.map((p) => [round(p.x), round(p.y)])),
    savedAt: d.savedAt,
  }));
  const text = (v: unknown) => strToU8(JSON.stringify(v, null, 1));
  return zipSync(
    {
      [IMAGES_ENTRY]: images,
      [LABELS_ENTRY]: labelFile,
      [MANIFEST_ENTRY]: text(manifest),
      [STROKES_ENTRY]: text(strokes),
    },
    { level: 6 },
  );
}

/**
 * Reads a zip written by encodeMyDigits (or by hand, to the same rules) for a dataset of `classes`
 * classes. `file` names it in every message. Throws a DataError on any fault.
 */
export function decodeMyDigits(bytes: Uint8Array, file: string, classes: number): MyDigitsFile {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch {
    throw new DataError(
      'not-zip',
      file,
      `${file} is not a zip file: export a collection from the page to get one.`,
    );
  }
  const entry = (name: string): Uint8Array => {
    const e = entries[name];
    if (!e)
      throw new DataError('bad-manifest', file, `${file} has no ${name}: it is not a collection of digits.`);
    return e;
  };
  const manifest = readManifest(entry(MANIFEST_ENTRY), file, classes);
  const imagesBytes = entry(IMAGES_ENTRY);
  const labelsBytes = entry(LABELS_ENTRY);
  for (const [name, bytesOf] of [
    [IMAGES_ENTRY, imagesBytes],
    [LABELS_ENTRY, labelsBytes],
  ] as const) {
    const described = manifest.files.find((f) => f.name === name);
    if (!described) {
      throw new DataError('bad-manifest', file, `${file}: manifest.json does not describe ${name}.`);
    }
    const sha = sha256HexSync(bytesOf);
    if (sha !== described.sha256) {
      throw new DataError(
        'hash-mismatch',
        `${file}: ${name}`,
        `${file}: ${name} is not the file its manifest describes (SHA-256 ${sha.slice(0, 12)}…, expected ` +
          `${described.sha256.slice(0, 12)}…) — the file is damaged or was edited.`,
      );
    }
  }
  // A header that promises too many images is refused before its payload is read.
  if (imagesBytes.length >= 8) {
    const count = new DataView(imagesBytes.buffer, imagesBytes.byteOffset).getUint32(4);
    if (count > MAX_MY_DIGITS) throw tooMany(file, count);
  }
  const images = parseIdxImages(imagesBytes, `${file}: ${IMAGES_ENTRY}`);
  if (images.rows !== DIGIT_SIDE || images.cols !== DIGIT_SIDE) {
    throw new DataError(
      'size-mismatch',
      `${file}: ${IMAGES_ENTRY}`,
      `${file}: ${IMAGES_ENTRY} holds ${images.rows}×${images.cols} images; digits are ${DIGIT_SIDE}×${DIGIT_SIDE}.`,
    );
  }
  const labels = parseIdxLabels(labelsBytes, `${file}: ${LABELS_ENTRY}`);
  const split = makeSplit(images, labels, {
    images: `${file}: ${IMAGES_ENTRY}`,
    labels: `${file}: ${LABELS_ENTRY}`,
  });
  if (split.count !== manifest.count) {
    throw new DataError(
      'count-mismatch',
      file,
      `${file}: manifest.json says ${manifest.count} digits, the IDX files hold ${split.count}.`,
    );
  }
  for (let i = 0; i < split.count; i++) {
    if (split.labels[i]! >= classes) {
      throw new DataError(
        'label-out-of-range',
        `${file}: ${LABELS_ENTRY}`,
        `${file}: label ${split.labels[i]} of digit ${i} is not one of the ${classes} classes.`,
      );
    }
  }
  const strokes = readStrokes(entry(STROKES_ENTRY), file, split.count);
  const digits = Array.from({ length: split.count }, (_, i) => ({
    dataset: manifest.dataset,
    label: split.labels[i]!,
    half: manifest.split[i]!,
    pixels: split.images.slice(i * DIGIT_PIXELS, (i + 1) * DIGIT_PIXELS),
    strokes: strokes[i]!.strokes,
    savedAt: strokes[i]!.savedAt,
  }));
  return { dataset: manifest.dataset, classNames: manifest.classNames, digits };
}

function tooMany(file: string, count: number): DataError {
  return new DataError(
    'too-many',
    file,
    `${file} holds ${count} digits; a collection holds at most ${MAX_MY_DIGITS}.`,
  );
}

function readManifest(bytes: Uint8Array, file: string, classes: number): ManifestJson {
  const bad = (why: string) =>
    new DataError('bad-manifest', `${file}: ${MANIFEST_ENTRY}`, `${file}: manifest.json ${why}.`);
  let m: Partial<ManifestJson>;
  try {
    m = JSON.parse(strFromU8(bytes)) as Partial<ManifestJson>;
  } catch {
    throw bad('is not JSON');
  }
  if (typeof m !== 'object' || m === null) throw bad('is not an object');
  if (m.format !== MY_DIGITS_FORMAT)
    throw bad(`is not a collection of digits (format ${JSON.stringify(m.format)})`);
  if (m.version !== MY_DIGITS_VERSION) {
    throw bad(`has version ${JSON.stringify(m.version)}; this app reads version ${MY_DIGITS_VERSION}`);
  }
  if (!DATASET_NAMES.includes(m.dataset as DatasetName))
    throw bad(`names an unknown dataset ${JSON.stringify(m.dataset)}`);
  if (!Number.isInteger(m.count) || m.count! < 0) throw bad('has no whole count');
  if (m.count! > MAX_MY_DIGITS) throw tooMany(file, m.count!);
  if (
    !Array.isArray(m.classNames) ||
    m.classNames.length !== classes ||
    !m.classNames.every((c) => typeof c === 'string')
  ) {
    throw bad(`must list ${classes} class names`);
  }
  if (
    !Array.isArray(m.split) ||
    m.split.length !== m.count ||
    !m.split.every((h) => h === 'teach' || h === 'test')
  ) {
    throw bad('must give each digit its half ("teach" or "test")');
  }
  if (!Array.isArray(m.files)) throw bad('lists no files');
  for (const f of m.files) {
    if (typeof f?.name !== 'string' || typeof f.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(f.sha256)) {
      throw bad('has a file entry without a name and a SHA-256');
    }
  }
  return m as ManifestJson;
}

function readStrokes(
  bytes: Uint8Array,
  file: string,
  count: number,
): { strokes: StrokePoint[][]; savedAt: number }[] {
  const bad = (why: string) =>
    new DataError('bad-manifest', `${file}: ${STROKES_ENTRY}`, `${file}: strokes.json ${why}.`);
  let raw: unknown;
  try {
    raw = JSON.parse(strFromU8(bytes));
  } catch {
    throw bad('is not JSON');
  }
  if (!Array.isArray(raw) || raw.length !== count) throw bad(`must hold one entry per digit (${count})`);
  return raw.map((d: unknown, i) => {
    const e = d as { strokes?: unknown; savedAt?: unknown };
    if (!Array.isArray(e?.strokes)) throw bad(`has no strokes for digit ${i}`);
    const strokes = e.strokes.map((s: unknown) => {
      if (!Array.isArray(s)) throw bad(`has a stroke of digit ${i} that is not a list of points`);
      return s.map((p: unknown) => {
        if (
          !Array.isArray(p) ||
          p.length !== 2 ||
          !p.every((v) => typeof v === 'number' && Number.isFinite(v))
        ) {
          throw bad(`has a point of digit ${i} that is not [x, y]`);
        }
        return { x: p[0] as number, y: p[1] as number };
      });
    });
    const savedAt = typeof e.savedAt === 'number' && Number.isFinite(e.savedAt) ? e.savedAt : 0;
    return { strokes, savedAt };
  });
}
