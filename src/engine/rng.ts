/**
 * A seeded pseudo-random generator: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit
 * state, passes PractRand) seeded through splitmix32.
 *
 * Why not Math.random: it cannot be seeded, and a shared link must reproduce a run bit for bit. Why
 * integer maths only: `Math.imul`, `|`, `>>>` are exact on every engine, so Node and every browser produce
 * the same stream. `normal()` uses Math.log/sqrt/cos; V8 (Node, Chromium) implements those with the same
 * fdlibm port everywhere, so the normal stream matches across V8 hosts; other engines may differ in the
 * last ulp of a few values.
 */

/** splitmix32 step: a well-mixed 32-bit output from a 32-bit counter (used only for seeding). */
function splitmix32(state: number): [next: number, out: number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [next, z >>> 0];
}

/** 2^-32: maps a uint32 to [0, 1). */
const INV_2_32 = 1 / 4294967296;

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** @param seed any number; only its low 32 bits (as an integer) matter. */
  constructor(seed: number) {
    let s = (Math.trunc(seed) | 0) >>> 0;
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [next, out] = splitmix32(s);
      s = next;
      words.push(out | 0);
    }
    this.a = words[0]!;
    this.b = words[1]!;
    this.c = words[2]!;
    this.d = words[3]! | 1; // d is sfc32's counter; any value works, odd avoids an all-zero state
    // Discard the first outputs: sfc32's authors recommend a short warm-up after seeding.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** Uniform integer in [0, 2^32). */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1) with 32 random bits. */
  next(): number {
    return this.nextUint32() * INV_2_32;
  }

  /**
   * Standard normal N(0, 1) by Box–Muller: sqrt(−2 ln u1) · cos(2π u2), u1 ∈ (0, 1].
   * One value per call (the sine twin is discarded) so the state stays four integers — simple to save.
   */
  normal(): number {
    const u1 = 1 - this.next(); // (0, 1]: log never sees 0
    const u2 = this.next();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Uniform integer in [0, n) for 1 ≤ n ≤ 2^32, unbiased (rejection of the short last bucket). */
  nextInt(n: number): number {
    if (n <= 1) return 0;
    const limit = 4294967296 - (4294967296 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /** Fisher–Yates shuffle in place: every permutation equally likely. */
  shuffle(a: Uint32Array): void {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
  }

  /** The whole state as four int32s: JSON-safe, restores the exact stream with `Rng.fromState`. */
  getState(): number[] {
    return [this.a, this.b, this.c, this.d];
  }

  static fromState(s: readonly number[]): Rng {
    if (s.length !== 4 || !s.every((v) => Number.isInteger(v))) {
      throw new Error('Rng.fromState: expected four integers');
    }
    const r = new Rng(0);
    r.a = s[0]! | 0;
    r.b = s[1]! | 0;
    r.c = s[2]! | 0;
    r.d = s[3]! | 0;
    return r;
  }
}

/**
 * A seed derived from a base seed and a stream index (e.g. the epoch), so independent streams — weight
 * init, the shuffle of epoch 7 — can be recreated without replaying the others.
 */
export function deriveSeed(seed: number, stream: number): number {
  let h = Math.imul((Math.trunc(seed) | 0) ^ 0x5bd1e995, 0x9e3779b1);
  h ^= Math.imul((Math.trunc(stream) | 0) + 0x7f4a7c15, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 15), 0xc2b2ae35);
  return (h ^ (h >>> 13)) >>> 0;
}
