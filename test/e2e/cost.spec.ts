/**
 * Know the cost before pressing Train: the shared link (eight hidden layers of 4,096 units, batch
 * 4,096 — about 3 TFLOP and 3.4 GB per batch) opens with its cost shown, a plain message and training not
 * started; the page and the worker keep answering; the smaller setting it offers trains. Screenshots go to
 * test/e2e/artifacts/ (and /tmp with COST_SHOTS=1).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const ARTIFACTS = path.join(ROOT, 'test', 'e2e', 'artifacts');
const LINK = '?hidden=4096-4096-4096-4096-4096-4096-4096-4096&batch=4096';
const LOAD_TIMEOUT = 45_000;

test.beforeAll(() => mkdirSync(ARTIFACTS, { recursive: true }));

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
  if (process.env.COST_SHOTS) await page.screenshot({ path: `/tmp/${name}.png` });
}

/** Milliseconds from `act` until `check` passes. */
async function timed(act: () => Promise<void>, check: () => Promise<void>): Promise<number> {
  const t0 = Date.now();
  await act();
  await check();
  return Date.now() - t0;
}

test('the issue’s link: cost and a plain message within 3 s, nothing built, the page answers, the smaller setting trains', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const t0 = Date.now();
  await page.goto(`./${LINK}`);
  const cost = page.getByTestId('cost');
  const alert = page.getByTestId('cost-alert');
  await expect(cost).toContainText('120,725,514 parameters', { timeout: 3000 });
  await expect(alert).toBeVisible({ timeout: 3000 - (Date.now() - t0) });
  await expect(alert).toHaveAttribute('role', 'alert');
  await expect(alert).toContainText(/Not built\. This network needs 3\.\d GB of memory/);
  await expect(page.getByTestId('cost-memory')).toHaveText(/^3\.\d GB$/);
  // Time, once the worker's calibration is in: per batch, far over the quarter second.
  await expect(page.getByTestId('cost-batch')).toHaveText(/min|h$/, { timeout: 5000 });
  await expect(alert).toContainText('per batch');

  // Once the data is there: still not built, Train waits.
  await expect(page.getByTestId('dataset-counts')).toHaveText('60,000 train · 10,000 test', {
    timeout: LOAD_TIMEOUT,
  });
  await expect(page.getByTestId('train-toggle')).toBeDisabled();
  await expect(page.getByTestId('status')).toContainText('not built');
  await shot(page, 'cost-alert');

  // The page answers: a slider moved down changes the cost at once (still over the budget here).
  const ms = await timed(
    () => page.getByTestId('hidden-size-1').fill('64'),
    () => expect(cost).toContainText('101,045,322 parameters', { timeout: 500 }),
  );
  expect(ms).toBeLessThan(500);
  // Reset answers while nothing is built (the worker is idle, not stuck in a batch).
  await page.getByTestId('reset').click();

  // The smaller setting offered: built, and it trains.
  const suggestion = page.getByTestId('cost-suggestion');
  await expect(suggestion).toContainText(/^Use /);
  await suggestion.click();
  await expect(alert).toHaveCount(0);
  await expect(page.getByTestId('train-toggle')).toBeEnabled();
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('train-toggle')).toHaveText('Pause');
  await expect
    .poll(
      async () =>
        Number(
          (await page.getByTestId('status').textContent())?.match(/step ([\d,]+)/)?.[1]?.replace(/,/g, '') ??
            0,
        ),
      { timeout: 10_000 },
    )
    .toBeGreaterThan(3);
  await shot(page, 'cost-training');

  // While it trains: pause, reset and a slider moved down answer within 500 ms.
  const pauseMs = await timed(
    () => page.getByTestId('train-toggle').click(),
    () => expect(page.getByTestId('train-toggle')).toHaveText('Train', { timeout: 500 }),
  );
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('train-toggle')).toHaveText('Pause');
  const resetMs = await timed(
    () => page.getByTestId('reset').click(),
    () => expect(page.getByTestId('status')).toContainText(/step [0-9]$|step [0-9] /, { timeout: 500 }),
  );
  const sliderMs = await timed(
    () => page.getByTestId('hidden-size-1').fill('32'),
    () =>
      expect(page.getByTestId('layer-diagram')).toHaveAttribute('data-sizes', /^784,32,/, { timeout: 500 }),
  );
  console.log(`pause ${pauseMs} ms · reset ${resetMs} ms · slider ${sliderMs} ms`);
  expect(errors).toEqual([]);
});

test('the diagram of eight wide layers and the cost display, at 1280×720', async ({ page }) => {
  // About 140 MFLOP per batch: well under the 250 ms limit at this machine's usual speed but with an epoch
  // over two minutes, so the page asks. The verdict uses the speed measured at start-up, which a busy
  // shared machine can lower several-fold: then the same network is over the batch limit and the page
  // offers a smaller one instead — both are the cost gate working; the test follows whichever it shows.
  await page.goto(`./?hidden=400-400-400-400-400-400-400-400&batch=16`);
  await expect(page.getByTestId('dataset-counts')).toHaveText('60,000 train · 10,000 test', {
    timeout: LOAD_TIMEOUT,
  });
  const alert = page.getByTestId('cost-alert');
  await expect(alert).toContainText(/Slow network|Not built/);
  await shot(page, 'cost-slow');
  if (((await alert.textContent()) ?? '').includes('Slow network')) {
    await page.getByTestId('cost-confirm').click();
  } else {
    console.log('this machine measured slow: the network was over the batch limit, the smaller one is used');
    await page.getByTestId('cost-suggestion').click();
  }
  await expect(alert).toHaveCount(0);
  await expect(page.getByTestId('train-toggle')).toBeEnabled();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByTestId('layer-diagram').scrollIntoViewIfNeeded();
  await shot(page, 'cost-phone');
});
