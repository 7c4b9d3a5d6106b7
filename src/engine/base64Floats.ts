/**
 * Float32 weights as base64 text, for model files: RFC 4648 (standard alphabet, padded), strict on input (no
 * whitespace, no URL-safe alphabet), and the Float32 values little-endian whatever the platform.
 *
 * Implemented here, without the DOM's btoa or Node's Buffer, so the same code runs in browsers, workers and
 * Node. Decoding checks the text's exact length before allocating, so a file cannot make us allocate more
 * than its own size; errors are {@link ModelFileError}s naming the field.
 */
import { ModelFileError } from './modelFormat.ts';

const B64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_CODES = new Uint8Array(64);
/** char code → 6-bit value, or −1 for characters outside the alphabet. */
const B64_LOOKUP = new Int16Array(256).fill(-1);
for (let i = 0; i < 64; i++) {
  B64_CODES[i] = B64_ALPHABET.charCodeAt(i);
  B64_LOOKUP[B64_ALPHABET.charCodeAt(i)] = i;
}
const PAD = 61; // '='

/** The length of the padded base64 text for `byteLength` bytes: 4·⌈n/3⌉. */
export function base64Length(byteLength: number): number {
  return 4 * Math.ceil(byteLength / 3);
}

/** Bytes → padded base64 text. Works in browsers, workers and Node (no Buffer, no btoa). */
export function encodeBase64(bytes: Uint8Array): string {
  const out = new Uint8Array(base64Length(bytes.length));
  const n = bytes.length;
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o++] = B64_CODES[v >> 18];
    out[o++] = B64_CODES[(v >> 12) & 63];
    out[o++] = B64_CODES[(v >> 6) & 63];
    out[o++] = B64_CODES[v & 63];
  }
  if (i < n) {
    const rest = n - i; // 1 or 2
    const v = (bytes[i] << 16) | (rest === 2 ? bytes[i + 1] << 8 : 0);
    out[o++] = B64_CODES[v >> 18];
    out[o++] = B64_CODES[(v >> 12) & 63];
    out[o++] = rest === 2 ? B64_CODES[(v >> 6) & 63] : PAD;
    out[o] = PAD;
  }
  // String.fromCharCode in chunks: one call per byte would be slow, one call for megabytes overflows the stack.
  let text = '';
  const CHUNK = 0x8000;
  for (let c = 0; c < out.length; c += CHUNK) {
    text += String.fromCharCode(...out.subarray(c, Math.min(out.length, c + CHUNK)));
  }
  return text;
}

/**
 * Padded base64 text → exactly `byteLength` bytes. Throws a {@link ModelFileError} ('bad-base64') naming `path`
 * when the length is not 4·⌈byteLength/3⌉ (checked before allocating), a character is outside the alphabet,
 * or the padding is wrong.
 */
export function decodeBase64(text: string, byteLength: number, path = ''): Uint8Array {
  const expected = base64Length(byteLength);
  if (text.length !== expected) {
    throw new ModelFileError(
      'bad-base64',
      path,
      `expected ${expected} base64 characters for ${byteLength} bytes, got ${text.length}`,
    );
  }
  const out = new Uint8Array(byteLength);
  const padding = byteLength % 3 === 0 ? 0 : 3 - (byteLength % 3);
  const full = expected - (padding > 0 ? 4 : 0); // characters in complete 4-char groups without padding
  let o = 0;
  for (let i = 0; i < full; i += 4) {
    const a = lookup(text, i);
    const b = lookup(text, i + 1);
    const c = lookup(text, i + 2);
    const d = lookup(text, i + 3);
    if ((a | b | c | d) < 0) throw badChar(text, i, path);
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >> 16;
    out[o++] = (v >> 8) & 0xff;
    out[o++] = v & 0xff;
  }
  if (padding > 0) {
    const i = full;
    const a = lookup(text, i);
    const b = lookup(text, i + 1);
    if (a < 0 || b < 0) throw badChar(text, a < 0 ? i : i + 1, path);
    if (padding === 2) {
      if (text.charCodeAt(i + 2) !== PAD || text.charCodeAt(i + 3) !== PAD) {
        throw new ModelFileError('bad-base64', path, `expected "==" padding at character ${i + 2}`);
      }
      out[o] = (a << 2) | (b >> 4);
    } else {
      const c = lookup(text, i + 2);
      if (c < 0) throw badChar(text, i + 2, path);
      if (text.charCodeAt(i + 3) !== PAD) {
        throw new ModelFileError('bad-base64', path, `expected "=" padding at character ${i + 3}`);
      }
      out[o] = (a << 2) | (b >> 4);
      out[o + 1] = ((b & 15) << 4) | (c >> 2);
    }
  }
  return out;
}

function lookup(text: string, i: number): number {
  const code = text.charCodeAt(i);
  return code > 0xff ? -1 : B64_LOOKUP[code];
}

function badChar(text: string, from: number, path: string): ModelFileError {
  let i = from;
  while (i < text.length && lookup(text, i) >= 0) i++;
  return new ModelFileError(
    'bad-base64',
    path,
    `invalid base64 character ${JSON.stringify(text.charAt(i))} at position ${i}`,
  );
}

/** True on little-endian platforms (all current browsers' and Node's targets); big-endian takes the slow path. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Float32 values → base64 of their little-endian bytes. */
export function float32ToBase64(values: Float32Array): string {
  let bytes: Uint8Array;
  if (LITTLE_ENDIAN) {
    bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  } else {
    bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  }
  return encodeBase64(bytes);
}

/**
 * base64 of little-endian Float32 → exactly `count` values. Throws 'bad-base64' (wrong length checked before
 * allocating, bad characters) or 'non-finite' (a NaN or ±Infinity, naming the first index) at `path`.
 */
export function base64ToFloat32(text: string, count: number, path = ''): Float32Array {
  const bytes = decodeBase64(text, count * 4, path);
  let values: Float32Array;
  if (LITTLE_ENDIAN) {
    values = new Float32Array(bytes.buffer, 0, count);
  } else {
    values = new Float32Array(count);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < count; i++) values[i] = view.getFloat32(i * 4, true);
  }
  const bad = firstNonFinite(values);
  if (bad >= 0) {
    throw new ModelFileError(
      'non-finite',
      path,
      `value [${bad}] is ${values[bad]}; weights must be finite numbers`,
    );
  }
  return values;
}

/** Index of the first NaN/±Infinity, or −1. (x − x is 0 for finite x, NaN otherwise.) */
export function firstNonFinite(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) {
    if (values[i] - values[i] !== 0) return i;
  }
  return -1;
}
