/**
 * Runs side by side: a run trained for an epoch is kept across a reload and can be overlaid on the loss
 * chart, labelled by the settings in which it differs; reference lines from the literature toggle.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures';

const ARTIFACTS = path.join(import.meta.dirname, 'artifacts');
test.beforeAll(() => mkdirSync(ARTIFACTS, { recursive: true }));

test('runs survive a reload and overlay the chart', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('./?hidden=16&batch=128&lr=0.003&decay=1');
  await expect(page.getByTestId('dataset-counts')).toHaveText('60,000 train · 10,000 test', {
    timeout: 45_000,
  });
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('test-accuracy')).not.toHaveText('', { timeout: 90_000 });
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('runs')).toHaveAttribute('data-count', '1');

  // Another setting, then a reload: the earlier run is still there, labelled by what differs.
  await page.goto('./?hidden=32&batch=128&lr=0.003&decay=1');
  await expect(page.getByTestId('dataset-counts')).toHaveText('60,000 train · 10,000 test', {
    timeout: 45_000,
  });
  await expect(page.getByTestId('runs')).toHaveAttribute('data-count', '1');
  await page.locator('.runs-menu > summary').click();
  await expect(page.getByTestId('runs')).toContainText('hidden 16');
  await page.locator('[data-run]').first().check();
  await page.getByLabel(/reference lines/).check();
  await page.getByTestId('train-toggle').click();
  await expect
    .poll(async () => Number(await page.getByTestId('loss-chart').getAttribute('data-points')))
    .toBeGreaterThan(5);
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-runs-shown', '1');
  await page.screenshot({ path: path.join(ARTIFACTS, 'runs-overlay.png') });
});
