/**
 * Every core, in real Chromium against the built site: where the page is cross-origin isolated (vite
 * preview sends COOP/COEP) training splits each batch across workers; where it is not (the second server,
 * without the headers) it trains on one and says so in one line. Also: a link asking for more workers
 * than the machine has is clamped with a note; the count changes while training without losing the run;
 * predictions keep answering while every worker trains.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { one, stroke } from './strokes';

const ARTIFACTS = path.resolve(import.meta.dirname, 'artifacts');
const LOAD_TIMEOUT = 45_000;
const NOT_ISOLATED_URL = process.env.E2E_NOT_ISOLATED_URL!;

async function ready(page: Page): Promise<void> {
  await expect(page.getByTestId('dataset-counts')).toHaveText('60,000 train · 10,000 test', {
    timeout: LOAD_TIMEOUT,
  });
}

const stepCount = async (page: Page) =>
  Number(
    ((await page.getByTestId('status').textContent()) ?? '').match(/step ([\d,]+)/)![1]!.replace(/,/g, ''),
  );

test('isolated: two workers train each batch, an epoch finishes, a drawn 1 is read while they train', async ({
  page,
}) => {
  await page.goto('./?workers=2&train=3000');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await ready(page);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  test.skip(cores < 2, 'one core: nothing to split across');
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('workers-used')).toHaveAttribute('data-used', '2', { timeout: 15_000 });
  await expect(page.getByTestId('workers-note')).toHaveCount(0);
  // An epoch of 3,000 images ends and is evaluated (47 steps), and training goes on.
  await expect(page.getByTestId('test-accuracy')).toHaveText(/^\d+(\.\d)?\s?%$/, { timeout: 30_000 });
  const before = await stepCount(page);
  await stroke(page, one(0.5, 0.5, 1));
  await expect(page.getByTestId('prediction')).toHaveText('1', { timeout: 10_000 });
  await expect.poll(() => stepCount(page)).toBeGreaterThan(before);
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'workers-isolated.png') });
});

test('the worker count changes while training, the run goes on (same steps, no reset)', async ({ page }) => {
  await page.goto('./?workers=2');
  await ready(page);
  test.skip((await page.evaluate(() => navigator.hardwareConcurrency)) < 2, 'one core');
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('workers-used')).toHaveAttribute('data-used', '2', { timeout: 15_000 });
  await expect.poll(() => stepCount(page)).toBeGreaterThan(50);
  await page.getByTestId('workers').selectOption('1');
  await expect(page.getByTestId('workers-used')).toHaveAttribute('data-used', '1');
  const atOne = await stepCount(page);
  expect(page.url()).toContain('workers=1');
  await page.getByTestId('workers').selectOption('2');
  await expect(page.getByTestId('workers-used')).toHaveAttribute('data-used', '2', { timeout: 15_000 });
  // Counting on from where it was: the same run, not a new one.
  await expect.poll(() => stepCount(page)).toBeGreaterThan(atOne + 20);
  await expect(page.getByTestId('train-toggle')).toHaveText('Pause');
});

test('a link asking for more workers than the machine has is clamped, and says so', async ({ page }) => {
  await page.goto('./?workers=64');
  await ready(page);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  await expect(page.getByTestId('workers-note')).toHaveText(
    `64 workers asked for; this machine has ${cores} ${cores === 1 ? 'core' : 'cores'}: training on ${cores}.×`,
  );
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('workers-used')).toHaveAttribute('data-used', String(cores), {
    timeout: 15_000,
  });
  // The link keeps what it asked for (another machine may have the cores); the select shows it.
  await expect(page.getByTestId('workers')).toHaveValue('64');
});

test('not isolated: one worker, one line saying why, and training works', async ({ page }) => {
  await page.goto(`${NOT_ISOLATED_URL}?workers=2&train=3000`);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  await ready(page);
  const note = page.getByTestId('workers-note');
  await expect(note).toContainText('Training on 1 worker: this page is not cross-origin isolated');
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('workers-used')).toHaveAttribute('data-used', '1');
  await expect(page.getByTestId('test-accuracy')).toHaveText(/^\d+(\.\d)?\s?%$/, { timeout: 30_000 });
  await page.screenshot({ path: path.join(ARTIFACTS, 'workers-not-isolated.png') });
  // One line, dismissible; the status keeps the count.
  await note.getByRole('button', { name: 'Dismiss' }).click();
  await expect(note).toHaveCount(0);
  await expect(page.getByTestId('workers-used')).toHaveAttribute('data-used', '1');
});
