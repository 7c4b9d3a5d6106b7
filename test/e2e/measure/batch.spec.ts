/**
 * Issue 21's measurement (not part of `npm test`: run it with `npm run measure:batch`). In Chromium, on the
 * built site, with the page's automatic worker count, for `?batch=60000` (full-batch gradient descent on the
 * default network) and the issue's 259-125-60 tanh network at batch 1,024: while a step is in progress,
 * how long Pause takes to be answered (click → the worker's `paused` status) and how long a drawing's
 * predictions take (predict → prediction, each stroke's), five rounds each. The figures are printed and
 * written to test-results/batch-measure.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { drawOnce, instrumentScript } from '../../../bench/browser.bench';
import { expect, test } from '../fixtures';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const RESULTS = path.join(ROOT, 'test-results');
const ROUNDS = 5;

interface Bench {
  status: { status: string; t: number } | null;
  rtts: number[];
}
const bench = (page: Page) => page.evaluate(() => (window as unknown as { __bench: Bench }).__bench);

/** Clicks the Train/Pause button in the page and returns the page's clock then. */
const clickToggle = (page: Page) =>
  page.evaluate(() => {
    const t = performance.now();
    (document.querySelector('[data-testid="train-toggle"]') as HTMLButtonElement).click();
    return t;
  });

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, median: s[Math.floor(s.length / 2)] ?? NaN, max: s.at(-1) ?? NaN };
};

async function measure(page: Page, query: string) {
  await page.goto(`./${query}`);
  await expect(page.getByTestId('dataset-counts')).toHaveText('60,000 train · 10,000 test', {
    timeout: 60_000,
  });
  await expect(page.getByTestId('cost-alert')).toHaveCount(0);
  const cost = (await page.getByTestId('cost').innerText()).replace(/\s+/g, ' ');
  await page.getByTestId('train-toggle').click();
  const progress = page.getByTestId('step-progress');
  const pauses: number[] = [];
  let midStep = 0;
  const rttStart = (await bench(page)).rtts.length;
  for (let k = 0; k < ROUNDS; k++) {
    await expect(progress).toBeVisible({ timeout: 60_000 });
    await drawOnce(page, k, 2);
    await page.waitForTimeout(400);
    const t0 = await clickToggle(page);
    await expect.poll(async () => (await bench(page)).status?.status, { timeout: 10_000 }).toBe('paused');
    pauses.push((await bench(page)).status!.t - t0);
    if ((await progress.count()) > 0) midStep++;
    await page.getByTestId('train-toggle').click();
    await page.waitForTimeout(600);
  }
  await page.getByTestId('train-toggle').click();
  const rtts = (await bench(page)).rtts.slice(rttStart);
  return { query, cost, pause: stats(pauses), predict: stats(rtts), pausedMidStep: midStep };
}

test('pause and predict while a step of a large batch is in progress', async ({ page }) => {
  test.setTimeout(10 * 60_000);
  await page.addInitScript({ content: instrumentScript() });
  const results = [
    await measure(page, '?batch=60000'),
    await measure(page, '?hidden=259-125-60&act=tanh&batch=1024'),
  ];
  for (const r of results) {
    console.log(
      `${r.query}: ${r.cost} · pause median ${r.pause.median.toFixed(0)} ms, max ${r.pause.max.toFixed(0)} ms ` +
        `(${r.pausedMidStep} of ${r.pause.n} in the middle of a step) · ${r.predict.n} predicts median ` +
        `${r.predict.median.toFixed(0)} ms, max ${r.predict.max.toFixed(0)} ms`,
    );
  }
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(path.join(RESULTS, 'batch-measure.json'), JSON.stringify(results, null, 2));
});
