/**
 * The timeline in Chromium: the run keeps moments as it trains; the scrubber under the loss chart takes the
 * weight images and the drawing's prediction back to a kept moment ("step X of Y") and "Now" returns,
 * while a run in progress goes on. Screenshots go to test/e2e/artifacts/ (looked at by hand).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures';
import { one, stroke } from './strokes';

const ARTIFACTS = path.join(import.meta.dirname, 'artifacts');
test.beforeAll(() => mkdirSync(ARTIFACTS, { recursive: true }));

test('the timeline: back to a kept moment and to now, while training goes on', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('./?hidden=32&batch=64&lr=0.003&decay=1&train=3000&epochs=3');
  await expect(page.getByTestId('dataset-counts')).toHaveText('60,000 train · 10,000 test', {
    timeout: 45_000,
  });
  const scrubber = page.getByTestId('timeline');
  await expect(scrubber).toBeDisabled();
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('stop-reason')).toHaveAttribute('data-reason', 'epochs', { timeout: 90_000 });
  const last = 3 * Math.ceil(3000 / 64);
  await expect(page.getByTestId('timeline-label')).toHaveText(`now · step ${last}`);
  const moments = Number(await page.locator('.timeline').getAttribute('data-moments'));
  expect(moments).toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId('weight-images')).toHaveAttribute('data-step', String(last));

  // The drawing, read by the trained network.
  await stroke(page, one(0.5, 0.5, 0.8));
  await expect(page.getByTestId('prediction')).toHaveText('1', { timeout: 15_000 });
  const sureNow = await page.locator('.prediction-conf').textContent();

  // Back to step 0 (the untrained weights): the weights and the reading are those of then.
  await scrubber.fill('0');
  await expect(page.getByTestId('timeline-label')).toHaveText(`step 0 of ${last}`);
  await expect(page.locator('.timeline')).toHaveAttribute('data-viewing', '0');
  await expect(page.getByTestId('weight-images')).toHaveAttribute('data-step', '0');
  await expect(page.locator('.prediction-conf')).not.toHaveText(sureNow!);
  await page.screenshot({ path: path.join(ARTIFACTS, 'timeline-step0.png') });
  // Every screen says a moment is on show; the confusion matrix and the map are of then too.
  await expect(page.getByTestId('moment-note')).toContainText('step 0');
  await page.getByTestId('open-inside').click();
  const matrix = page.getByTestId('confusion-matrix');
  await expect(matrix).toHaveAttribute('data-step', '0');
  await expect(page.getByTestId('confusion-cell')).toHaveCount(100, { timeout: 20_000 });
  const counts = await page
    .getByTestId('confusion-cell')
    .evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-count'))));
  expect(counts.reduce((a, b) => a + b, 0)).toBe(10_000);
  // Untrained: far from the trained network's diagonal.
  const diagonal = counts.filter((_, i) => i % 11 === 0).reduce((a, b) => a + b, 0);
  expect(diagonal).toBeLessThan(5000);
  await page.screenshot({ path: path.join(ARTIFACTS, 'timeline-step0-inside.png') });
  await page.getByTestId('open-hidden-map').click();
  await expect(page.getByTestId('hidden-map')).toHaveAttribute('data-step', '0', { timeout: 30_000 });
  await page.getByTestId('open-watch').click();

  // Training again while a moment is shown: the moment stays on show, the run goes on.
  await page.getByTestId('epochs').fill('5');
  await page.getByTestId('epochs').press('Enter');
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('train-toggle')).toHaveText('Pause');
  await page.waitForTimeout(1500);
  await expect(page.getByTestId('weight-images')).toHaveAttribute('data-step', '0');
  await expect(page.getByTestId('timeline-label')).toHaveText(/^step 0 of [\d,]+$/);

  // Now (from the note, as on any screen): the live weights again.
  await page.getByTestId('moment-note').getByRole('button', { name: 'Now' }).click();
  await expect(page.getByTestId('moment-note')).toHaveCount(0);
  await expect(page.locator('.timeline')).toHaveAttribute('data-viewing', 'now');
  await expect
    .poll(async () => Number(await page.getByTestId('weight-images').getAttribute('data-step')), {
      timeout: 10_000,
    })
    .toBeGreaterThan(last);
  await page.getByTestId('train-toggle').click();
});
