import { describe, expect, it } from 'vitest';
import {
  AUGMENTS,
  Augmenter,
  describeAugment,
  type Augment,
  type AugmentKey,
} from '../../src/engine/augment.ts';

const W = 28;
const N = W * W;
const KEY: AugmentKey = { seed: 42, epoch: 3, firstPosition: 1000 };
const SAMPLED: Augment[] = ['affine', 'elastic', 'affine+elastic'];
const MIN_SCALE_SQ = 0.85 ** 2;
const MAX_SCALE_SQ = 1.15 ** 2;

/**
 * A '9'-like synthetic digit in MNIST's style: an anti-aliased ring (radius `radius`, stroke ±1.25 px) about
 * (cx, cy) and, unless `stem` is false, a stem down its right side; values in [0, 1], ~85 % exact zeros.
 */
function digit(cx = 13.5, cy = 11.5, radius = 4.5, stem = true): Float32Array {
  const img = new Float32Array(N);
  for (let y = 0; y < W; y++) {
    for (let x = 0; x < W; x++) {
      const ring = 1.25 - Math.abs(Math.hypot(x - cx, y - cy) - radius);
      const bar = stem && y >= cy && y <= cy + 9 ? 1.25 - Math.abs(x - (cx + radius)) : -1;
      const v = Math.max(ring, bar);
      img[y * W + x] = v <= 0 ? 0 : Math.min(1, Math.round(v * 255) / 255);
    }
  }
  return img;
}

/** `count` copies of `img` in one block. */
function block(img: Float32Array, count: number): Float32Array {
  const x = new Float32Array(count * N);
  for (let r = 0; r < count; r++) x.set(img, r * N);
  return x;
}

/** One image's bits, so +0/−0 and NaN compare exactly. */
const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

function ink(img: Float32Array): number {
  let s = 0;
  for (const v of img) s += v;
  return s;
}

function centroid(img: Float32Array): [number, number] {
  let s = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < N; i++) {
    s += img[i]!;
    sx += img[i]! * (i % W);
    sy += img[i]! * Math.floor(i / W);
  }
  return [sx / s, sy / s];
}

/** img translated by (dx, dy) whole pixels, zero-filled: out(x, y) = img(x − dx, y − dy). */
function translate(img: Float32Array, dx: number, dy: number): Float32Array {
  const out = new Float32Array(N);
  for (let y = 0; y < W; y++) {
    for (let x = 0; x < W; x++) {
      const sx = x - dx;
      const sy = y - dy;
      if (sx >= 0 && sx < W && sy >= 0 && sy < W) out[y * W + x] = img[sy * W + sx]!;
    }
  }
  return out;
}

/** Every "dx,dy" in [−2, 2]² whose translation of img has exactly out's bits. */
function matchingShifts(out: Float32Array, img: Float32Array): string[] {
  const matches: string[] = [];
  const want = bits(out).join();
  for (let dy = -2; dy <= 2; dy++) {
    for (let dx = -2; dx <= 2; dx++)
      if (bits(translate(img, dx, dy)).join() === want) matches.push(`${dx},${dy}`);
  }
  return matches;
}

const zeros = (img: Float32Array) => img.filter((v) => v === 0).length;

/** Augments `count` copies of `img` (positions firstPosition…) and returns each row. */
function augmentCopies(kind: Augment, img: Float32Array, count: number, key = KEY): Float32Array[] {
  const x = block(img, count);
  new Augmenter(kind).apply(x, count, key);
  return Array.from({ length: count }, (_, r) => x.subarray(r * N, (r + 1) * N));
}

describe('Augmenter', () => {
  it("'none' leaves every bit unchanged", () => {
    const x = block(digit(), 5);
    const before = bits(x);
    new Augmenter('none').apply(x, 5, KEY);
    expect(bits(x)).toEqual(before);
  });

  it.each(AUGMENTS.filter((k) => k !== 'none'))(
    '%s changes most images and keeps them finite in [0, 1]',
    (kind) => {
      const img = digit();
      const rows = augmentCopies(kind, img, 20);
      const changed = rows.filter((r) => bits(r).some((b, i) => b !== bits(img)[i])).length;
      expect(changed).toBeGreaterThanOrEqual(17); // shift keeps an image with probability 1/25
      for (const r of rows) {
        expect(r.length).toBe(N);
        for (const v of r) expect(Number.isFinite(v) && v >= 0 && v <= 1).toBe(true);
      }
    },
  );

  it.each(AUGMENTS)('%s: the same key gives the same bits; another epoch or seed other bits', (kind) => {
    const img = digit();
    const a = bits(augmentCopies(kind, img, 4)[2]!);
    expect(bits(augmentCopies(kind, img, 4)[2]!)).toEqual(a);
    if (kind === 'none') return;
    // Rows 0…3 at epoch 4 or seed 43: at least one of them must differ from epoch 3's (shift can tie).
    const other = [
      { ...KEY, epoch: KEY.epoch + 1 },
      { ...KEY, seed: KEY.seed + 1 },
    ];
    const base = augmentCopies(kind, img, 4).map(bits);
    for (const key of other) {
      const moved = augmentCopies(kind, img, 4, key).map(bits);
      expect(moved.some((m, r) => m.some((b, i) => b !== base[r]![i]))).toBe(true);
    }
  });

  it.each(AUGMENTS)('%s: a block of 10 rows equals 10 blocks of 1 row at positions p…p+9', (kind) => {
    // Different images per row, so a row taking another's draw or pixels would show.
    const imgs = Array.from({ length: 10 }, (_, r) => digit(12 + (r % 4), 10 + (r % 3), 4 + (r % 2)));
    const together = new Float32Array(10 * N);
    imgs.forEach((img, r) => together.set(img, r * N));
    const augmenter = new Augmenter(kind);
    augmenter.apply(together, 10, KEY);
    for (let r = 0; r < 10; r++) {
      const alone = Float32Array.from(imgs[r]!);
      // Reused augmenter, fresh one: the scratch must not carry anything from row to row.
      (r % 2 === 0 ? augmenter : new Augmenter(kind)).apply(alone, 1, {
        ...KEY,
        firstPosition: KEY.firstPosition + r,
      });
      expect(bits(alone)).toEqual(bits(together.subarray(r * N, (r + 1) * N)));
    }
  });

  it('pins the bits of each kind (a change to the draws or the maths would show here)', () => {
    // Recorded from this implementation in Node. The draws are integer hashes, but Math.sin, cos and exp
    // are not correctly rounded: another JS engine may differ in the last bit of affine or elastic pixels.
    const hashes = Object.fromEntries(
      AUGMENTS.map((kind) => {
        const x = block(digit(), 4);
        new Augmenter(kind).apply(x, 4, KEY);
        let h = 0x811c9dc5;
        for (const b of bits(x)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
        return [kind, h];
      }),
    );
    expect(hashes).toMatchInlineSnapshot(`
      {
        "affine": 4168279729,
        "affine+elastic": 2003075493,
        "elastic": 3179221612,
        "none": 2701745741,
        "shift": 2980374365,
      }
    `);
  });

  it('augments only the rows it is given', () => {
    const x = block(digit(), 3);
    const before = bits(x.subarray(2 * N));
    new Augmenter('affine+elastic').apply(x, 2, KEY);
    expect(bits(x.subarray(2 * N))).toEqual(before);
    expect(() => new Augmenter('shift').apply(x, 4, KEY)).toThrow(RangeError);
  });

  it('shift is an exact translation by some (dx, dy) in [−2, 2]², all 25 of them drawn', () => {
    const img = digit();
    const seen = new Set<string>();
    for (const out of augmentCopies('shift', img, 300)) {
      const matches = matchingShifts(out, img);
      expect(matches).toHaveLength(1);
      seen.add(matches[0]!);
      // The digit is more than 2 px from every border: no ink is lost.
      expect(ink(out)).toBeCloseTo(ink(img), 9);
    }
    expect(seen.size).toBe(25);
  });

  it('shift zero-fills the pixels it moves in', () => {
    // An all-ink image: every shift leaves a distinct band of zeros along two edges.
    const full = new Float32Array(N).fill(1);
    const seen = new Set<string>();
    for (const out of augmentCopies('shift', full, 100)) {
      const matches = matchingShifts(out, full);
      expect(matches).toHaveLength(1);
      seen.add(matches[0]!);
    }
    expect(seen.size).toBeGreaterThan(15);
  });

  it('affine moves the ink centroid by at most the ±3 px translation and scales the ink by s² ∈ [0.85², 1.15²]', () => {
    // A ring about the image centre: rotation, scale and shear (all about the centre) leave its centroid
    // there, so the centroid moves by the translation alone; and even the largest draw keeps it inside.
    const img = digit(13.5, 13.5, 4.5, false);
    const [cx0, cy0] = centroid(img);
    const mass = ink(img);
    let sumDx = 0;
    let sumDy = 0;
    let maxDisp = 0;
    let sumRatio = 0;
    const rows = augmentCopies('affine', img, 200);
    for (const out of rows) {
      const [cx, cy] = centroid(out);
      expect(Math.abs(cx - cx0)).toBeLessThan(3 + 0.1);
      expect(Math.abs(cy - cy0)).toBeLessThan(3 + 0.1);
      sumDx += cx - cx0;
      sumDy += cy - cy0;
      maxDisp = Math.max(maxDisp, Math.abs(cx - cx0), Math.abs(cy - cy0));
      // Area scales by det A = s²; bilinear sampling and the zeroed leakage cost a little.
      const ratio = ink(out) / mass;
      expect(ratio).toBeGreaterThan(MIN_SCALE_SQ - 0.02);
      expect(ratio).toBeLessThan(MAX_SCALE_SQ + 0.02);
      sumRatio += ratio;
    }
    // The translation is uniform on ±3: mean 0 (standard error ~0.12), and some draws near its ends.
    expect(Math.abs(sumDx / rows.length)).toBeLessThan(0.5);
    expect(Math.abs(sumDy / rows.length)).toBeLessThan(0.5);
    expect(maxDisp).toBeGreaterThan(2.5);
    // E[s²] for s uniform on [0.85, 1.15] is 1 + 0.15²/3 ≈ 1.0075.
    expect(Math.abs(sumRatio / rows.length - 1.0075)).toBeLessThan(0.03);
  });

  it('elastic moves pixels by a plausible amount and keeps the digit where it was', () => {
    // Displacements have an RMS of ~0.9 px per axis and vary smoothly (σ = 6 px): the digit bends, locally
    // stretched or squeezed (its ink by up to ~×2 either way), but stays in place on average.
    const img = digit(13.5, 13.5, 4.5);
    const [cx0, cy0] = centroid(img);
    const mass = ink(img);
    let sumChange = 0;
    let sumMove = 0;
    let sumRatio = 0;
    const rows = augmentCopies('elastic', img, 200);
    for (const out of rows) {
      let change = 0;
      for (let i = 0; i < N; i++) change += Math.abs(out[i]! - img[i]!);
      expect(change).toBeGreaterThan(0);
      sumChange += change / mass;
      const [cx, cy] = centroid(out);
      const move = Math.hypot(cx - cx0, cy - cy0);
      expect(move).toBeLessThan(4);
      sumMove += move;
      sumRatio += ink(out) / mass;
    }
    // Relative to the ink: clearly changed (a 1 px shift of this digit changes ~0.9 of it), not scrambled.
    expect(sumChange / rows.length).toBeGreaterThan(0.5);
    expect(sumChange / rows.length).toBeLessThan(1.6);
    expect(sumMove / rows.length).toBeGreaterThan(0.5);
    expect(sumMove / rows.length).toBeLessThan(2);
    expect(Math.abs(sumRatio / rows.length - 1)).toBeLessThan(0.1);
  });

  it.each(AUGMENTS)('%s keeps an MNIST-like digit sparse: at least 70 percent exact zeros', (kind) => {
    const img = digit();
    expect(zeros(img) / N).toBeGreaterThan(0.8);
    for (const out of augmentCopies(kind, img, 50)) {
      expect(zeros(out) / N).toBeGreaterThanOrEqual(0.7);
      for (const v of out) expect(v === 0 || v >= 0.5 / 255).toBe(true);
    }
  });

  it.each(SAMPLED)('%s works on other image sizes', (kind) => {
    const x = new Float32Array(2 * 20 * 12).fill(0.5);
    new Augmenter(kind, 20, 12).apply(x, 2, KEY);
    for (const v of x) expect(Number.isFinite(v) && v >= 0 && v <= 1).toBe(true);
    expect(x.some((v) => v !== 0.5)).toBe(true);
  });

  it('rejects an unknown kind or size', () => {
    expect(() => new Augmenter('rotate' as Augment)).toThrow(/unknown augmentation/);
    expect(() => new Augmenter('shift', 0, 28)).toThrow(/positive integers/);
  });
});

describe('describeAugment', () => {
  it('has a short sentence for every kind', () => {
    for (const kind of AUGMENTS) {
      const s = describeAugment(kind);
      expect(s.length).toBeGreaterThan(10);
      expect(s.length).toBeLessThan(120);
    }
    expect(describeAugment('shift')).toBe('Each image is moved by up to ±2 px');
    expect(new Set(AUGMENTS.map(describeAugment)).size).toBe(AUGMENTS.length);
  });
});
