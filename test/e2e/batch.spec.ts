/**
 * Any batch size, in Chromium: `?batch=all` (full-batch gradient descent over the 60,000 images) is built —
 * no "not built" for time — and trains as micro-batches (engine/stepPlan.ts). While its one step an epoch is
 * in progress the status says how far ("step 1 · 40 % of the batch"), a drawing is read, Pause stops the
 * run in the middle of the step and Train goes on from there; the step ends, its loss is on the chart. The
 * times are printed (and measured by `npm run measure:batch`), never asserted: machines differ.
 */
import type { Page } from '@playwright/test';
import { drawOnce, instrumentScript } from '../../bench/browser.bench';
import { expect, test } from './fixtures';

const LOAD_TIMEOUT = 45_000;

/** Rows of the step in progress done, from the status (null between steps). */
async function rowsDone(page: Page): Promise<number | null> {
  const p = page.getByTestId('step-progress');
  if ((await p.count()) === 0) return null;
  return Number(await p.getAttribute('data-done'));
}

test('batch all: built, trained as micro-batches, the page answers in the middle of its step', async ({
  page,
}) => {
  test.slow();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript({ content: instrumentScript() });
  await page.goto('./?batch=all');
  await expect(page.getByTestId('dataset-counts')).toHaveText('60,000 train · 10,000 test', {
    timeout: LOAD_TIMEOUT,
  });
  // The control offers the value by its word; the cost says what a step takes, and nothing is held back.
  await expect(page.locator('[data-testid="batch-size"] option:checked')).toHaveText('all');
  await expect(page.getByTestId('cost')).toContainText('per step');
  await expect(page.getByTestId('cost-alert')).toHaveCount(0);
  await expect(page).toHaveURL(/[?&]batch=all(&|$)/);

  await page.getByTestId('train-toggle').click();
  const progress = page.getByTestId('step-progress');
  await expect(progress).toBeVisible({ timeout: 30_000 });
  await expect(progress).toHaveAttribute('data-of', '60000');
  await expect(progress).toContainText(/^step 1 · \d+ % of the batch$/);

  // A drawing is read while the step is in progress.
  const t0 = Date.now();
  await drawOnce(page, 1, 2);
  await expect
    .poll(
      () =>
        page.evaluate(() => {
          const b = (window as unknown as { __bench: { lastPointerUp: number; lastAnsweredSentAt: number } })
            .__bench;
          return b.lastPointerUp >= 0 && b.lastAnsweredSentAt >= b.lastPointerUp;
        }),
      { timeout: 30_000 },
    )
    .toBe(true);
  const predictMs = Date.now() - t0;
  await expect(page.getByTestId('prediction')).toHaveText(/[0-9]/);
  expect(await rowsDone(page), 'still inside step 1').not.toBeNull();
  await expect(page.getByTestId('status')).not.toContainText('step 0');

  // Pause in the middle of the step: the run stops there, the step's progress stays.
  const p0 = Date.now();
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('train-toggle')).toHaveText('Train');
  const pauseMs = Date.now() - p0;
  await expect(progress).toBeVisible();
  const paused = (await rowsDone(page))!;
  await page.waitForTimeout(1000);
  expect(await rowsDone(page), 'nothing trains while paused').toBe(paused);
  await page.screenshot({ path: test.info().outputPath('batch-all-paused.png') });

  // Train again: the step goes on from there and ends; its loss is the chart's first point.
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-points', /^[1-9]/, { timeout: 120_000 });
  await expect(page.getByTestId('status')).toContainText(/epoch 2/);
  await page.getByTestId('train-toggle').click();
  const times = `draw → prediction ${predictMs} ms, pause ${pauseMs} ms, in the middle of a step of 60,000`;
  console.log(times);
  test.info().annotations.push({ type: 'batch all', description: times });
  expect(errors).toEqual([]);
});
