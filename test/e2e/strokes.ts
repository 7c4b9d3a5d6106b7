/**
 * Digit-shaped strokes for the drawing tests, in 0..1 units of the drawing canvas (shared by the mouse
 * tests in ui.spec.ts and the touch test in touch.spec.ts).
 */

/** A handwritten-looking 1: a slightly slanted bar, `s` = its size relative to a full-size digit. */
export function one(cx: number, cy: number, s: number): [number, number][] {
  return Array.from({ length: 14 }, (_, i): [number, number] => [
    cx + s * (0.05 - (0.1 * i) / 13),
    cy + s * (-0.32 + (0.64 * i) / 13),
  ]);
}

/** A 0: an upright ellipse drawn from the top, counter-clockwise like most people do, slightly overlapping. */
export function zero(cx: number, cy: number, s: number): [number, number][] {
  return Array.from({ length: 40 }, (_, i): [number, number] => {
    const t = (i / 36) * 2 * Math.PI;
    return [cx - s * 0.21 * Math.sin(t), cy - s * 0.3 * Math.cos(t)];
  });
}
