/** My digits: the halves, merging, and the zip file — written and read back, and every bad file refused by name. */
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DataError, type DataErrorKind } from '../../src/data/errors';
import { sha256HexSync } from '../../src/data/gunzip';
import { encodeIdxImages, encodeIdxLabels } from '../../src/data/idx';
import {
  assignHalf,
  countsByClass,
  halfSplit,
  MAX_MY_DIGITS,
  mergeDigits,
  type MyDigit,
} from '../../src/data/myDigits';
import { decodeMyDigits, encodeMyDigits } from '../../src/data/myDigitsFile';

const NAMES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

function digit(label: number, seed: number, half: MyDigit['half'] = 'teach'): MyDigit {
  const pixels = new Uint8Array(784);
  for (let i = 0; i < 784; i++) pixels[i] = (i * 31 + seed * 17) % 7 === 0 ? 255 : 0;
  return {
    id: `d${seed}`,
    dataset: 'mnist',
    label,
    half,
    pixels,
    strokes: [
      [
        { x: 0.5, y: 0.1 + seed / 1000 },
        { x: 0.5, y: 0.9 },
      ],
    ],
    savedAt: 1_700_000_000_000 + seed,
  };
}

describe('assignHalf', () => {
  it('alternates per class: the first teaches, the second tests, the third teaches', () => {
    const kept: Pick<MyDigit, 'label' | 'half'>[] = [];
    const halves = [3, 3, 3, 7, 3, 7].map((label) => {
      const half = assignHalf(kept, label);
      kept.push({ label, half });
      return half;
    });
    expect(halves).toEqual(['teach', 'test', 'teach', 'teach', 'test', 'test']);
  });

  it('refills the half a deletion emptied, never moving a kept digit', () => {
    expect(assignHalf([{ label: 1, half: 'test' }], 1)).toBe('teach');
    expect(
      assignHalf(
        [
          { label: 1, half: 'teach' },
          { label: 1, half: 'teach' },
        ],
        1,
      ),
    ).toBe('test');
  });

  it('counts and splits by half', () => {
    const ds = [digit(2, 1, 'teach'), digit(2, 2, 'test'), digit(5, 3, 'teach')];
    expect(countsByClass(ds, 10).teach).toEqual([0, 0, 1, 0, 0, 1, 0, 0, 0, 0]);
    expect(countsByClass(ds, 10).test).toEqual([0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    const teach = halfSplit(ds, 'teach');
    expect(teach.count).toBe(2);
    expect([...teach.labels]).toEqual([2, 5]);
    expect([...teach.images.subarray(784, 1568)]).toEqual([...ds[2]!.pixels]);
  });
});

describe('mergeDigits', () => {
  it('skips an image already there, keeps the label and half of the rest, gives new ids', () => {
    let n = 0;
    const current = [digit(1, 1)];
    const incoming = [digit(1, 1), digit(4, 2, 'test')];
    const r = mergeDigits(current, incoming, () => `new${n++}`);
    expect(r.added).toBe(1);
    expect(r.skipped).toBe(1);
    expect(r.digits.map((d) => [d.id, d.label, d.half])).toEqual([
      ['d1', 1, 'teach'],
      ['new0', 4, 'test'],
    ]);
  });
});

describe('the zip file', () => {
  const digits = [digit(0, 1, 'teach'), digit(0, 2, 'test'), digit(9, 3, 'teach')];

  it('round-trips pixels, labels, halves, strokes and times', () => {
    const zip = encodeMyDigits(digits, 'mnist', NAMES);
    const back = decodeMyDigits(zip, 'mine.zip', 10);
    expect(back.dataset).toBe('mnist');
    expect(back.classNames).toEqual(NAMES);
    expect(back.digits.map((d) => [d.label, d.half, d.savedAt])).toEqual(
      digits.map((d) => [d.label, d.half, d.savedAt]),
    );
    back.digits.forEach((d, i) => {
      expect([...d.pixels]).toEqual([...digits[i]!.pixels]);
      // Strokes are kept to 1/10,000 of the drawing surface.
      d.strokes.flat().forEach((p, k) => {
        const q = digits[i]!.strokes.flat()[k]!;
        expect(p.x).toBeCloseTo(q.x, 4);
        expect(p.y).toBeCloseTo(q.y, 4);
      });
    });
  });

  it('holds standard IDX files a reader of MNIST can open, and their SHA-256 in the manifest', () => {
    const entries = unzipSync(encodeMyDigits(digits, 'mnist', NAMES));
    const images = entries['images-idx3-ubyte']!;
    expect([...images.subarray(0, 16)]).toEqual([0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 28, 0, 0, 0, 28]);
    const manifest = JSON.parse(new TextDecoder().decode(entries['manifest.json']!));
    expect(manifest.count).toBe(3);
    expect(manifest.split).toEqual(['teach', 'test', 'teach']);
    expect(manifest.files[0].sha256).toBe(sha256HexSync(images));
  });

  /** A zip made of `digits`, then with `patch` applied to its entries. */
  function tampered(patch: (e: Record<string, Uint8Array>) => void): Uint8Array {
    const entries = unzipSync(encodeMyDigits(digits, 'mnist', NAMES));
    patch(entries);
    return zipSync(entries);
  }
  const manifestOf = (e: Record<string, Uint8Array>) =>
    JSON.parse(new TextDecoder().decode(e['manifest.json']!)) as Record<string, unknown>;
  /** Replaces an IDX entry and updates its hash, so the fault under test is the one reported. */
  function withEntry(name: string, bytes: Uint8Array, count = 3) {
    return tampered((e) => {
      e[name] = bytes;
      const m = manifestOf(e);
      m.count = count;
      m.split = Array.from({ length: count }, () => 'teach');
      (m.files as { name: string; sha256: string }[]).find((f) => f.name === name)!.sha256 =
        sha256HexSync(bytes);
      e['manifest.json'] = strToU8(JSON.stringify(m));
    });
  }

  function refused(bytes: Uint8Array, kind: DataErrorKind, message: RegExp): void {
    let caught: unknown;
    try {
      decodeMyDigits(bytes, 'mine.zip', 10);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DataError);
    expect((caught as DataError).kind).toBe(kind);
    expect((caught as DataError).message).toMatch(/mine\.zip/);
    expect((caught as DataError).message).toMatch(message);
  }

  it('refuses what is not a zip', () => {
    refused(strToU8('hello, not a zip'), 'not-zip', /is not a zip file/);
  });

  it('refuses a zip without the entries', () => {
    refused(zipSync({ 'other.txt': strToU8('x') }), 'bad-manifest', /has no manifest\.json/);
  });

  it('refuses an IDX with a wrong magic', () => {
    const bad = encodeIdxImages(new Uint8Array(3 * 784), 3, 28, 28);
    bad[3] = 4;
    refused(withEntry('images-idx3-ubyte', bad), 'bad-magic', /images-idx3-ubyte/);
  });

  it('refuses sizes that disagree: a payload cut short, images of another size, counts apart', () => {
    const short = encodeIdxImages(new Uint8Array(3 * 784), 3, 28, 28).subarray(0, 16 + 2 * 784);
    refused(withEntry('images-idx3-ubyte', short), 'truncated', /images-idx3-ubyte/);
    const small = encodeIdxImages(new Uint8Array(3 * 100), 3, 10, 10);
    refused(withEntry('images-idx3-ubyte', small), 'size-mismatch', /10×10/);
    const fewer = encodeIdxLabels(new Uint8Array([0, 1]));
    refused(withEntry('labels-idx1-ubyte', fewer), 'count-mismatch', /labels/);
  });

  it('refuses a label outside the classes', () => {
    refused(
      withEntry('labels-idx1-ubyte', encodeIdxLabels(new Uint8Array([0, 12, 1]))),
      'label-out-of-range',
      /12/,
    );
    // Fewer classes than the file's labels reach (decoded for a 5-class set).
    const zip = encodeMyDigits(digits, 'mnist', NAMES);
    expect(() => decodeMyDigits(zip, 'mine.zip', 5)).toThrow(/class names/);
  });

  it('refuses more than 10,000 digits, before reading them', () => {
    const header = encodeIdxImages(new Uint8Array(0), 0, 28, 28);
    new DataView(header.buffer).setUint32(4, MAX_MY_DIGITS + 1);
    refused(withEntry('images-idx3-ubyte', header), 'too-many', /10000|10,000/);
    refused(
      tampered((e) => {
        const m = manifestOf(e);
        m.count = MAX_MY_DIGITS + 1;
        e['manifest.json'] = strToU8(JSON.stringify(m));
      }),
      'too-many',
      /at most 10000/,
    );
  });

  it('refuses a hash that does not match (an IDX edited after export)', () => {
    refused(
      tampered((e) => {
        e['labels-idx1-ubyte']![8] = 3;
      }),
      'hash-mismatch',
      /labels-idx1-ubyte is not the file its manifest describes/,
    );
  });

  it('refuses a manifest of another format, and strokes that do not fit', () => {
    refused(
      tampered((e) => {
        e['manifest.json'] = strToU8(JSON.stringify({ ...manifestOf(e), format: 'x' }));
      }),
      'bad-manifest',
      /not a collection of digits/,
    );
    refused(
      tampered((e) => {
        e['strokes.json'] = strToU8('[]');
      }),
      'bad-manifest',
      /strokes\.json must hold one entry per digit/,
    );
  });
});
