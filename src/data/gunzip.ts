/**
 * Gunzip and SHA-256 with what browsers, workers and Node ≥ 20 all provide: `DecompressionStream` and
 * `crypto.subtle`. No DOM types here (src/data compiles with lib ES2023 only), so the few members used
 * are declared locally and looked up on `globalThis` at call time — never as global declarations,
 * which would clash with the DOM lib in the app's program.
 *
 * `crypto.subtle` exists only in secure contexts (https, localhost, 127.0.0.1). A static build opened
 * over plain http from another machine has none, so `sha256Hex` falls back to a small pure-TypeScript
 * SHA-256 (FIPS 180-4) rather than skipping the check.
 */

import { DataError, PREPARE_HINT } from './errors';
import { isGzip } from './idx';

interface ByteReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  releaseLock(): void;
}
interface ByteWriter {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
}
interface DecompressionStreamLike {
  readonly readable: { getReader(): ByteReader };
  readonly writable: { getWriter(): ByteWriter };
}
type DecompressionStreamCtor = new (format: 'gzip') => DecompressionStreamLike;
interface SubtleLike {
  digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer>;
}
interface WebGlobals {
  DecompressionStream?: DecompressionStreamCtor;
  crypto?: { subtle?: SubtleLike };
}
const web = globalThis as unknown as WebGlobals;

/** Above this, the gzip trailer's size field is not trusted for preallocation (it may be corrupt). */
const MAX_PREALLOCATE = 256 * 1024 * 1024;

/**
 * Decompresses gzip bytes with `DecompressionStream('gzip')`.
 * @param bytes a complete gzip member (RFC 1952)
 * @param file the name used in error messages
 * @throws DataError 'bad-gzip' when the data does not decompress
 */
export async function gunzip(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  const Ctor = web.DecompressionStream;
  if (Ctor === undefined) {
    throw new DataError(
      'bad-gzip',
      file,
      `${file} is gzip-compressed and this browser cannot decompress it (no DecompressionStream) — ` +
        'use a current Chrome, Firefox or Safari.',
    );
  }
  // The gzip trailer ends with ISIZE = uncompressed length mod 2^32 (little-endian): a size hint that
  // lets us fill one buffer instead of concatenating chunks at the end.
  const n = bytes.length;
  const hint =
    n >= 18 ? (bytes[n - 4] | (bytes[n - 3] << 8) | (bytes[n - 2] << 16) | (bytes[n - 1] << 24)) >>> 0 : 0;
  let out = new Uint8Array(hint > 0 && hint <= MAX_PREALLOCATE ? hint : Math.max(1024, n * 4));
  let length = 0;

  const stream = new Ctor('gzip');
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  // Write and read concurrently: awaiting the write first could stall on backpressure.
  const writing = writer.write(bytes).then(() => writer.close());
  writing.catch(() => undefined); // reported through the reader below
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (value === undefined) continue;
      if (length + value.length > out.length) {
        const grown = new Uint8Array(Math.max(out.length * 2, length + value.length));
        grown.set(out.subarray(0, length));
        out = grown;
      }
      out.set(value, length);
      length += value.length;
    }
    await writing;
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new DataError(
      'bad-gzip',
      file,
      `${file} is damaged: its gzip data does not decompress (${reason}). ${capitalise(PREPARE_HINT)}.`,
      { cause },
    );
  } finally {
    reader.releaseLock();
  }
  return length === out.length ? out : out.slice(0, length);
}

/** Gunzips only when the bytes carry the gzip signature; raw bytes are returned as they are. */
export async function maybeGunzip(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  return isGzip(bytes) ? gunzip(bytes, file) : bytes;
}

/** SHA-256 of `bytes` as 64 lowercase hex digits; `crypto.subtle` when present, else `sha256HexSync`. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = web.crypto?.subtle;
  if (subtle === undefined) return sha256HexSync(bytes);
  return toHex(new Uint8Array(await subtle.digest('SHA-256', bytes)));
}

function toHex(digest: Uint8Array): string {
  let s = '';
  for (let i = 0; i < digest.length; i++) s += digest[i].toString(16).padStart(2, '0');
  return s;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes.
const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

/**
 * SHA-256 in plain TypeScript (FIPS 180-4), for contexts without `crypto.subtle`. Processes the input in
 * place and pads only the last one or two 64-byte blocks, so a 47 MB file is not copied.
 */
export function sha256HexSync(bytes: Uint8Array): string {
  // §5.3.3: initial hash value H(0).
  const h = new Uint32Array([
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  ]);
  const w = new Uint32Array(64);
  const full = bytes.length - (bytes.length % 64);
  for (let off = 0; off < full; off += 64) compress(h, w, bytes, off);
  // §5.1.1 padding: 0x80, zeros, then the message length in bits as a 64-bit big-endian integer.
  const tail = new Uint8Array(bytes.length % 64 < 56 ? 64 : 128);
  tail.set(bytes.subarray(full));
  tail[bytes.length % 64] = 0x80;
  const bits = bytes.length * 8;
  const hi = Math.floor(bits / 0x1_0000_0000);
  const lo = bits >>> 0;
  const end = tail.length;
  tail[end - 8] = hi >>> 24;
  tail[end - 7] = (hi >>> 16) & 0xff;
  tail[end - 6] = (hi >>> 8) & 0xff;
  tail[end - 5] = hi & 0xff;
  tail[end - 4] = lo >>> 24;
  tail[end - 3] = (lo >>> 16) & 0xff;
  tail[end - 2] = (lo >>> 8) & 0xff;
  tail[end - 1] = lo & 0xff;
  for (let off = 0; off < end; off += 64) compress(h, w, tail, off);
  const digest = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    digest[i * 4] = h[i] >>> 24;
    digest[i * 4 + 1] = (h[i] >>> 16) & 0xff;
    digest[i * 4 + 2] = (h[i] >>> 8) & 0xff;
    digest[i * 4 + 3] = h[i] & 0xff;
  }
  return toHex(digest);
}

/** One 64-byte block of §6.2.2: message schedule W, then 64 rounds on a…h, added into H. */
function compress(h: Uint32Array, w: Uint32Array, m: Uint8Array, off: number): void {
  for (let t = 0; t < 16; t++) {
    const i = off + t * 4;
    w[t] = (m[i] << 24) | (m[i + 1] << 16) | (m[i + 2] << 8) | m[i + 3];
  }
  for (let t = 16; t < 64; t++) {
    const x = w[t - 15];
    const y = w[t - 2];
    // σ0(x) = ROTR7 ⊕ ROTR18 ⊕ SHR3;  σ1(x) = ROTR17 ⊕ ROTR19 ⊕ SHR10
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
  }
  let a = h[0];
  let b = h[1];
  let c = h[2];
  let d = h[3];
  let e = h[4];
  let f = h[5];
  let g = h[6];
  let hh = h[7];
  for (let t = 0; t < 64; t++) {
    // Σ1(e) = ROTR6 ⊕ ROTR11 ⊕ ROTR25;  Ch(e,f,g) = (e ∧ f) ⊕ (¬e ∧ g)
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (hh + S1 + ((e & f) ^ (~e & g)) + K[t] + w[t]) | 0;
    // Σ0(a) = ROTR2 ⊕ ROTR13 ⊕ ROTR22;  Maj(a,b,c) = (a ∧ b) ⊕ (a ∧ c) ⊕ (b ∧ c)
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    hh = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
  h[5] += f;
  h[6] += g;
  h[7] += hh;
}
