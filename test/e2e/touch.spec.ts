/**
 * A phone: 390×844, touch, mobile viewport. A finger draws a digit on `draw-canvas` — real touches,
 * dispatched through the DevTools protocol (Input.dispatchTouchEvent), so the browser runs its own touch
 * handling: pointer events for the app, and scrolling unless `touch-action: none` stops it — and the app
 * reads it while the page does not scroll. The main buttons are big enough for a finger (≥ 40×40 CSS px).
 */
import type { CDPSession, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { one, zero } from './strokes';

const LOAD_TIMEOUT = 45_000;
const SMALL = '?hidden=32&batch=128&lr=0.003&decay=1&epochs=0';
const MIN_TARGET = 40;

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

/** One finger stroke through `pts` (0..1 of the drawing canvas), in CSS pixels of the viewport. */
async function touchStroke(page: Page, cdp: CDPSession, pts: [number, number][]): Promise<void> {
  const box = await page.getByTestId('draw-canvas').boundingBox();
  if (!box) throw new Error('draw-canvas is not visible');
  const at = ([x, y]: [number, number]) => ({ x: box.x + x * box.width, y: box.y + y * box.height, id: 1 });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [at(pts[0])] });
  for (const p of pts.slice(1)) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [at(p)] });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

test('a finger draws a digit without scrolling the page, and the network reads it', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(`./${SMALL}`);
  await expect(page.getByTestId('dataset-counts')).toHaveText('60,000 train · 10,000 test', {
    timeout: LOAD_TIMEOUT,
  });
  // Train one epoch, so the reading means something.
  await page.getByTestId('train-toggle').tap();
  await expect(page.getByTestId('test-accuracy')).toHaveText(/^\d{1,3}\.\d%$/, { timeout: 90_000 });
  await page.getByTestId('train-toggle').tap();
  await expect(page.getByTestId('train-toggle')).toHaveText('Train');

  // On a phone the drawing sits below the network: scroll to it, then stand still.
  await page.getByTestId('draw-canvas').scrollIntoViewIfNeeded();
  const cdp = await page.context().newCDPSession(page);
  const cases: [string, [number, number][]][] = [
    ['1', one(0.5, 0.5, 1)],
    ['0', zero(0.5, 0.5, 1)],
  ];
  for (const [label, pts] of cases) {
    if (await page.getByTestId('clear-canvas').isEnabled()) {
      // Headless Chromium sends no click for a tap within about a second of the previous finger stroke
      // (pointerdown/up and touchstart/end arrive, click does not; after ~2 s it does): tap until cleared.
      await expect(async () => {
        await page.getByTestId('clear-canvas').tap();
        await expect(page.getByTestId('prediction')).toHaveText('', { timeout: 1000 });
      }).toPass({ timeout: 10_000 });
    }
    const before = await page.evaluate(() => ({ x: window.scrollX, y: window.scrollY }));
    await touchStroke(page, cdp, pts);
    await expect(page.getByTestId('prediction')).toHaveText(label);
    const after = await page.evaluate(() => ({ x: window.scrollX, y: window.scrollY }));
    expect(after, `drawing a ${label} did not scroll the page`).toEqual(before);
    const [cx, cy] = ((await page.getByTestId('network-input').getAttribute('data-com')) ?? '')
      .split(',')
      .map(Number);
    expect(Math.abs(cx - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(cy - 14)).toBeLessThanOrEqual(0.5);
  }
  await page.screenshot({ path: 'test-results/touch-phone.png', fullPage: true });
});

test('the main buttons are at least 40×40 CSS px on a phone', async ({ page }) => {
  await page.goto(`./${SMALL}`);
  await expect(page.getByTestId('dataset-counts')).toBeAttached({ timeout: LOAD_TIMEOUT });
  const targets = ['train-toggle', 'step', 'reset', 'dataset', 'clear-canvas', 'loss-log-toggle'];
  for (const id of targets) {
    const box = await page.getByTestId(id).boundingBox();
    expect(box, `${id} is laid out`).not.toBeNull();
    expect(box!.width, `${id} width`).toBeGreaterThanOrEqual(MIN_TARGET);
    expect(box!.height, `${id} height`).toBeGreaterThanOrEqual(MIN_TARGET);
  }
  // And nothing is wider than the screen.
  const { sw, cw } = await page.evaluate(() => ({
    sw: document.documentElement.scrollWidth,
    cw: document.documentElement.clientWidth,
  }));
  expect(sw).toBeLessThanOrEqual(cw);
});
