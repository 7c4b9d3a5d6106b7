/**
 * The representation map in Chromium: opened by its tab, it shows the 2,000 test images of the chosen
 * layer from the engine's activations, follows the run while training, separates the classes better at the
 * logits than in the pixels once trained, shows an image on hover and the drawing as a marked dot, and asks
 * the worker nothing once closed. Screenshots go to test/e2e/artifacts/ (looked at by hand).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { one, stroke } from './strokes';

const ARTIFACTS = path.join(import.meta.dirname, 'artifacts');
test.beforeAll(() => mkdirSync(ARTIFACTS, { recursive: true }));
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });

/** Epochs the run trains before it stops by itself (6,000 images each). */
const EPOCHS = 12;

const map = (page: Page) => page.getByTestId('hidden-map');
const knn = async (page: Page) => Number(await map(page).getAttribute('data-knn'));

async function pick(page: Page, value: string): Promise<number> {
  await page.getByTestId('hidden-map-layer').selectOption(value);
  await expect(map(page)).toHaveAttribute('data-layer', value, { timeout: 30_000 });
  return knn(page);
}

test('the map of each layer: live, engine-made, explained, and silent when closed', async ({ page }) => {
  test.setTimeout(240_000);
  // Count the map's questions as they leave for the worker.
  await page.addInitScript(() => {
    const w = window as unknown as { __mapAsks: number };
    w.__mapAsks = 0;
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (this: Worker, msg: unknown, ...rest: unknown[]) {
      if ((msg as { type?: string } | null)?.type === 'hidden-map') w.__mapAsks++;
      return (post as (...a: unknown[]) => void).call(this, msg, ...rest);
    };
  });
  await page.goto(`./?hidden=128-64&batch=64&lr=0.003&decay=1&train=6000&epochs=${EPOCHS}`);
  await expect(page.getByTestId('dataset-counts')).toHaveText('60,000 train · 10,000 test', {
    timeout: 45_000,
  });
  await page.getByTestId('open-hidden-map').click();
  await expect(page.locator('main')).toHaveAttribute('data-screen', 'layers');
  await expect(map(page)).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await expect(map(page)).toHaveAttribute('data-layer', '0');
  await expect(map(page)).toHaveAttribute('data-count', '2000');
  const options = await page
    .getByTestId('hidden-map-layer')
    .locator('option')
    .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(options).toEqual(['input', '0', '1', 'output']);
  // Pixels: PCA of MNIST separates little (numpy: 0.39 on the first 2,000 test images).
  const pixels = await pick(page, 'input');
  expect(pixels).toBeGreaterThan(0.3);
  expect(pixels).toBeLessThan(0.48);

  // Training: the map follows (its step moves while the run goes on), and once the run has stopped by itself
  // (a fixed number of epochs, so the weights and the figures do not depend on the machine's speed) the
  // logits separate far better than the pixels.
  await page.getByTestId('hidden-map-layer').selectOption('output');
  await expect(map(page)).toHaveAttribute('data-layer', 'output', { timeout: 30_000 });
  await map(page).evaluate((el) => {
    const seen = new Set<string>([el.getAttribute('data-step') ?? '']);
    (window as unknown as { __mapSteps: Set<string> }).__mapSteps = seen;
    new MutationObserver(() => seen.add(el.getAttribute('data-step') ?? '')).observe(el, {
      attributeFilter: ['data-step'],
    });
  });
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('stop-reason')).toHaveAttribute('data-reason', 'epochs', {
    timeout: 120_000,
  });
  const lastStep = `${EPOCHS * Math.ceil(6000 / 64)}`;
  await expect(map(page)).toHaveAttribute('data-step', lastStep, { timeout: 30_000 });
  const steps = await page.evaluate(() => [...(window as unknown as { __mapSteps: Set<string> }).__mapSteps]);
  // The untrained map, at least one taken while training, and the last.
  expect(steps.length, steps.join(' ')).toBeGreaterThanOrEqual(3);
  const logits = await knn(page);
  console.log(`map 5-NN after ${EPOCHS} epochs of 6,000: pixels ${pixels}, logits ${logits}`);
  expect(logits).toBeGreaterThan(pixels + 0.15);
  const hidden1 = await pick(page, '0');
  expect(hidden1).toBeGreaterThan(pixels);

  // Hover a dot: its image, label and reading.
  const canvas = page.locator('.hidden-map-canvas');
  const b = (await canvas.boundingBox())!;
  let tip = false;
  for (let i = 0; i < 40 && !tip; i++) {
    await page.mouse.move(b.x + b.width * (0.3 + 0.01 * i), b.y + b.height * (0.5 + 0.005 * i));
    tip = await page.getByTestId('hidden-map-tip').isVisible();
  }
  expect(tip).toBe(true);
  await expect(page.getByTestId('hidden-map-tip')).toContainText(/a \d, read as \d/);

  // The drawing: a marked dot placed with the map's projection.
  await stroke(page, one(0.5, 0.5, 0.8));
  await expect(map(page)).not.toHaveAttribute('data-drawing', '', { timeout: 15_000 });
  await expect(map(page)).toHaveAttribute('data-drawing', /^-?\d+\.\d+,-?\d+\.\d+$/);
  await shot(page, 'hidden-map');

  // UMAP, on its own thread: the same images embedded by their neighbours, separating far better than
  // the PCA of the same layer; the drawing placed in it.
  const pcaHidden = await knn(page);
  await page.getByTestId('hidden-map-method').selectOption('umap');
  await expect(map(page)).toHaveAttribute('data-method', 'umap', { timeout: 90_000 });
  await expect(map(page)).toHaveAttribute('data-layer', '0');
  const umapHidden = await knn(page);
  console.log(`hidden layer 1: PCA 5-NN ${pcaHidden}, UMAP 5-NN ${umapHidden}`);
  expect(umapHidden).toBeGreaterThan(pcaHidden + 0.1);
  await expect(map(page)).toHaveAttribute('data-drawing', /^-?\d+\.\d+,-?\d+\.\d+$/, { timeout: 15_000 });
  await shot(page, 'hidden-map-umap');
  await page.getByTestId('hidden-map-method').selectOption('pca');
  await expect(map(page)).toHaveAttribute('data-method', 'pca');

  // Closed: no more questions to the worker, even while training.
  const asks = () => page.evaluate(() => (window as unknown as { __mapAsks: number }).__mapAsks);
  expect(await asks()).toBeGreaterThan(3);
  await page.getByTestId('open-watch').click();
  const closedAt = await asks();
  await page.getByTestId('train-toggle').click();
  await page.waitForTimeout(3000);
  expect(await asks()).toBe(closedAt);
  await page.getByTestId('train-toggle').click();
});
