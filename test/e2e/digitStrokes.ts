/**
 * Pen strokes of all ten digits for the tests, in 0..1 units of the drawing canvas (like strokes.ts's `one`
 * and `zero`), and a seeded generator of variations: placement, size, slant, a small rotation, width
 * (narrow or wide letters) and a smooth jitter of the hand. Pure data and maths, no Playwright: the Chromium
 * tests draw them with the mouse (strokes.ts), and bench/myDigitsStrokes.ts rasterises them in Node with the
 * page's own pipeline and reads them with a network trained on MNIST, to show they are digits.
 *
 * Pen width: the page's pen is fixed (DrawCanvas's BRUSH, the same for every stroke), so a drawn digit's
 * stroke width is not ours to vary. What the network sees still varies: src/draw/strokes.ts keeps the pen
 * of a large digit and thins that of a small one to MNIST's, so `size` changes the stroke's relative width.
 *
 * The shapes are drawn the way people write them (a 0 from the top, anticlockwise; a 4 in two strokes; a 5
 * with its flag last …). Each template sits in a box about 0.64 high and 0.4 wide around (0, 0), the size of
 * strokes.ts's `one(…, 1)` and `zero(…, 1)`.
 */
import { Rng } from '../../src/engine/rng';

export type Polyline = [number, number][];

/** Points of an ellipse arc around (cx, cy), angles in radians (y points down: π/2 is the bottom). */
function arc(cx: number, cy: number, rx: number, ry: number, a0: number, a1: number, n: number): Polyline {
  return Array.from({ length: n }, (_, i): [number, number] => {
    const t = a0 + ((a1 - a0) * i) / (n - 1);
    return [cx + rx * Math.cos(t), cy + ry * Math.sin(t)];
  });
}

/** Points along straight segments through `corners`, about `step` apart. */
function path(corners: Polyline, step = 0.04): Polyline {
  const out: Polyline = [corners[0]!];
  for (let k = 1; k < corners.length; k++) {
    const [x0, y0] = corners[k - 1]!;
    const [x1, y1] = corners[k]!;
    const n = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0) / step));
    for (let i = 1; i <= n; i++) out.push([x0 + ((x1 - x0) * i) / n, y0 + ((y1 - y0) * i) / n]);
  }
  return out;
}

const D = Math.PI / 180;

/** The ten templates, each a list of strokes, in template units (see the module comment). */
const TEMPLATES: readonly (readonly Polyline[])[] = [
  // 0: an upright ellipse from the top, anticlockwise, slightly overlapping (strokes.ts's zero).
  [arc(0, 0, 0.2, 0.31, -90 * D, -90 * D - 380 * D, 40)],
  // 1: a bar leaning a little to the right (strokes.ts's one).
  [
    path([
      [0.05, -0.32],
      [-0.05, 0.32],
    ]),
  ],
  // 2: a hook over the top, a diagonal down to the left, a base line.
  [
    [
      ...arc(0, -0.15, 0.17, 0.16, 200 * D, 380 * D, 16),
      ...path([
        [0.16, -0.095],
        [-0.19, 0.3],
        [0.21, 0.3],
      ]).slice(1),
    ],
  ],
  // 3: two bumps to the right, the upper one smaller.
  [
    [
      ...arc(0, -0.165, 0.15, 0.15, 205 * D, 450 * D, 18),
      ...arc(0, 0.15, 0.18, 0.165, 270 * D, 520 * D, 20).slice(1),
    ],
  ],
  // 4: down and across in one stroke, then the upright.
  [
    path([
      [-0.1, -0.32],
      [-0.2, 0.06],
      [0.21, 0.06],
    ]),
    path([
      [0.1, -0.28],
      [0.1, 0.32],
    ]),
  ],
  // 5: down, the belly, then the flag on top.
  [
    [
      ...path([
        [-0.12, -0.3],
        [-0.15, -0.03],
      ]),
      ...arc(0, 0.13, 0.18, 0.17, 235 * D, 505 * D, 20).slice(1),
    ],
    path([
      [-0.12, -0.3],
      [0.19, -0.31],
    ]),
  ],
  // 6: from the top right down the left side, then the loop at the bottom.
  [
    [
      ...path(
        [
          [0.13, -0.32],
          [0.0, -0.24],
          [-0.11, -0.1],
          [-0.17, 0.05],
        ],
        0.03,
      ),
      ...arc(0, 0.16, 0.17, 0.15, 135 * D, 135 * D - 340 * D, 26),
    ],
  ],
  // 7: the top bar, then the long diagonal.
  [
    path([
      [-0.19, -0.3],
      [0.2, -0.3],
      [-0.03, 0.32],
    ]),
  ],
  // 8: one stroke crossing in the middle, the upper loop a little narrower.
  [
    Array.from({ length: 48 }, (_, i): [number, number] => {
      const t = -Math.PI / 2 + 0.35 + ((2 * Math.PI + 0.25) * i) / 47;
      const y = -0.32 * Math.sin(t);
      return [0.17 * Math.sin(2 * t) * (y < 0 ? 0.82 : 1), y];
    }),
  ],
  // 9: a loop at the top, anticlockwise from its right, then the stem.
  [
    [
      ...arc(0, -0.15, 0.16, 0.15, 10 * D, 10 * D - 370 * D, 28),
      ...path([
        [0.17, -0.13],
        [0.13, 0.32],
      ]).slice(1),
    ],
  ],
];

/** Other ways people write some digits (a 1 with a flag, a closed 4, a crossed 7, a 9 with a curved stem). */
const ALTERNATIVES: Readonly<Record<number, readonly Polyline[]>> = {
  1: [
    path([
      [-0.09, -0.21],
      [0.05, -0.32],
      [-0.05, 0.32],
    ]),
  ],
  4: [
    path([
      [0.1, 0.32],
      [0.1, -0.32],
      [-0.2, 0.08],
      [0.21, 0.08],
    ]),
  ],
  7: [
    path([
      [-0.19, -0.3],
      [0.2, -0.3],
      [-0.03, 0.32],
    ]),
    path([
      [-0.03, 0.0],
      [0.2, 0.0],
    ]),
  ],
  9: [
    [
      ...arc(0, -0.15, 0.16, 0.15, 10 * D, 10 * D - 370 * D, 28),
      ...path([
        [0.17, -0.13],
        [0.15, 0.12],
        [0.07, 0.28],
        [-0.06, 0.32],
      ]).slice(1),
    ],
  ],
};

/** How one drawing of a digit differs from the template. */
export interface DigitVariation {
  /** 0: the template; 1: the digit's other way of writing it, where it has one (ALTERNATIVES). */
  style: number;
  /** Centre on the canvas (0..1). */
  cx: number;
  cy: number;
  /** Height as a multiple of the template's (1: about 0.64 of the canvas). */
  size: number;
  /** Width as a multiple of the template's (narrow or wide writing). */
  aspect: number;
  /** Horizontal shear: x += slant · (−y), so a positive slant leans the digit to the right. */
  slant: number;
  /** A small rotation, radians (positive: clockwise on the screen). */
  rotation: number;
  /** Amplitude of the smooth wobble of the hand, in template units. */
  jitter: number;
  /** Up to this fraction of each stroke's points is left off its start and its end (a loop left open). */
  trim: number;
  /** Strokes after the first are moved by up to this much (template units): a bar or a stem placed loosely. */
  looseness: number;
  /** Seed of the wobble's phases, the trims and the moves. */
  jitterSeed: number;
}

/** The template as it is: centred, full size, upright. */
export const CLEAN: DigitVariation = {
  style: 0,
  cx: 0.5,
  cy: 0.5,
  size: 1,
  aspect: 1,
  slant: 0,
  rotation: 0,
  jitter: 0,
  trim: 0,
  looseness: 0,
  jitterSeed: 0,
};

/** A point stays this far inside the canvas (the mouse must stay on it). */
const MARGIN = 0.03;

/**
 * The strokes of digit `d` drawn with variation `v`, in canvas units. The wobble is a sum of two slow sines
 * along each stroke (a hand does not shake point by point), so the line stays smooth. A digit too large for
 * its place is moved (not cut) to stay inside the canvas.
 */
export function digitStrokes(d: number, v: DigitVariation = CLEAN): Polyline[] {
  const template = (v.style === 1 ? ALTERNATIVES[d] : undefined) ?? TEMPLATES[d];
  if (!template) throw new Error(`no strokes for digit ${d}`);
  const rng = new Rng(v.jitterSeed);
  const cos = Math.cos(v.rotation);
  const sin = Math.sin(v.rotation);
  const shaped = template.map((whole, k) => {
    const cut = (): number => Math.floor(v.trim * rng.next() * whole.length);
    const line = whole.slice(cut(), Math.max(2, whole.length - cut()));
    const [ox, oy] =
      k === 0 ? [0, 0] : [v.looseness * (2 * rng.next() - 1), v.looseness * (2 * rng.next() - 1)];
    const waves = Array.from({ length: 4 }, () => ({ f: 1 + 2 * rng.next(), p: 2 * Math.PI * rng.next() }));
    return line.map(([x, y], i): [number, number] => {
      const u = i / Math.max(1, line.length - 1);
      const jx =
        (v.jitter * (Math.sin(2 * Math.PI * waves[0]!.f * u + waves[0]!.p) + Math.sin(5 * u + waves[1]!.p))) /
        2;
      const jy =
        (v.jitter * (Math.sin(2 * Math.PI * waves[2]!.f * u + waves[2]!.p) + Math.sin(5 * u + waves[3]!.p))) /
        2;
      const sx = (x + ox + jx) * v.aspect - v.slant * (y + oy + jy);
      const sy = y + oy + jy;
      return [v.size * (sx * cos - sy * sin), v.size * (sx * sin + sy * cos)];
    });
  });
  // Place the centre of the bounding box at (cx, cy), moved inside the canvas if need be.
  const xs = shaped.flat().map((p) => p[0]);
  const ys = shaped.flat().map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const place = (lo: number, hi: number, c: number) => {
    const half = (hi - lo) / 2;
    const want = Math.min(Math.max(c, MARGIN + half), 1 - MARGIN - half);
    return want - (lo + hi) / 2;
  };
  const dx = place(x0, x1, v.cx);
  const dy = place(y0, y1, v.cy);
  return shaped.map((line) => line.map(([x, y]): [number, number] => [x + dx, y + dy]));
}

/**
 * A seeded variation: the other way of writing the digit one time in three (where it has one), centre
 * within ±0.16 of the middle, height 0.45–1.3 of the template's, width 0.7–1.3, slant −0.3…0.55 (more people
 * lean right), rotation ±0.2 rad, a wobble up to 0.05, up to 15 % of a stroke left off at each end, the
 * second stroke up to 0.07 astray. The same seed gives the same drawing.
 */
export function variation(seed: number): DigitVariation {
  const rng = new Rng(seed);
  const between = (lo: number, hi: number) => lo + (hi - lo) * rng.next();
  return {
    style: rng.next() < 1 / 3 ? 1 : 0,
    cx: between(0.34, 0.66),
    cy: between(0.34, 0.66),
    size: between(0.45, 1.3),
    aspect: between(0.7, 1.3),
    slant: between(-0.3, 0.55),
    rotation: between(-0.2, 0.2),
    jitter: between(0.005, 0.05),
    trim: between(0, 0.15),
    looseness: between(0, 0.07),
    jitterSeed: rng.nextUint32(),
  };
}

/** One drawing: the digit it is and its strokes. */
export interface DrawnDigit {
  digit: number;
  strokes: Polyline[];
}

/**
 * `perClass` drawings of each digit 0–9, in the order 0, 1, …, 9, 0, 1, … (one of each, then again), each
 * with its own seeded variation (seed, digit and round mixed, so the set for a seed never changes).
 */
export function digitSet(perClass: number, seed: number): DrawnDigit[] {
  const out: DrawnDigit[] = [];
  for (let k = 0; k < perClass; k++)
    for (let d = 0; d < 10; d++)
      out.push({ digit: d, strokes: digitStrokes(d, variation((seed * 7919 + k * 10 + d) >>> 0)) });
  return out;
}
