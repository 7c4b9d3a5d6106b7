/**
 * The loss landscape in Chromium: opened beside the map on the Layers screen, computed on request with
 * progress, on a random plane before the run has a path and on the path's plane after, the path drawn
 * from start to now; Cancel keeps the last landscape; the drawing is read while it computes. Screenshots
 * go to test/e2e/artifacts/ (looked at by hand).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { one, stroke } from './strokes';

const ARTIFACTS = path.join(import.meta.dirname, 'artifacts');
test.beforeAll(() => mkdirSync(ARTIFACTS, { recursive: true }));
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
const view = (page: Page) => page.getByTestId('loss-landscape');

test('the loss landscape: on request, with progress, random before a path, the path’s plane after', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto('./?hidden=64-32&batch=64&lr=0.003&decay=1&train=3000&epochs=4');
  await expect(page.getByTestId('dataset-counts')).toHaveText('60,000 train · 10,000 test', {
    timeout: 45_000,
  });
  await page.getByTestId('open-hidden-map').click();
  await expect(page.getByTestId('loss-landscape')).toHaveCount(0);
  await page.getByTestId('open-loss-landscape').click();
  await expect(view(page)).toHaveAttribute('data-state', 'idle');
  await expect(page.getByTestId('hidden-map')).toBeVisible();

  // Untrained: no path yet, so two random directions (±1), 15 × 15.
  await page.getByTestId('landscape-grid').selectOption('15');
  await page.getByTestId('landscape-compute').click();
  await expect(view(page)).toHaveAttribute('data-state', 'computing');
  await expect(page.getByTestId('landscape-progress')).toBeVisible();
  await expect(view(page)).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(view(page)).toHaveAttribute('data-plane', 'random');
  await expect(view(page)).toHaveAttribute('data-points', '225');
  await expect(view(page)).toHaveAttribute('data-step', '0');
  await expect(page.getByTestId('landscape-readout')).toContainText('random plane');

  // Trained (a fixed 4 epochs, stopping by itself): the path's plane, the kept moments as its path.
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('stop-reason')).toHaveAttribute('data-reason', 'epochs', {
    timeout: 120_000,
  });
  await expect(page.getByTestId('landscape-compute')).toHaveText('Recompute for now');
  await page.getByTestId('landscape-compute').click();
  await expect(view(page)).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(view(page)).toHaveAttribute('data-plane', 'path');
  await expect(view(page)).toHaveAttribute('data-step', String(4 * Math.ceil(3000 / 64)));
  expect(Number(await view(page).getAttribute('data-path'))).toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId('landscape-readout')).toContainText('of the path’s movement');
  const canvas = page.locator('.loss-landscape-canvas');
  const b = (await canvas.boundingBox())!;
  await page.mouse.move(b.x + b.width * 0.4, b.y + b.height * 0.5);
  await expect(page.getByTestId('landscape-readout')).toHaveText(
    /^α -?[\d.e+-]+, β -?[\d.e+-]+: loss \d+\.\d{3}$/,
  );
  await shot(page, 'loss-landscape');

  // A bigger grid, cancelled: the last landscape stays; the drawing is read while it computed.
  await page.mouse.move(0, 0);
  await page.getByTestId('landscape-grid').selectOption('45');
  await page.getByTestId('landscape-compute').click();
  await expect(view(page)).toHaveAttribute('data-state', 'computing');
  await stroke(page, one(0.5, 0.5, 0.8));
  // The drawing is read while the landscape computes: it appears on the map, placed by its activations.
  await expect(page.getByTestId('hidden-map')).toHaveAttribute('data-drawing', /^-?\d+\.\d+,-?\d+\.\d+$/, {
    timeout: 15_000,
  });
  await expect(view(page)).toHaveAttribute('data-state', 'computing');
  await page.getByTestId('landscape-cancel').click();
  await expect(view(page)).toHaveAttribute('data-state', 'done');
  await expect(view(page)).toHaveAttribute('data-points', '225');
  await expect(page.locator('.loss-landscape-error')).toHaveCount(0);

  // Closed: the view goes.
  await page.getByTestId('open-loss-landscape').click();
  await expect(page.getByTestId('loss-landscape')).toHaveCount(0);
});
