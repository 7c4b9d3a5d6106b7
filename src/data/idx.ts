/**
 * IDX, the format MNIST and Fashion-MNIST ship in: a big-endian header, then the payload.
 *
 *   images: u32 magic 2051 (0x00000803: unsigned bytes, 3 dims) · u32 count · u32 rows · u32 cols
 *           · count·rows·cols bytes, row-major, 0 = background, 255 = ink
 *   labels: u32 magic 2049 (0x00000801: unsigned bytes, 1 dim) · u32 count · count bytes, each 0–9
 *
 * The parsers are strict on purpose: the payload must be exactly as long as the header says, so a file
 * cut short or padded is reported instead of being read as shifted or zero-filled pixels. Every error is
 * a `DataError` naming the file. Bytes in, typed arrays out: no DOM, no fetch, no copies.
 */

import type { Split } from './dataset';
import { DataError, formatBytes, formatCount, formatPart } from './errors';

export const IDX_IMAGES_MAGIC = 2051;
export const IDX_LABELS_MAGIC = 2049;
const IMAGES_HEADER_BYTES = 16;
const LABELS_HEADER_BYTES = 8;
/** Upper bound for rows and cols: anything larger is a corrupt header, not an image. */
const MAX_SIDE = 4096;
const NUM_CLASSES = 10;

/** A parsed image file. `images` is a view into the input bytes: [count, rows·cols] row-major. */
export interface IdxImages {
  images: Uint8Array;
  count: number;
  rows: number;
  cols: number;
}

/** A parsed label file. `labels` is a view into the input bytes: [count], each 0–9. */
export interface IdxLabels {
  labels: Uint8Array;
  count: number;
}

/** True when the bytes start with the gzip signature 1f 8b (RFC 1952). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * True when the bytes look like an HTML page: optional UTF-8 BOM and whitespace, then `<`
 * (`<!doctype html>`, `<html>`, `<!-- … -->`). An IDX file starts with 00 00 08, never with `<`.
 * This is what a missing file under an SPA fallback (Vite dev) looks like: index.html with status 200.
 */
export function looksLikeHtml(bytes: Uint8Array): boolean {
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  // Whitespace as HTML defines it: space, \t, \n, \f, \r.
  while (
    i < bytes.length &&
    (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0c || bytes[i] === 0x0d)
  ) {
    i++;
  }
  return i < bytes.length && bytes[i] === 0x3c; // '<'
}

function u32(bytes: Uint8Array, offset: number): number {
  // Big-endian, unsigned: >>> 0 keeps values ≥ 2^31 positive.
  return (
    ((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]) >>> 0
  );
}

function writeU32(out: Uint8Array, offset: number, value: number): void {
  out[offset] = (value >>> 24) & 0xff;
  out[offset + 1] = (value >>> 16) & 0xff;
  out[offset + 2] = (value >>> 8) & 0xff;
  out[offset + 3] = value & 0xff;
}

function describe(kind: 'images' | 'labels'): string {
  return kind === 'images' ? 'an IDX image file' : 'an IDX label file';
}

/**
 * The checks both parsers share, in the order that gives the most useful message: HTML, gzip, too
 * short for a header, wrong magic (naming the other IDX kind when that is what arrived).
 */
function checkHeader(bytes: Uint8Array, file: string, kind: 'images' | 'labels'): void {
  const expected = kind === 'images' ? IDX_IMAGES_MAGIC : IDX_LABELS_MAGIC;
  const headerBytes = kind === 'images' ? IMAGES_HEADER_BYTES : LABELS_HEADER_BYTES;
  if (looksLikeHtml(bytes)) {
    throw new DataError(
      'html-not-idx',
      file,
      `${file}: the server sent an HTML page where IDX data was expected — the file is probably missing; ` +
        'run `npm run prepare-data`.',
    );
  }
  if (isGzip(bytes)) {
    throw new DataError(
      'bad-magic',
      file,
      `${file} is still gzip-compressed where raw IDX bytes were expected — decompress it before parsing.`,
    );
  }
  if (bytes.length < 4) {
    throw new DataError(
      'truncated',
      file,
      `${file} is cut short: ${formatBytes(bytes.length)}, not even an IDX header (${headerBytes} bytes).`,
    );
  }
  const magic = u32(bytes, 0);
  if (magic !== expected) {
    const other = kind === 'images' ? IDX_LABELS_MAGIC : IDX_IMAGES_MAGIC;
    const what =
      magic === other
        ? `it is ${describe(kind === 'images' ? 'labels' : 'images')} (magic ${other}) — the files are swapped`
        : `it starts with 0x${magic.toString(16).padStart(8, '0')} instead of the magic number ${expected}`;
    throw new DataError(
      'bad-magic',
      file,
      `${file} is not ${describe(kind)}: ${what}. Run \`npm run prepare-data\` to rebuild the data.`,
    );
  }
  if (bytes.length < headerBytes) {
    throw new DataError(
      'truncated',
      file,
      `${file} is cut short: ${formatBytes(bytes.length)}, shorter than its ${headerBytes}-byte IDX header.`,
    );
  }
}

/** Payload length check shared by both parsers: exactly what the header promises. */
function checkLength(bytes: Uint8Array, file: string, expectedTotal: number, what: string): void {
  if (bytes.length < expectedTotal) {
    throw new DataError(
      'truncated',
      file,
      `${file} is cut short (${formatPart(bytes.length, expectedTotal)}): its header promises ${what}. ` +
        'Run `npm run prepare-data` to rebuild it.',
    );
  }
  if (bytes.length > expectedTotal) {
    throw new DataError(
      'size-mismatch',
      file,
      `${file} has ${formatCount(bytes.length)} bytes but its header promises ${what} ` +
        `(${formatCount(expectedTotal)} bytes): the header and the data disagree.`,
    );
  }
}

/**
 * Parses an IDX image file (magic 2051).
 * @param bytes the decompressed file
 * @param file the name used in error messages
 * @returns `images` [count, rows·cols] as a view into `bytes` (byteOffset 16, no copy)
 */
export function parseIdxImages(bytes: Uint8Array, file: string): IdxImages {
  checkHeader(bytes, file, 'images');
  const count = u32(bytes, 4);
  const rows = u32(bytes, 8);
  const cols = u32(bytes, 12);
  if (rows === 0 || cols === 0 || rows > MAX_SIDE || cols > MAX_SIDE) {
    throw new DataError(
      'bad-magic',
      file,
      `${file} has an impossible IDX header: images of ${rows}×${cols} pixels.`,
    );
  }
  const expectedTotal = IMAGES_HEADER_BYTES + count * rows * cols;
  checkLength(bytes, file, expectedTotal, `${formatCount(count)} images of ${rows}×${cols}`);
  return { images: bytes.subarray(IMAGES_HEADER_BYTES), count, rows, cols };
}

/**
 * Parses an IDX label file (magic 2049); every label must be 0–9.
 * @returns `labels` [count] as a view into `bytes` (byteOffset 8, no copy)
 */
export function parseIdxLabels(bytes: Uint8Array, file: string): IdxLabels {
  checkHeader(bytes, file, 'labels');
  const count = u32(bytes, 4);
  checkLength(bytes, file, LABELS_HEADER_BYTES + count, `${formatCount(count)} labels`);
  const labels = bytes.subarray(LABELS_HEADER_BYTES);
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= NUM_CLASSES) {
      throw new DataError(
        'label-out-of-range',
        file,
        `${file}: label ${labels[i]} at record ${formatCount(i)} is outside 0–9 — the file is damaged or ` +
          'not a 10-class label file.',
      );
    }
  }
  return { labels, count };
}

/**
 * Pairs an image file with its label file into a `Split`.
 * @throws DataError 'count-mismatch' (naming both files, `file` = the image file) when the counts differ
 */
export function makeSplit(
  images: IdxImages,
  labels: IdxLabels,
  files: { images: string; labels: string },
): Split {
  if (images.count !== labels.count) {
    throw new DataError(
      'count-mismatch',
      files.images,
      `${files.images} has ${formatCount(images.count)} images but ${files.labels} has ` +
        `${formatCount(labels.count)} labels — they do not belong together. Run \`npm run prepare-data\`.`,
    );
  }
  return {
    images: images.images,
    labels: labels.labels,
    count: images.count,
    rows: images.rows,
    cols: images.cols,
  };
}

/**
 * Writes an IDX image file: the 16-byte header, then `pixels` [count, rows·cols] as they are.
 * Used by scripts/prepare-data.ts and by tests to build fixtures.
 */
export function encodeIdxImages(pixels: Uint8Array, count: number, rows: number, cols: number): Uint8Array {
  if (pixels.length !== count * rows * cols) {
    throw new RangeError(`encodeIdxImages: ${pixels.length} pixels ≠ ${count}·${rows}·${cols}`);
  }
  const out = new Uint8Array(IMAGES_HEADER_BYTES + pixels.length);
  writeU32(out, 0, IDX_IMAGES_MAGIC);
  writeU32(out, 4, count);
  writeU32(out, 8, rows);
  writeU32(out, 12, cols);
  out.set(pixels, IMAGES_HEADER_BYTES);
  return out;
}

/** Writes an IDX label file: the 8-byte header, then one byte per label (not range-checked: tests need bad ones). */
export function encodeIdxLabels(labels: Uint8Array): Uint8Array {
  const out = new Uint8Array(LABELS_HEADER_BYTES + labels.length);
  writeU32(out, 0, IDX_LABELS_MAGIC);
  writeU32(out, 4, labels.length);
  out.set(labels, LABELS_HEADER_BYTES);
  return out;
}
