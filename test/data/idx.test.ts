import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

import { DataError, isDataErrorData, type DataErrorKind } from '../../src/data/errors';
import { gunzip, maybeGunzip, sha256Hex, sha256HexSync } from '../../src/data/gunzip';
import {
  encodeIdxImages,
  encodeIdxLabels,
  isGzip,
  looksLikeHtml,
  makeSplit,
  parseIdxImages,
  parseIdxLabels,
} from '../../src/data/idx';
import { parseManifest } from '../../src/data/manifest';
import { buildFixtures, FIXTURES_DIR, VALID, validPixels } from '../fixtures/make-fixtures';

function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(FIXTURES_DIR, 'idx', name)));
}

/** Runs `fn`, expects a DataError of `kind` whose `file` and message both name `file`. */
async function expectDataError(fn: () => unknown, kind: DataErrorKind, file: string): Promise<DataError> {
  let caught: unknown;
  try {
    await fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected a DataError '${kind}'`).toBeInstanceOf(DataError);
  const error = caught as DataError;
  expect(error.kind).toBe(kind);
  expect(error.file).toBe(file);
  expect(error.message).toContain(file);
  return error;
}

describe('fixtures', () => {
  it('are exactly what make-fixtures.ts describes (raw files byte for byte, gzip files once decompressed)', () => {
    for (const [rel, expected] of buildFixtures()) {
      const actual = new Uint8Array(readFileSync(path.join(FIXTURES_DIR, rel)));
      if (rel.endsWith('manifest.json')) {
        // gzip sizes may differ between zlib versions; everything else must match.
        const strip = (bytes: Uint8Array) =>
          (JSON.parse(new TextDecoder().decode(bytes)) as { files: { bytes?: number }[] }).files.map(
            ({ bytes: _bytes, ...rest }) => rest,
          );
        expect(strip(actual), rel).toEqual(strip(expected));
      } else if (rel.endsWith('.gz') && !rel.includes('bad-gzip') && !rel.includes('truncated')) {
        expect(gunzipSync(actual), rel).toEqual(gunzipSync(expected));
      } else if (!rel.endsWith('.gz')) {
        expect(actual, rel).toEqual(expected);
      }
    }
  });
});

describe('parseIdxImages', () => {
  it('reads a valid file: header dims and every pixel, as a view without a copy', () => {
    const bytes = fixture('images-valid.idx');
    const parsed = parseIdxImages(bytes, 'images-valid.idx');
    expect(parsed).toMatchObject({ count: VALID.count, rows: VALID.rows, cols: VALID.cols });
    expect(parsed.images).toEqual(validPixels(VALID.count, VALID.rows, VALID.cols));
    expect(parsed.images.buffer).toBe(bytes.buffer);
    expect(parsed.images.byteOffset).toBe(bytes.byteOffset + 16);
  });

  it('reads gzip and raw input alike through maybeGunzip', async () => {
    const gz = fixture('images-valid.idx.gz');
    const raw = fixture('images-valid.idx');
    expect(isGzip(gz)).toBe(true);
    expect(isGzip(raw)).toBe(false);
    const fromGz = parseIdxImages(await maybeGunzip(gz, 'images-valid.idx.gz'), 'images-valid.idx.gz');
    const fromRaw = parseIdxImages(await maybeGunzip(raw, 'images-valid.idx'), 'images-valid.idx');
    expect(fromGz).toEqual(fromRaw);
    expect(fromGz.images).toEqual(validPixels(VALID.count, VALID.rows, VALID.cols));
  });

  it('truncated: the message gives how much arrived of how much', async () => {
    const error = await expectDataError(
      () => parseIdxImages(fixture('images-truncated.idx'), 'images-truncated.idx'),
      'truncated',
      'images-truncated.idx',
    );
    expect(error.message).toContain('86 of 96 bytes');
  });

  it('shorter than the header is truncated too', async () => {
    await expectDataError(
      () => parseIdxImages(fixture('images-header-only.idx'), 'images-header-only.idx'),
      'truncated',
      'images-header-only.idx',
    );
  });

  it('wrong magic', async () => {
    const error = await expectDataError(
      () => parseIdxImages(fixture('images-bad-magic.idx'), 'images-bad-magic.idx'),
      'bad-magic',
      'images-bad-magic.idx',
    );
    expect(error.message).toContain('0x00000804');
    expect(error.message).toContain('2051');
  });

  it('a label file where images are expected says the files are swapped', async () => {
    const error = await expectDataError(
      () => parseIdxImages(fixture('labels-valid.idx'), 'labels-valid.idx'),
      'bad-magic',
      'labels-valid.idx',
    );
    expect(error.message).toContain('swapped');
  });

  it('HTML instead of IDX says so, not "invalid magic"', async () => {
    const error = await expectDataError(
      () => parseIdxImages(fixture('html.idx'), 'html.idx'),
      'html-not-idx',
      'html.idx',
    );
    expect(error.message).toContain('HTML page');
    expect(error.message).not.toMatch(/magic/i);
  });

  it('header count ≠ actual bytes (more payload than the header says)', async () => {
    const error = await expectDataError(
      () => parseIdxImages(fixture('images-size-mismatch.idx'), 'images-size-mismatch.idx'),
      'size-mismatch',
      'images-size-mismatch.idx',
    );
    expect(error.message).toContain('4 images of 4×4');
  });

  it('gzip bytes passed straight to the parser are refused, not read as pixels', async () => {
    await expectDataError(
      () => parseIdxImages(fixture('images-valid.idx.gz'), 'images-valid.idx.gz'),
      'bad-magic',
      'images-valid.idx.gz',
    );
  });
});

describe('parseIdxLabels', () => {
  it('reads a valid file, raw and gzip', async () => {
    const raw = parseIdxLabels(fixture('labels-valid.idx'), 'labels-valid.idx');
    expect(raw.count).toBe(5);
    expect([...raw.labels]).toEqual([...VALID.labels]);
    const gz = parseIdxLabels(await maybeGunzip(fixture('labels-valid.idx.gz'), 'l.gz'), 'l.gz');
    expect([...gz.labels]).toEqual([...VALID.labels]);
  });

  it('label out of range names the label and the record', async () => {
    const error = await expectDataError(
      () => parseIdxLabels(fixture('labels-out-of-range.idx'), 'labels-out-of-range.idx'),
      'label-out-of-range',
      'labels-out-of-range.idx',
    );
    expect(error.message).toContain('label 12 at record 2');
  });

  it('truncated', async () => {
    await expectDataError(
      () => parseIdxLabels(fixture('labels-truncated.idx'), 'labels-truncated.idx'),
      'truncated',
      'labels-truncated.idx',
    );
  });

  it('an image file where labels are expected', async () => {
    await expectDataError(
      () => parseIdxLabels(fixture('images-valid.idx'), 'images-valid.idx'),
      'bad-magic',
      'images-valid.idx',
    );
  });

  it('HTML', async () => {
    await expectDataError(() => parseIdxLabels(fixture('html.idx'), 'html.idx'), 'html-not-idx', 'html.idx');
  });
});

describe('makeSplit', () => {
  it('pairs images and labels', () => {
    const split = makeSplit(
      parseIdxImages(fixture('images-valid.idx'), 'i'),
      parseIdxLabels(fixture('labels-valid.idx'), 'l'),
      { images: 'i', labels: 'l' },
    );
    expect(split).toMatchObject({ count: 5, rows: 4, cols: 4 });
    expect(split.images.length).toBe(5 * 16);
    expect([...split.labels]).toEqual([...VALID.labels]);
  });

  it('image/label count mismatch names both files', async () => {
    const error = await expectDataError(
      () =>
        makeSplit(
          parseIdxImages(fixture('images-valid.idx'), 'images-valid.idx'),
          parseIdxLabels(fixture('labels-count-mismatch.idx'), 'labels-count-mismatch.idx'),
          { images: 'images-valid.idx', labels: 'labels-count-mismatch.idx' },
        ),
      'count-mismatch',
      'images-valid.idx',
    );
    expect(error.message).toContain('labels-count-mismatch.idx');
    expect(error.message).toContain('5 images');
    expect(error.message).toContain('4 labels');
  });
});

describe('gunzip', () => {
  it('damaged gzip data → bad-gzip', async () => {
    await expectDataError(
      () => gunzip(fixture('images-bad-gzip.idx.gz'), 'images-bad-gzip.idx.gz'),
      'bad-gzip',
      'images-bad-gzip.idx.gz',
    );
  });

  it('gzip cut in half → bad-gzip (the loader reports it as truncated first, from the manifest size)', async () => {
    await expectDataError(
      () => gunzip(fixture('images-truncated.idx.gz'), 'images-truncated.idx.gz'),
      'bad-gzip',
      'images-truncated.idx.gz',
    );
  });

  it('decompresses a stream that arrives in several chunks', async () => {
    // 300 kB of non-trivial bytes: DecompressionStream yields it in several chunks.
    const raw = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 2654435761) >>> 24);
    const out = await gunzip(new Uint8Array(gzipSync(raw)), 'big.gz');
    // Buffer.compare, not toEqual: a deep equality over 300,000 elements takes a second.
    expect(out.length).toBe(raw.length);
    expect(Buffer.compare(out, raw)).toBe(0);
  });
});

describe('sha256', () => {
  it('crypto.subtle and the pure-TypeScript fallback agree with node:crypto on the padding edge cases', async () => {
    for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000, 70_001]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 0xff);
      const expected = createHash('sha256').update(bytes).digest('hex');
      expect(sha256HexSync(bytes), `n=${n}`).toBe(expected);
      expect(await sha256Hex(bytes), `n=${n}`).toBe(expected);
    }
    // FIPS 180-4 example "abc".
    expect(sha256HexSync(new TextEncoder().encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

describe('encode → parse round trip', () => {
  it('images and labels survive with their header', () => {
    const pixels = Uint8Array.from({ length: 3 * 28 * 28 }, (_, i) => i % 251);
    const parsed = parseIdxImages(encodeIdxImages(pixels, 3, 28, 28), 'x');
    expect(parsed).toMatchObject({ count: 3, rows: 28, cols: 28 });
    expect(parsed.images).toEqual(pixels);
    expect([...parseIdxLabels(encodeIdxLabels(Uint8Array.from([9, 0, 7])), 'y').labels]).toEqual([9, 0, 7]);
  });

  it('the encoder refuses a pixel count that does not match the dims', () => {
    expect(() => encodeIdxImages(new Uint8Array(10), 1, 3, 3)).toThrow(RangeError);
  });
});

describe('looksLikeHtml', () => {
  it('sees HTML after a BOM and whitespace, and never in IDX bytes', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(looksLikeHtml(enc('<!DOCTYPE html><html>'))).toBe(true);
    expect(looksLikeHtml(Uint8Array.from([0xef, 0xbb, 0xbf, 0x20, 0x0a, 0x3c, 0x68]))).toBe(true);
    expect(looksLikeHtml(fixture('images-valid.idx'))).toBe(false);
    expect(looksLikeHtml(fixture('images-valid.idx.gz'))).toBe(false);
    expect(looksLikeHtml(new Uint8Array(0))).toBe(false);
  });
});

describe('DataError', () => {
  it('crosses a worker boundary as plain data and comes back whole', () => {
    const error = new DataError('truncated', 'a.gz', 'a.gz is cut short (4.1 of 9.9 MB)');
    const posted = structuredClone(error.toData());
    expect(isDataErrorData(posted)).toBe(true);
    expect(posted).toEqual({ kind: 'truncated', file: 'a.gz', message: 'a.gz is cut short (4.1 of 9.9 MB)' });
    const back = DataError.fromData(posted);
    expect(back).toBeInstanceOf(DataError);
    expect(back.toData()).toEqual(posted);
    expect(isDataErrorData({ kind: 'nonsense', file: 'a', message: 'b' })).toBe(false);
  });
});

describe('parseManifest', () => {
  const good = () =>
    JSON.parse(readFileSync(path.join(FIXTURES_DIR, 'data/mnist/manifest.json'), 'utf8')) as Record<
      string,
      unknown
    >;

  it('accepts the fixture manifest and keeps every field', () => {
    const m = parseManifest(good(), 'mnist/manifest.json');
    expect(m.dataset).toBe('mnist');
    expect(m.files.map((f) => f.role)).toEqual([
      'train-images',
      'train-labels',
      'test-images',
      'test-labels',
    ]);
    expect(m.files[0]).toMatchObject({
      name: 'train-images-idx3-ubyte.gz',
      count: 6,
      rawBytes: 16 + 6 * 784,
    });
  });

  it.each([
    ['HTML', '<!doctype html><html></html>', /HTML page/],
    ['not JSON', '{"dataset": ', /not valid JSON/],
    ['unknown dataset', { ...good(), dataset: 'cifar' }, /unknown dataset/],
    ['9 class names', { ...good(), classNames: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] }, /classNames/],
    [
      'a path as a file name',
      (() => {
        const m = good();
        (m.files as { name: string }[])[0].name = '../../etc/passwd';
        return m;
      })(),
      /plain file name/,
    ],
    [
      'a missing role',
      (() => {
        const m = good();
        m.files = (m.files as unknown[]).slice(0, 3);
        return m;
      })(),
      /no file for test-labels/,
    ],
    [
      'a bad hash',
      (() => {
        const m = good();
        (m.files as { sha256: string }[])[1].sha256 = 'XYZ';
        return m;
      })(),
      /sha256/,
    ],
    [
      'a negative size',
      (() => {
        const m = good();
        (m.files as { bytes: number }[])[2].bytes = -1;
        return m;
      })(),
      /bytes/,
    ],
  ])('rejects %s as bad-manifest, naming the file', async (_what, input, pattern) => {
    const error = await expectDataError(
      () => parseManifest(input, 'mnist/manifest.json'),
      'bad-manifest',
      'mnist/manifest.json',
    );
    expect(error.message).toMatch(pattern);
    expect(error.message).toContain('npm run prepare-data');
  });
});
