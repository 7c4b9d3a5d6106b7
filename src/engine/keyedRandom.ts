/**
 * Keyed randomness: a random number that is a pure function of a key — (seed, epoch, the sample's position
 * in the epoch, layer, unit) for a dropout mask, (seed, epoch, position, …) for an augmentation — rather
 * than the next value of a stream. Why: a stream's n-th value depends on who drew before it, so a step cut
 * into chunks on 1, 2 or 3 threads (stepPlan.ts) would draw different masks; a key gives every row the same
 * mask whichever thread trains it, and One step can recompute the mask of the batch it explains.
 *
 * Integer maths only (`Math.imul`, `^`, `>>>`), so every engine gives the same bits. The mixer is
 * murmur3's 32-bit finaliser applied after folding each key word in with a multiply (as in
 * xxHash/murmur's block step): every output bit depends on every input bit.
 */

/** One word folded into a running hash. */
function fold(h: number, word: number): number {
  let k = Math.imul(word | 0, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** murmur3's finaliser: avalanches the folded state. */
function finalise(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uint32 from up to five integer key words (only their low 32 bits count). */
export function keyedUint32(a: number, b: number, c = 0, d = 0, e = 0): number {
  let h = 0x2545f491;
  h = fold(h, a);
  h = fold(h, b);
  h = fold(h, c);
  h = fold(h, d);
  h = fold(h, e);
  return finalise(h ^ 20);
}

/**
 * The hash of four key words, to be finished by {@link keyedFromPrefix} with a fifth: a dropout mask hashes
 * (seed, epoch, position, layer) once per row and then only the unit per value — the same bits as
 * keyedUint32(a, b, c, d, e).
 */
export function keyPrefix(a: number, b: number, c: number, d: number): number {
  let h = 0x2545f491;
  h = fold(h, a);
  h = fold(h, b);
  h = fold(h, c);
  return fold(h, d);
}

/** keyedUint32(a, b, c, d, e) from keyPrefix(a, b, c, d). */
export function keyedFromPrefix(prefix: number, e: number): number {
  return finalise(fold(prefix, e) ^ 20);
}

/** 2^-32: maps a uint32 to [0, 1). */
const INV_2_32 = 1 / 4294967296;

/** A uniform value in [0, 1) keyed by the words. */
export function keyedUniform(a: number, b: number, c = 0, d = 0, e = 0): number {
  return keyedUint32(a, b, c, d, e) * INV_2_32;
}

/**
 * A small seeded generator for one keyed draw of many values (an augmentation's field of 784 offsets):
 * splitmix32 from a keyed start. Integer-only, so the same bits on every engine.
 */
export class KeyedStream {
  private state: number;

  constructor(a: number, b: number, c = 0, d = 0, e = 0) {
    this.state = keyedUint32(a, b, c, d, e) | 0;
  }

  /** Uniform integer in [0, 2^32). */
  nextUint32(): number {
    this.state = (this.state + 0x9e3779b9) | 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() * INV_2_32;
  }

  /** Uniform float in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
}
