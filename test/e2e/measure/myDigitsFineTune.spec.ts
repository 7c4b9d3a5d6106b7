/**
 * Issue 18's measurement (not part of `npm test`: playwright.config.ts ignores test/e2e/measure/ unless
 * E2E_MEASURE=1; run it with `npm run measure:my-digits`). In Chromium, against the built site:
 * 1. draw 10 digits of each class by mouse (digitStrokes.ts: placement, size, slant and stroke width
 *    varied by a seed, MEASURE_SEED, default 1) and save each with its "save as" button — each gets its
 *    teach or test half;
 * 2. train the default network (URL `epochs=1`, every other setting the default) for one epoch with
 *    mine=0, then read MNIST's test accuracy and the accuracy on the test half (`my-digits-accuracy`);
 * 3. choose ×20 in My digits' "Train on my digits too" (mine=20), raise the epochs to 2 in the controls
 *    (the run continues) and train one more epoch; read both again.
 * The four numbers and the command are printed and written to test-results/my-digits-fine-tune-seed<N>.json.
 *
 * The engine's speed is the tests' fixed one (fixtures.ts): the default network is built at it without a
 * question; if a slower fixed speed made it "Slow network — build anyway?", the test confirms it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { drawAndSaveTen } from '../strokes';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const RESULTS = path.join(ROOT, 'test-results');
const SEED = Number(process.env.MEASURE_SEED ?? 1);
const PER_CLASS = Number(process.env.MEASURE_PER_CLASS ?? 10);
const QUERY = '?epochs=1';
const EPOCH_TIMEOUT = 15 * 60_000;

/** The percentage a `NN.N%` text (or `NN.N% · n of m`) starts with. */
const percent = (text: string): number => {
  const m = /^(\d{1,3}(?:\.\d)?)%/.exec(text.trim());
  if (!m) throw new Error(`not a percentage: ${JSON.stringify(text)}`);
  return Number(m[1]);
};

interface Reading {
  mnistTestAccuracy: number;
  myTestAccuracy: number;
  myTestCorrect: string;
}

/** Both accuracies once the run has stopped after `epochs` epochs ("Check now" scores the test half). */
async function read(page: Page, epochs: number): Promise<Reading> {
  // The loss chart is on the Watch screen (My digits' screen has none).
  await page.getByTestId('open-watch').click();
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-test-points', String(epochs), {
    timeout: EPOCH_TIMEOUT,
  });
  await expect(page.getByTestId('train-toggle')).toHaveText('Train', { timeout: 60_000 });
  const mnist = (await page.getByTestId('test-accuracy').textContent()) ?? '';
  await page.getByTestId('open-mine').click();
  const acc = page.getByTestId('my-digits-accuracy');
  const before = await acc.getAttribute('data-value');
  await page.getByTestId('my-digits-evaluate').click();
  await expect(acc).toHaveText(/^\d{1,3}\.\d% · \d+ of \d+$/);
  // The click's figure is in (the epoch's own evaluation had the same network, so it may equal it).
  await page.waitForTimeout(before === null || before === '' ? 0 : 500);
  const mine = (await acc.textContent()) ?? '';
  return {
    mnistTestAccuracy: percent(mnist),
    myTestAccuracy: percent(mine),
    myTestCorrect: mine.split('·')[1]?.trim() ?? '',
  };
}

test('my digits: accuracy on the test half and on MNIST before and after one epoch with mine=20', async ({
  page,
}) => {
  test.setTimeout(40 * 60_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const t0 = Date.now();
  await page.goto(`./${QUERY}`);
  await expect(page.getByTestId('train-toggle')).toBeEnabled({ timeout: 120_000 });

  await drawAndSaveTen(page, PER_CLASS, SEED);
  const drawnMs = Date.now() - t0;
  await page.getByTestId('open-mine').click();
  const gallery = page.getByTestId('my-digits');
  await expect(gallery).toHaveAttribute('data-count', String(10 * PER_CLASS));
  const teach = (await page.getByTestId('my-digits-teach').textContent()) ?? '';
  const testHalf = (await page.getByTestId('my-digits-test').textContent()) ?? '';
  await expect(page.getByTestId('my-digits-mine')).toHaveValue('0');

  // Epoch 1, mine=0.
  const confirm = page.getByTestId('cost-confirm');
  if (await confirm.isVisible()) await confirm.click();
  await page.getByTestId('train-toggle').click();
  const base = await read(page, 1);
  const baseMs = Date.now() - t0;

  // Epoch 2 with ×20, as a user does it: the My digits control, then one more epoch in the controls.
  await page.getByTestId('my-digits-mine').selectOption('20');
  await expect.poll(() => new URL(page.url()).searchParams.get('mine')).toBe('20');
  await expect(page.getByTestId('my-digits-mine-ignored')).toHaveCount(0);
  // The epochs field is in the Network controls, on the Watch screen.
  await page.getByTestId('open-watch').click();
  const epochs = page.getByTestId('epochs');
  await epochs.fill('2');
  await epochs.press('Enter');
  await expect.poll(() => new URL(page.url()).searchParams.get('epochs')).toBe('2');
  await expect(page.getByTestId('train-toggle')).toBeEnabled();
  await page.getByTestId('train-toggle').click();
  const tuned = await read(page, 2);
  expect(errors).toEqual([]);

  const command = `E2E_PORT=${process.env.E2E_PORT ?? 4173} MEASURE_SEED=${SEED} npm run measure:my-digits`;
  const result = {
    command,
    url: QUERY,
    seed: SEED,
    digits: 10 * PER_CLASS,
    halves: `${teach} · ${testHalf}`,
    before: { mine: 0, epoch: 1, ...base },
    after: { mine: 20, epoch: 2, ...tuned },
    seconds: { drawn: drawnMs / 1000, firstEpoch: baseMs / 1000, total: (Date.now() - t0) / 1000 },
    at: new Date().toISOString(),
  };
  mkdirSync(RESULTS, { recursive: true });
  const file = path.join(RESULTS, `my-digits-fine-tune-seed${SEED}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(
    [
      `command: ${command}`,
      `digits: ${result.digits} (${result.halves}), network: default, ${QUERY}`,
      `epoch 1, mine=0:  MNIST test ${base.mnistTestAccuracy.toFixed(1)}% · my test half ${base.myTestAccuracy.toFixed(1)}% (${base.myTestCorrect})`,
      `epoch 2, mine=20: MNIST test ${tuned.mnistTestAccuracy.toFixed(1)}% · my test half ${tuned.myTestAccuracy.toFixed(1)}% (${tuned.myTestCorrect})`,
      `written: ${path.relative(ROOT, file)}`,
    ].join('\n'),
  );
});
