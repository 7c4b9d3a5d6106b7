/**
 * The Inside screen in Chromium: after a short run every view shows data from the engine; a confusion
 * cell shows its images; a drawn digit gets a saliency map; a neuron clicked in the diagram is the unit
 * the unit view shows; Fashion-MNIST's class names label the matrix. Screenshots, light and dark, go to
 * test/e2e/artifacts/ (looked at by hand; not compared).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { layoutDiagram } from '../../src/components/panels/LayerDiagram/diagramLayout';
import { one, stroke } from './strokes';

const ARTIFACTS = path.join(import.meta.dirname, 'artifacts');
const LOAD_TIMEOUT = 45_000;
/** Two hidden layers, an epoch in a few seconds. */
const SMALL = '?hidden=48-24&batch=128&lr=0.003&decay=1&epochs=0';

test.beforeAll(() => mkdirSync(ARTIFACTS, { recursive: true }));
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
const num = async (page: Page, testId: string, name: string) =>
  Number((await page.getByTestId(testId).first().getAttribute(name)) ?? 'NaN');

async function openReady(page: Page, query: string, counts = '60,000 train · 10,000 test'): Promise<void> {
  await page.goto(`./${query}`);
  await expect(page.getByTestId('dataset-counts')).toHaveText(counts, { timeout: LOAD_TIMEOUT });
  await expect(page.getByTestId('train-toggle')).toBeEnabled();
}

/** Trains until the first epoch's test accuracy is shown, then pauses. */
async function trainOneEpoch(page: Page): Promise<void> {
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('test-accuracy')).not.toHaveText('', { timeout: 90_000 });
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('train-toggle')).toHaveText(/Train|Resume/);
}

test('the inside views: live, explained, connected (MNIST)', async ({ page }) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openReady(page, SMALL);

  // A neuron clicked in the diagram (the second of hidden layer 1) becomes the selected unit.
  const diagram = page.getByTestId('layer-diagram');
  const box = (await diagram.boundingBox())!;
  const layout = layoutDiagram(box.width, box.height, [784, 48, 24, 10]);
  const node = layout.columns[0]!.nodes[1]!;
  await page.mouse.click(box.x + node.x + 3, box.y + node.y + 2);

  // The tab says which views it opens, and opens them.
  const tab = page.getByTestId('open-inside');
  const opens = ((await tab.getAttribute('data-opens')) ?? '').split(' ');
  for (const id of [
    'gradient-flow',
    'activation-health',
    'init-lab',
    'confusion-matrix',
    'unit-view',
    'saliency',
  ])
    expect(opens).toContain(id);
  await tab.click();
  for (const id of opens) await expect(page.getByTestId(id).first()).toBeVisible();

  // The init lab needs no training: four inits, the current one (He) pressed.
  await expect(page.getByTestId('init-lab')).toHaveAttribute('data-results', '4');
  await expect(page.locator('[data-init="he"]')).toHaveAttribute('aria-pressed', 'true');

  // Train one epoch while the views are open: gradient flow and health fill in, the matrix appears.
  await trainOneEpoch(page);
  await expect(page.getByTestId('gradient-flow')).toHaveAttribute('data-layers', '3');
  expect(await num(page, 'gradient-flow', 'data-points')).toBeGreaterThan(5);
  await expect(page.getByTestId('activation-health')).toHaveAttribute('data-layers', '2');
  const cells = page.getByTestId('confusion-cell');
  await expect(cells).toHaveCount(100);
  const counts = await cells.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
  expect(counts.reduce((a, b) => a + b, 0)).toBe(10_000);

  // The most confident mistakes, then one cell's images.
  await expect(page.getByTestId('mistake').first()).toBeVisible();
  let best = -1;
  counts.forEach((c, i) => {
    if (Math.floor(i / 10) !== i % 10 && (best < 0 || c > counts[best]!)) best = i;
  });
  const [t, p] = [Math.floor(best / 10), best % 10];
  await page.locator(`[data-testid="confusion-cell"][data-true="${t}"][data-predicted="${p}"]`).click();
  await expect(page.getByTestId('mistakes')).toHaveAttribute(
    'data-count',
    String(Math.min(12, counts[best]!)),
  );
  const shown = await page
    .getByTestId('mistake')
    .evaluateAll((els) => els.map((e) => e.querySelector('strong')?.textContent));
  expect(new Set(shown)).toEqual(new Set([String(p)]));

  // The unit clicked in the diagram: its weights and its nine most exciting test images.
  await expect(page.getByTestId('unit-view')).toHaveAttribute('data-unit', '1');
  await expect(page.getByTestId('unit-view')).toHaveAttribute('data-images', '9');

  // A drawn 1: the saliency map and the units that pushed the answer.
  await stroke(page, one(0.5, 0.5, 0.8));
  await expect(page.getByTestId('saliency')).toHaveAttribute('data-shown', 'true');
  await expect(page.locator('.unit-chip').first()).toBeVisible();
  await shot(page, 'inside-light');

  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForTimeout(300);
  await shot(page, 'inside-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // Back to the first screen: the diagram is there again, the drawing kept.
  await page.getByTestId('open-watch').click();
  await expect(page.getByTestId('layer-diagram')).toBeVisible();
  await expect(page.getByTestId('prediction')).not.toHaveText('');
  expect(errors).toEqual([]);
});

test('the init lab switches the init with one click; the deep-sigmoid gradients vanish', async ({ page }) => {
  test.setTimeout(120_000);
  await openReady(page, '?hidden=64-64-64-64-64&act=sigmoid&init=xavier&opt=sgd&lr=0.1&decay=1&batch=64');
  await page.getByTestId('open-inside').click();
  await expect(page.getByTestId('init-lab')).toHaveAttribute('data-results', '4');
  await page.getByTestId('train-toggle').click();
  await expect.poll(() => num(page, 'gradient-flow', 'data-points'), { timeout: 30_000 }).toBeGreaterThan(20);
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('gradient-flow')).toHaveAttribute('data-layers', '6');
  await shot(page, 'inside-deep-sigmoid');
  // One click on "Uniform" rebuilds the network with that init (the URL follows).
  await page.locator('[data-init="uniform"]').click();
  await expect(page.locator('[data-init="uniform"]')).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => new URL(page.url()).searchParams.get('init')).toBe('uniform');
});

test('Fashion-MNIST: the matrix names the classes', async ({ page }) => {
  test.setTimeout(150_000);
  await openReady(page, `?dataset=fashion-mnist&hidden=32&batch=128&lr=0.003&decay=1`);
  await page.getByTestId('open-inside').click();
  await trainOneEpoch(page);
  await expect(page.getByTestId('confusion-cell')).toHaveCount(100);
  const heads = await page.locator('.confusion-head.row').allTextContents();
  expect(heads.join(' ')).toMatch(/Trouser/);
  await shot(page, 'inside-fashion');
});
