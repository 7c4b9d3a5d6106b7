/**
 * The stroke set of all ten digits (digitStrokes.ts) drawn through the page with the mouse, in Chromium
 * under the CSP guard (fixtures.ts): each clean template and a seeded variation of it gives "network sees"
 * ink, centred by mass like MNIST, and a prediction. Whether the network reads them right depends on its
 * training — bench/myDigitsStrokes.ts measures that in Node with the page's own pipeline — so it is not
 * asserted here; the readings are logged.
 */
import type { Page } from '@playwright/test';
import { CLEAN, digitStrokes, variation } from './digitStrokes';
import { expect, test } from './fixtures';
import { drawStrokes } from './strokes';

async function clearCanvas(page: Page): Promise<void> {
  const clear = page.getByTestId('clear-canvas');
  if (await clear.isEnabled()) await clear.click();
  await expect(page.getByTestId('prediction')).toHaveText('');
}

for (const [kind, v] of [
  ['clean', () => CLEAN],
  ['varied', (d: number) => variation(1000 + d)],
] as const)
  test(`one of each digit (${kind}), drawn by mouse: network sees it and answers`, async ({ page }) => {
    // Some hundred mouse moves per digit, on a shared machine.
    test.setTimeout(240_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // A small network: what is tested is the drawing, not the reading.
    await page.goto('./?hidden=32');
    await expect(page.getByTestId('dataset-counts')).toHaveText('60,000 train · 10,000 test', {
      timeout: 45_000,
    });
    const sees = page.getByTestId('network-input');
    const readings: string[] = [];
    for (let d = 0; d < 10; d++) {
      await clearCanvas(page);
      await drawStrokes(page, digitStrokes(d, v(d)));
      await expect(page.getByTestId('prediction')).toHaveText(/^\d$/);
      // Ink, centred by mass at (14, 14) like MNIST, whatever the variation's placement and size.
      await expect.poll(async () => Number(await sees.getAttribute('data-ink'))).toBeGreaterThan(20);
      const [cx, cy] = ((await sees.getAttribute('data-com')) ?? '').split(',').map(Number);
      expect(Math.abs(cx! - 14), `${kind} ${d}`).toBeLessThanOrEqual(0.5);
      expect(Math.abs(cy! - 14), `${kind} ${d}`).toBeLessThanOrEqual(0.5);
      readings.push(`${kind} ${d} → ${await page.getByTestId('prediction').textContent()}`);
    }
    console.log(`${kind}, untrained readings: ${readings.join('; ')}`);
    expect(errors).toEqual([]);
  });
