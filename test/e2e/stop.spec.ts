/**
 * A run that stops by itself, in real Chromium against the built site: 1,000 training images, 1,000 held
 * out for validation, early stopping with patience 2. Training stops without a click, the top bar says why,
 * the loss chart draws the validation series and the marker (counts on the chart's host element).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures';

/** Screenshots for people (git-ignored), as ui.spec.ts writes them. */
const ARTIFACTS = path.resolve(import.meta.dirname, 'artifacts');

const LOAD_TIMEOUT = 45_000;
/** Small and fast: 16 batches an epoch; a constant learning rate, so the network overfits within ~15 epochs. */
const EARLY_STOP =
  '?train=1000&validation=1000&patience=2&hidden=128&schedule=constant&batch=64&lr=0.001&epochs=100';

test('early stopping: training stops by itself, says why, and the chart shows validation and the marker', async ({
  page,
}) => {
  await page.goto(`./${EARLY_STOP}`);
  await expect(page.getByTestId('dataset-counts')).toHaveText('60,000 train · 10,000 test', {
    timeout: LOAD_TIMEOUT,
  });
  // The controls show the settings the link holds.
  await expect(page.getByTestId('train-size')).toHaveValue('1000');
  await expect(page.getByTestId('validation')).toHaveValue('1000');
  await expect(page.getByTestId('patience')).toHaveValue('2');

  await page.getByTestId('train-toggle').click();
  const reason = page.getByTestId('stop-reason');
  await expect(reason).toHaveAttribute('data-reason', 'early-stopping', { timeout: 50_000 });
  await expect(reason).toHaveText(/^early stop: best epoch \d+, weights restored$/);
  await expect(page.getByTestId('train-toggle')).toHaveText('Train');

  const chart = page.getByTestId('loss-chart');
  await expect(chart).toHaveAttribute('data-stop-marker', /^early stop: best epoch \d+, weights restored$/);
  const best = Number((await reason.textContent())!.match(/best epoch (\d+)/)![1]);
  const validationPoints = Number(await chart.getAttribute('data-validation-points'));
  const testPoints = Number(await chart.getAttribute('data-test-points'));
  // One validation point per finished epoch, patience (2) epochs past the best one.
  expect(validationPoints).toBe(testPoints);
  expect(validationPoints).toBe(best + 2);
  // The URL still holds the settings (a link reproduces the run).
  expect(page.url()).toContain('train=1000&validation=1000');
  expect(page.url()).toContain('patience=2');
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'early-stop.png') });
});
