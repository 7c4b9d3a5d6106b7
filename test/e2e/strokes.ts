/**
 * Digit-shaped strokes for the drawing tests, in 0..1 units of the drawing canvas (shared by the mouse
 * tests in ui.spec.ts and inside.spec.ts and the touch test in touch.spec.ts), and drawing one with the mouse.
 * All ten digits, with seeded variations, are in digitStrokes.ts.
 */
import type { Page } from '@playwright/test';
import { digitSet } from './digitStrokes';

/** Draws one stroke through points given in 0..1 units of the drawing canvas, with the mouse. */
export async function stroke(page: Page, pts: [number, number][]): Promise<void> {
  const box = await page.getByTestId('draw-canvas').boundingBox();
  if (!box) throw new Error('draw-canvas is not visible');
  const at = ([x, y]: [number, number]): [number, number] => [box.x + x * box.width, box.y + y * box.height];
  await page.mouse.move(...at(pts[0]));
  await page.mouse.down();
  for (const p of pts.slice(1)) await page.mouse.move(...at(p));
  await page.mouse.up();
}

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

/** Draws a digit of several strokes (digitStrokes.ts), one mouse stroke each. */
export async function drawStrokes(page: Page, lines: readonly [number, number][][]): Promise<void> {
  for (const l of lines) await stroke(page, l);
}

/**
 * Draws `perClass` of each digit 0–9 (digitSet's seeded variations, in the order 0…9, 0…9, …) and saves
 * each with its "Save as" button (`save-digit-<d>`, issue 18's gallery), which clears the canvas.
 * For the my-digits measurement; it needs the gallery's buttons on the page.
 */
export async function drawAndSaveTen(page: Page, perClass: number, seed: number): Promise<void> {
  for (const { digit, strokes } of digitSet(perClass, seed)) {
    await drawStrokes(page, strokes);
    await page.getByTestId(`save-digit-${digit}`).click();
    // Saving clears the canvas (the save buttons turn disabled): a Clear click raced with it and waited
    // forever on a disabled button.
    await page.waitForFunction(
      (id) => document.querySelector<HTMLButtonElement>(`[data-testid="${id}"]`)?.disabled === true,
      `save-digit-${digit}`,
    );
  }
}
