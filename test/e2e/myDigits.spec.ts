/**
 * My digits (issue 18), in Chromium against the built site:
 * 1. draw and save with the "save as" buttons and, on the focused canvas, the keys 0–9 (the lesson keys do
 *    not fire there); the halves alternate per class; a reload finds them (IndexedDB);
 * 2. relabel (the half stays, kept over a reload), delete and Undo;
 * 3. export a zip, import it into an empty collection (another profile), import it again (merge skips every
 *    digit), a bad file refused with its message and the collection unchanged;
 * 4. the test half's accuracy after an epoch (and on the chart), then training with mine=20 goes on.
 * Screenshots of the Draw column and the gallery at 1280×720 go to test/e2e/artifacts/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { one, stroke, zero } from './strokes';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const ARTIFACTS = path.join(ROOT, 'test', 'e2e', 'artifacts');
/** Small and quick: an epoch of 3,000 images takes a moment even on a busy machine. */
const SMALL = '?hidden=32-16&batch=32&train=3000&epochs=0';
const LOAD_TIMEOUT = 60_000;

test.beforeAll(() => mkdirSync(ARTIFACTS, { recursive: true }));

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });

async function openReady(page: Page, query: string): Promise<void> {
  await page.goto(`./${query}`);
  await expect(page.getByTestId('train-toggle')).toBeEnabled({ timeout: LOAD_TIMEOUT });
}

const gallery = (page: Page) => page.getByTestId('my-digits');

/**
 * The preprocessing centres and scales a digit (as MNIST's was), so a shifted copy is the same image: the
 * second of each is another shape (a rounder 0, a 1 with a flag), so no two saved digits are equal.
 */
async function drawZero(page: Page, variant = 0): Promise<void> {
  if (variant === 0) await stroke(page, zero(0.5, 0.5, 0.9));
  else
    await stroke(
      page,
      Array.from({ length: 40 }, (_, i): [number, number] => {
        const t = (i / 36) * 2 * Math.PI;
        return [0.5 - 0.3 * Math.sin(t), 0.5 - 0.3 * Math.cos(t)];
      }),
    );
  await expect(page.getByTestId('save-digit-0')).toBeEnabled();
}
async function drawOne(page: Page, variant = 0): Promise<void> {
  await stroke(page, one(0.5, 0.5, 0.9));
  if (variant !== 0)
    await stroke(page, [
      [0.53, 0.2],
      [0.45, 0.28],
      [0.38, 0.33],
    ]);
  await expect(page.getByTestId('save-digit-1')).toBeEnabled();
}

/** The page does not scroll: the document is no taller or wider than the window. */
async function fits(page: Page): Promise<void> {
  const size = await page.evaluate(() => ({
    h: document.documentElement.scrollHeight,
    w: document.documentElement.scrollWidth,
    ih: window.innerHeight,
    iw: window.innerWidth,
  }));
  expect(size.h).toBeLessThanOrEqual(size.ih);
  expect(size.w).toBeLessThanOrEqual(size.iw);
}

test.describe('my digits', () => {
  test.describe.configure({ mode: 'serial' });
  let page: Page;
  let zipPath = '';

  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  });
  test.afterAll(async () => {
    await page.close();
  });

  test('save with the buttons and the keys; the halves alternate; a reload keeps them', async () => {
    test.setTimeout(120_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await openReady(page, SMALL);
    // Nothing drawn: nothing to save.
    await expect(page.getByTestId('save-digit-3')).toBeDisabled();
    await drawZero(page);
    await shot(page, 'my-digits-draw-column');
    await fits(page);
    await page.getByTestId('save-digit-0').click();
    await expect(page.getByTestId('notice')).toHaveText('saved as 0 (teach half) · 1 in My digits');
    // Saved: the canvas is ready for the next one.
    await expect(page.getByTestId('save-digit-0')).toBeDisabled();

    // Drawing focuses the canvas; its digit keys save (and do not open lesson 1).
    await drawOne(page);
    await expect(page.getByTestId('draw-canvas')).toBeFocused();
    await page.keyboard.press('1');
    await expect(page.getByTestId('save-digit-1')).toBeDisabled();
    await expect(page.getByTestId('lesson-card')).toHaveCount(0);
    expect(new URL(page.url()).searchParams.get('lesson')).toBeNull();

    await drawZero(page, 1);
    await page.keyboard.press('0');
    await expect(page.getByTestId('save-digit-0')).toBeDisabled();
    await drawOne(page, 1);
    await page.getByTestId('save-digit-1').click();
    await expect(page.getByTestId('save-digit-1')).toBeDisabled();

    await page.getByTestId('open-mine').click();
    await expect(gallery(page)).toHaveAttribute('data-count', '4');
    await expect(page.getByTestId('my-digits-teach')).toHaveText('2 teach');
    await expect(page.getByTestId('my-digits-test')).toHaveText('2 test');
    const halves = await page
      .getByTestId('my-digit')
      .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-label')}${e.getAttribute('data-half')}`));
    expect(halves.sort()).toEqual(['0teach', '0test', '1teach', '1test']);
    await fits(page);
    await shot(page, 'my-digits-gallery');

    // Away from the canvas, the digit keys are the lessons' again.
    await page.getByTestId('my-digits-teach').click();
    await page.keyboard.press('1');
    await expect(page.getByTestId('lesson-card')).toBeVisible();
    await page.goto(`./${SMALL}`);
    await expect(page.getByTestId('train-toggle')).toBeEnabled({ timeout: LOAD_TIMEOUT });
    await page.getByTestId('open-mine').click();
    await expect(gallery(page)).toHaveAttribute('data-count', '4');
    expect(errors).toEqual([]);
  });

  test('relabel keeps the half (and survives a reload); delete, then Undo', async () => {
    const first = page.getByTestId('my-digit').first();
    const id = (await first.getAttribute('data-id'))!;
    const half = (await first.getAttribute('data-half'))!;
    const drawn = (await first.getAttribute('data-label'))!;
    await first.getByTestId('my-digit-label').selectOption('7');
    const tile = page.locator(`[data-testid="my-digit"][data-id="${id}"]`);
    await expect(tile).toHaveAttribute('data-label', '7');
    await expect(tile).toHaveAttribute('data-half', half);
    await page.reload();
    await page.getByTestId('open-mine').click();
    await expect(gallery(page)).toHaveAttribute('data-count', '4');
    await expect(tile).toHaveAttribute('data-label', '7');
    await expect(tile).toHaveAttribute('data-half', half);

    await tile.getByTestId('my-digit-delete').click();
    await expect(gallery(page)).toHaveAttribute('data-count', '3');
    await expect(tile).toHaveCount(0);
    await page.getByTestId('my-digits-undo').click();
    await expect(gallery(page)).toHaveAttribute('data-count', '4');
    await expect(tile).toHaveAttribute('data-label', '7');
    await expect(tile).toHaveAttribute('data-half', half);
    // Back to what it was drawn as, for what follows.
    await tile.getByTestId('my-digit-label').selectOption(drawn);
    await expect(tile).toHaveAttribute('data-label', drawn);
  });

  test('clicking a digit opens it in the drawing and "why did it say"; One step takes it', async () => {
    const tile = page.getByTestId('my-digit').first();
    await tile.locator('.my-digit-open').click();
    await expect(tile).toHaveAttribute('data-selected', 'true');
    await expect(page.getByTestId('saliency')).toHaveAttribute('data-shown', 'true');
    await expect(page.getByTestId('save-digit-0')).toBeEnabled();
    await expect(page.getByTestId('network-input')).not.toHaveAttribute('data-ink', '0');
    await page.getByTestId('my-digits-one-step').click();
    await expect(page.getByTestId('open-step')).toHaveAttribute('aria-selected', 'true');
    await page.getByTestId('open-mine').click();
  });

  test('export, import into an empty collection, import again (skipped), a bad file refused', async ({
    browser,
  }) => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('my-digits-export').click(),
    ]);
    expect(download.suggestedFilename()).toBe('my-digits-mnist.zip');
    zipPath = path.join(ARTIFACTS, 'my-digits-mnist.zip');
    await download.saveAs(zipPath);

    // A fresh profile: an empty collection.
    const other = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await openReady(other, SMALL);
    await other.getByTestId('open-mine').click();
    await expect(gallery(other)).toHaveAttribute('data-count', '0');
    await other.getByTestId('my-digits-import').setInputFiles(zipPath);
    await expect(gallery(other)).toHaveAttribute('data-count', '4');
    await expect(other.getByTestId('my-digits-message')).toHaveText('4 imported');
    await other.getByTestId('my-digits-import').setInputFiles(zipPath);
    await expect(other.getByTestId('my-digits-message')).toHaveText('0 imported, 4 already there');
    await expect(gallery(other)).toHaveAttribute('data-count', '4');

    await other.getByTestId('my-digits-import').setInputFiles({
      name: 'notes.zip',
      mimeType: 'application/zip',
      buffer: Buffer.from('these are not digits'),
    });
    await expect(other.getByTestId('my-digits-error')).toContainText('notes.zip is not a zip file');
    await expect(gallery(other)).toHaveAttribute('data-count', '4');
    // Replace with the same file: still four, the ones from the file.
    await other.getByTestId('my-digits-replace').check();
    await other.getByTestId('my-digits-import').setInputFiles(zipPath);
    await expect(other.getByTestId('my-digits-message')).toHaveText('4 imported');
    await expect(gallery(other)).toHaveAttribute('data-count', '4');
    await other.close();
  });

  test('the test half is scored after an epoch and on the chart; mine=20 trains on', async () => {
    test.setTimeout(150_000);
    const acc = page.getByTestId('my-digits-accuracy');
    await page.getByTestId('my-digits-evaluate').click();
    await expect(acc).toHaveText(/^\d{1,3}\.\d% · \d of 2$/);
    await page.getByTestId('train-toggle').click();
    await expect(page.getByTestId('test-accuracy')).toHaveText(/^\d{1,3}\.\d%$/, { timeout: 90_000 });
    await expect(acc).toHaveText(/^\d{1,3}\.\d% · \d of 2$/);
    await expect(page.getByTestId('my-digit').first()).toHaveAttribute('data-mark', /right|wrong/);
    await shot(page, 'my-digits-after-epoch');

    await page.getByTestId('my-digits-mine').selectOption('20');
    await expect.poll(() => new URL(page.url()).searchParams.get('mine')).toBe('20');
    await expect(page.getByTestId('my-digits-mine-ignored')).toHaveCount(0);
    await page.getByTestId('open-watch').click();
    const chart = page.getByTestId('loss-chart');
    const points = async () => Number((await chart.getAttribute('data-my-digits-points')) ?? '0');
    const before = await points();
    expect(before).toBeGreaterThan(0);
    // Training goes on with the teach half mixed in: more epochs end, each with the test half's figure.
    await expect.poll(points, { timeout: 90_000 }).toBeGreaterThan(before);
    await expect(page.getByTestId('train-toggle')).toHaveText('Pause');
    await shot(page, 'my-digits-watch-chart');
    await page.getByTestId('train-toggle').click();
  });

  test('each dataset has its own collection; Fashion-MNIST shows its class names', async () => {
    test.setTimeout(120_000);
    await page.getByTestId('open-mine').click();
    await page.getByTestId('dataset').selectOption('fashion-mnist');
    await expect(page.getByTestId('train-toggle')).toBeEnabled({ timeout: LOAD_TIMEOUT });
    await expect(gallery(page)).toHaveAttribute('data-dataset', 'fashion-mnist');
    await expect(gallery(page)).toHaveAttribute('data-count', '0');
    await expect(page.getByTestId('save-digit-1')).toHaveAttribute('title', /Trouser/);
    await drawOne(page);
    await page.getByTestId('save-digit-1').click();
    await expect(gallery(page)).toHaveAttribute('data-count', '1');
    await expect(page.getByTestId('my-digit-label').first()).toHaveValue('1');
    await expect(page.getByTestId('my-digit-label').first().locator('option:checked')).toHaveText(/Trouser/);
    await shot(page, 'my-digits-fashion');
    await page.getByTestId('dataset').selectOption('mnist');
    await expect(gallery(page)).toHaveAttribute('data-dataset', 'mnist');
    await expect(gallery(page)).toHaveAttribute('data-count', '4');
  });

  test('mine > 0 with no teach digits says it trains as 0', async ({ browser }) => {
    const other = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await openReady(other, `${SMALL}&mine=20`);
    await other.getByTestId('open-mine').click();
    await expect(gallery(other)).toHaveAttribute('data-count', '0');
    await expect(other.getByTestId('my-digits-mine-ignored')).toHaveText(
      'No digits in the teach half yet: training runs as with ×0.',
    );
    // Presenter mode has no My digits screen: Watch shows, the tab and the save row are gone.
    await other.getByTestId('my-digits-teach').click();
    await other.keyboard.press('p');
    await expect(other.locator('.app')).toHaveAttribute('data-present', 'true');
    await expect(other.getByTestId('open-mine')).toHaveCount(0);
    await expect(other.locator('main')).toHaveAttribute('data-screen', 'watch');
    await expect(other.getByTestId('save-digit-0')).toBeHidden();
    await other.keyboard.press('p');
    await expect(other.locator('main')).toHaveAttribute('data-screen', 'mine');
    await other.close();
  });
});
