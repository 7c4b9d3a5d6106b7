/**
 * One step explained, in Chromium: pick a neuron, read the next batch's update, press Step — the weights
 * the page receives changed by exactly the update shown (compared in the page, bit for bit). Then the
 * same for a test image, which is never trained on.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { layoutDiagram } from '../../src/components/panels/LayerDiagram/diagramLayout';
import { expect, test } from './fixtures';

const ARTIFACTS = path.join(import.meta.dirname, 'artifacts');
test.beforeAll(() => mkdirSync(ARTIFACTS, { recursive: true }));
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });

test('one step explained: the shown update is exactly what Step applies', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('./?hidden=24-12&batch=32&opt=adam&lr=0.002');
  await expect(page.getByTestId('dataset-counts')).toHaveText('60,000 train · 10,000 test', {
    timeout: 45_000,
  });
  const tab = page.getByTestId('open-step');
  expect(await tab.getAttribute('data-opens')).toContain('step-explained');
  await tab.click();
  const view = page.getByTestId('step-explained');
  await expect(view).toBeVisible();

  // Two steps first, so Adam has moments to show.
  for (let i = 0; i < 2; i++) await page.getByTestId('step').click();
  await expect(page.getByTestId('status')).toContainText('step 2');

  const diagram = page.getByTestId('layer-diagram');
  const box = (await diagram.boundingBox())!;
  const node = layoutDiagram(box.width, box.height, [784, 24, 12, 10]).columns[1]!.nodes[3]!;
  await page.mouse.click(box.x + node.x, box.y + node.y);
  await expect(view).toHaveAttribute('data-layer', '1');
  await expect(view).toHaveAttribute('data-unit', '3');
  await expect(view).toHaveAttribute('data-source', 'batch');
  await expect(view).toHaveAttribute('data-step', '2');
  await expect(view).toContainText('Adam (t = 3)');
  await expect(view).toContainText('δⱼ = (Wᵀδ)ⱼ · f′(z)');
  await shot(page, 'step-before');

  await page.getByTestId('step').click();
  await expect(view).toHaveAttribute('data-applied', 'true');
  await expect(view).toHaveAttribute('data-update-matches', 'true');
  await expect(view).toContainText('changed by exactly the update shown');
  await shot(page, 'step-applied');

  // A test image: what it alone would contribute, nothing changed.
  await page.getByLabel('test image', { exact: true }).check();
  await expect(view).toHaveAttribute('data-source', 'test');
  await expect(view).toContainText('never trained on');
  await expect(page.getByTestId('status')).toContainText('step 3');
});
