/**
 * Issue 20's measurement (not part of `npm test`: run it with `npm run measure:layers`). In Chromium, on the
 * built site, the default network (every setting the default but the epochs):
 * 1. trains 1 epoch (URL `epochs=1`; it stops by itself), then the Layers screen's map gives its 5-NN
 *    figure for the pixels, each hidden layer and the logits;
 * 2. the loss landscape, 31 × 31 on the path's plane, computed with training paused (stopped);
 * 3. the epochs raised to 5, the run continues to its end, the 5-NN figures again, and the timeline's memory;
 * 4. the epochs raised to 8, the landscape computed while training runs.
 * The figures are printed and written to test-results/layers-measure.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const RESULTS = path.join(ROOT, 'test-results');
const LONG = 20 * 60_000;

async function knnPerLayer(page: Page): Promise<Record<string, number>> {
  await page.getByTestId('open-hidden-map').click();
  const map = page.getByTestId('hidden-map');
  const out: Record<string, number> = {};
  for (const layer of ['input', '0', '1', 'output']) {
    await page.getByTestId('hidden-map-layer').selectOption(layer);
    await expect(map).toHaveAttribute('data-layer', layer, { timeout: 60_000 });
    // Stopped: the map catches up with the last step once, then stays.
    await expect
      .poll(
        async () => {
          const a = await map.getAttribute('data-step');
          await page.waitForTimeout(1500);
          return a === (await map.getAttribute('data-step'));
        },
        { timeout: 60_000 },
      )
      .toBe(true);
    out[layer] = Number(await map.getAttribute('data-knn'));
  }
  return out;
}

async function raiseEpochs(page: Page, epochs: number): Promise<void> {
  await page.getByTestId('open-watch').click();
  const field = page.getByTestId('epochs');
  await field.fill(String(epochs));
  await field.press('Enter');
  await expect.poll(() => new URL(page.url()).searchParams.get('epochs')).toBe(String(epochs));
}

async function landscape(page: Page) {
  await page.getByTestId('open-hidden-map').click();
  const view = page.getByTestId('loss-landscape');
  if ((await view.count()) === 0) await page.getByTestId('open-loss-landscape').click();
  await page.getByTestId('landscape-grid').selectOption('31');
  await page.getByTestId('landscape-compute').click();
  await expect(view).toHaveAttribute('data-state', 'computing');
  await expect(view).toHaveAttribute('data-state', 'done', { timeout: LONG });
  return {
    plane: await view.getAttribute('data-plane'),
    points: Number(await view.getAttribute('data-points')),
    pathPoints: Number(await view.getAttribute('data-path')),
    workMs: Number(await view.getAttribute('data-work-ms')),
    elapsedMs: Number(await view.getAttribute('data-elapsed-ms')),
    threads: Number(await view.getAttribute('data-threads')),
  };
}

test('issue 20: the map’s 5-NN per layer after 1 and 5 epochs, the landscape’s time, the timeline’s memory', async ({
  page,
}) => {
  test.setTimeout(90 * 60_000);
  await page.goto('./?epochs=1');
  await expect(page.getByTestId('dataset-counts')).toHaveText('60,000 train · 10,000 test', {
    timeout: 60_000,
  });
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('stop-reason')).toHaveAttribute('data-reason', 'epochs', { timeout: LONG });
  const after1 = await knnPerLayer(page);
  const paused = await landscape(page);

  await raiseEpochs(page, 5);
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-test-points', '5', {
    timeout: 4 * LONG,
  });
  await expect(page.getByTestId('train-toggle')).toHaveText(/Train|Resume/, { timeout: 60_000 });
  const after5 = await knnPerLayer(page);
  // UMAP of each layer of the same weights (its own thread; seconds a fit).
  await page.getByTestId('hidden-map-method').selectOption('umap');
  const umapAfter5: Record<string, number> = {};
  for (const layer of ['input', '0', '1', 'output']) {
    await page.getByTestId('hidden-map-layer').selectOption(layer);
    const map = page.getByTestId('hidden-map');
    await expect(map).toHaveAttribute('data-layer', layer, { timeout: 120_000 });
    await expect(map).toHaveAttribute('data-method', 'umap', { timeout: 120_000 });
    umapAfter5[layer] = Number(await map.getAttribute('data-knn'));
  }
  await page.getByTestId('hidden-map-method').selectOption('pca');
  const kept = page.getByTestId('landscape-kept');
  if ((await kept.count()) === 0) await page.getByTestId('open-loss-landscape').click();
  const timeline = { text: await kept.textContent(), bytes: Number(await kept.getAttribute('data-bytes')) };

  await raiseEpochs(page, 8);
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('train-toggle')).toHaveText('Pause');
  const training = await landscape(page);
  await page.getByTestId('train-toggle').click();

  const result = { after1, after5, umapAfter5, paused, training, timeline };
  const text = JSON.stringify(result, null, 2);
  console.log(`layers measure (npm run measure:layers):\n${text}`);
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(path.join(RESULTS, 'layers-measure.json'), text);
});
