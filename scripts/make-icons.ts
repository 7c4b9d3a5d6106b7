/**
 * make-icons: the web app manifest's PNG icons (public/icons/icon-192.png, icon-512.png), drawn from the
 * same picture as index.html's SVG favicon — a blue rounded square, five white nodes, four links — with
 * no image library: a 4×4-supersampled rasteriser and a minimal PNG encoder (node:zlib for the deflate).
 * The outputs are committed; run again only when the picture changes:
 *
 *   npx tsx scripts/make-icons.ts
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';

/** The favicon's geometry, in its 32×32 viewBox. */
const NODES: readonly [number, number][] = [
  [8, 9],
  [8, 23],
  [16, 16],
  [24, 9],
  [24, 23],
];
const LINKS: readonly [number, number][] = [
  [0, 2],
  [1, 2],
  [2, 3],
  [2, 4],
];
const BLUE = [0x00, 0x72, 0xb2] as const;
const NODE_R = 3;
const LINK_HALF_WIDTH = 0.8;
const LINK_ALPHA = 0.7;
const CORNER = 7;
const SUPERSAMPLE = 4;

function insideRoundedSquare(x: number, y: number): boolean {
  if (x < 0 || y < 0 || x > 32 || y > 32) return false;
  const cx = Math.min(Math.max(x, CORNER), 32 - CORNER);
  const cy = Math.min(Math.max(y, CORNER), 32 - CORNER);
  return (x - cx) ** 2 + (y - cy) ** 2 <= CORNER ** 2;
}

function distanceToSegment(x: number, y: number, [ax, ay]: [number, number], [bx, by]: [number, number]) {
  const t = Math.max(
    0,
    Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)),
  );
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay)));
}

/** RGBA of one point of the picture (straight alpha). */
function colourAt(x: number, y: number): [number, number, number, number] {
  if (!insideRoundedSquare(x, y)) return [0, 0, 0, 0];
  if (NODES.some(([nx, ny]) => Math.hypot(x - nx, y - ny) <= NODE_R)) return [255, 255, 255, 255];
  const onLink = LINKS.some(([a, b]) => distanceToSegment(x, y, NODES[a], NODES[b]) <= LINK_HALF_WIDTH);
  const mix = (c: number) => Math.round(onLink ? c + (255 - c) * LINK_ALPHA : c);
  return [mix(BLUE[0]), mix(BLUE[1]), mix(BLUE[2]), 255];
}

/** size×size RGBA pixels, each the average of SUPERSAMPLE² samples (premultiplied while averaging). */
export function renderIcon(size: number): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  const scale = 32 / size;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const [cr, cg, cb, ca] = colourAt(
            (px + (sx + 0.5) / SUPERSAMPLE) * scale,
            (py + (sy + 0.5) / SUPERSAMPLE) * scale,
          );
          r += cr * ca;
          g += cg * ca;
          b += cb * ca;
          a += ca;
        }
      }
      const o = (py * size + px) * 4;
      if (a > 0) {
        out[o] = Math.round(r / a);
        out[o + 1] = Math.round(g / a);
        out[o + 2] = Math.round(b / a);
      }
      out[o + 3] = Math.round(a / SUPERSAMPLE ** 2);
    }
  }
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

/** A PNG of size×size RGBA pixels (8 bits per channel, no filtering: the deflate does the work). */
export function encodePng(size: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0; // filter: none
    rows.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

const OUT = path.resolve(import.meta.dirname, '..', 'public', 'icons');
mkdirSync(OUT, { recursive: true });
for (const size of [192, 512]) {
  const file = path.join(OUT, `icon-${size}.png`);
  const png = encodePng(size, renderIcon(size));
  writeFileSync(file, png);
  console.log(`${path.relative(process.cwd(), file)}: ${size}×${size}, ${png.length} bytes`);
}
