/**
 * The data path in a real browser: the built site, served by `vite preview`, loads MNIST in its worker.
 *
 * Damaged data comes from a separate folder, not from request interception: Playwright does not see
 * fetches made inside a Worker. `?data=broken` makes the app read `broken/data/mnist/` (see
 * resolveDataBase in src/app/dataBase.ts); this file writes that folder into dist/ before the tests.
 */

import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const DIST_MNIST = path.join(ROOT, 'dist', 'data', 'mnist');
const BROKEN_MNIST = path.join(ROOT, 'dist', 'broken', 'data', 'mnist');
const ARTIFACTS = path.join(ROOT, 'test', 'e2e', 'artifacts');
const TRAIN_IMAGES = 'train-images-idx3-ubyte.gz';
const LOAD_TIMEOUT = 45_000;

/** dist/broken/data/mnist/: the real manifest and files, with the train images cut to 40 %. */
function writeBrokenCopy(): void {
  rmSync(BROKEN_MNIST, { recursive: true, force: true });
  mkdirSync(BROKEN_MNIST, { recursive: true });
  for (const name of readdirSync(DIST_MNIST))
    copyFileSync(path.join(DIST_MNIST, name), path.join(BROKEN_MNIST, name));
  const file = path.join(BROKEN_MNIST, TRAIN_IMAGES);
  truncateSync(file, Math.floor(statSync(file).size * 0.4));
}

test.beforeAll(() => {
  if (readdirSync(DIST_MNIST).length === 0) throw new Error('dist/data/mnist is empty: run `npm run build`');
  writeBrokenCopy();
  mkdirSync(ARTIFACTS, { recursive: true });
});

test.afterAll(() => {
  rmSync(path.join(ROOT, 'dist', 'broken'), { recursive: true, force: true });
});

test('loads MNIST in the worker and shows 60,000 train · 10,000 test', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const started = Date.now();
  await page.goto('./');
  await expect(page.getByTestId('dataset-counts')).toHaveText('60,000 train · 10,000 test', {
    timeout: LOAD_TIMEOUT,
  });
  const ms = Date.now() - started;
  test.info().annotations.push({ type: 'MNIST ready after navigation', description: `${ms} ms` });
  console.log(
    `MNIST loaded (navigation → counts shown, fetch + gunzip + sha256 + parse in the worker): ${ms} ms`,
  );
  await expect(page.getByTestId('error')).toHaveCount(0);
  await page.screenshot({ path: path.join(ARTIFACTS, 'data-loaded.png') });
  expect(pageErrors).toEqual([]);
});

test('a damaged train-images file: the error region names it, and Retry loads the repaired file', async ({
  page,
}) => {
  await page.goto('./?data=broken');
  const error = page.getByTestId('error');
  await expect(error).toBeVisible({ timeout: LOAD_TIMEOUT });
  await expect(error).toContainText(TRAIN_IMAGES);
  await expect(error).toHaveAttribute('role', 'alert');
  const retry = page.getByTestId('retry');
  await expect(retry).toBeVisible();
  await page.screenshot({ path: path.join(ARTIFACTS, 'data-error.png') });

  // Repair the file on the server, then Retry: the page recovers without a reload.
  copyFileSync(path.join(DIST_MNIST, TRAIN_IMAGES), path.join(BROKEN_MNIST, TRAIN_IMAGES));
  await retry.click();
  await expect(page.getByTestId('dataset-counts')).toHaveText('60,000 train · 10,000 test', {
    timeout: LOAD_TIMEOUT,
  });
  await expect(error).toHaveCount(0);
});

test('data that was never prepared: the error says so and how to fix it', async ({ page }) => {
  await page.goto('./?data=nowhere');
  const error = page.getByTestId('error');
  await expect(error).toBeVisible({ timeout: LOAD_TIMEOUT });
  await expect(error).toContainText('manifest.json');
  await expect(error).toContainText('npm run prepare-data');
});
