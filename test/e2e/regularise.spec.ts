/**
 * Dropout, max-norm and augmentation in the page (Chromium): a link sets them and the controls show them;
 * a control changes one and the address follows; One step shows the mask and max-norm and still matches
 * what Step applies, bit for bit; the 99 % recipe is one click away.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { layoutDiagram } from '../../src/components/panels/LayerDiagram/diagramLayout';
import { expect, test } from './fixtures';

const ARTIFACTS = path.join(import.meta.dirname, 'artifacts');
test.beforeAll(() => mkdirSync(ARTIFACTS, { recursive: true }));

test('regularisers: link, controls, One step with the mask and max-norm, the recipe', async ({ page }) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('./?hidden=24-12&batch=32&dropIn=0.2&drop=0.5&maxNorm=1&augment=affine');
  await expect(page.getByTestId('dataset-counts')).toHaveText('60,000 train · 10,000 test', {
    timeout: 45_000,
  });
  const controls = page.getByTestId('regularise-controls');
  await expect(controls).toBeVisible();
  await expect(page.getByTestId('input-dropout')).toHaveValue('0.2');
  await expect(page.getByTestId('dropout')).toHaveValue('0.5');
  await expect(page.getByTestId('max-norm')).toHaveValue('1');
  await expect(page.getByTestId('augment')).toHaveValue('affine');

  // A control: the address follows.
  await page.getByTestId('dropout').selectOption('0.3');
  await expect.poll(() => new URL(page.url()).searchParams.get('drop')).toBe('0.3');

  // One step on a hidden neuron: the regularisers' lines, and the update matches what Step writes.
  await page.getByTestId('open-step').click();
  const view = page.getByTestId('step-explained');
  for (let i = 0; i < 2; i++) await page.getByTestId('step').click();
  await expect(page.getByTestId('status')).toContainText('step 2');
  const box = (await page.getByTestId('layer-diagram').boundingBox())!;
  const node = layoutDiagram(box.width, box.height, [784, 24, 12, 10]).columns[1]!.nodes[3]!;
  await page.mouse.click(box.x + node.x, box.y + node.y);
  await expect(view).toHaveAttribute('data-layer', '1');
  const lines = page.getByTestId('step-regularisers');
  await expect(lines).toContainText(/dropout \(p = 30 %\): this neuron was (kept|dropped)/);
  await expect(lines).toContainText(/inputs were dropped in this image/);
  await expect(lines).toContainText(/max-norm: after the update ‖w‖ = /);
  await page.screenshot({ path: path.join(ARTIFACTS, 'step-regularised.png') });
  await page.getByTestId('step').click();
  await expect(view).toHaveAttribute('data-applied', 'true');
  await expect(view).toHaveAttribute('data-update-matches', 'true');

  // The recipe: one click sets every one of its settings.
  await page.getByTestId('open-watch').click();
  await page.getByTestId('preset-mnist-99').click();
  await expect.poll(() => new URL(page.url()).searchParams.get('augment')).toBe('elastic');
  const q = new URL(page.url()).searchParams;
  expect([q.get('hidden'), q.get('drop'), q.get('epochs')]).toEqual(['800', '0', '20']);
  expect(errors).toEqual([]);
});

test('what the network trains on: the next batch before and after its augmentation', async ({ page }) => {
  test.setTimeout(90_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('./?hidden=24-12&batch=32&augment=elastic');
  await expect(page.getByTestId('dataset-counts')).toHaveText('60,000 train · 10,000 test', {
    timeout: 45_000,
  });
  // Closed, it is not in the page (and asks the worker nothing).
  await expect(page.getByTestId('augmented-batch')).toHaveCount(0);
  await page.getByTestId('open-augmented-batch').click();
  const view = page.getByTestId('augmented-batch');
  await expect(view).toHaveAttribute('data-count', '12');
  await expect(view).toHaveAttribute('data-kind', 'elastic');
  await expect(view).toHaveAttribute('data-step', '1');
  // Elastic moves every digit: no pair is left as it was.
  await expect(view).toHaveAttribute('data-changed', '12');
  await expect(view.getByTestId('augmented-pair')).toHaveCount(12);
  await page.screenshot({ path: path.join(ARTIFACTS, 'augmented-batch.png') });

  // It follows the run: after two steps it shows step 3's images.
  for (let i = 0; i < 2; i++) await page.getByTestId('step').click();
  await expect(page.getByTestId('status')).toContainText('step 2');
  await expect(view).toHaveAttribute('data-step', '3');

  // Without augmentation both sides are the same images.
  await page.getByTestId('augment').selectOption('none');
  await expect(view).toHaveAttribute('data-kind', 'none');
  await expect(view).toHaveAttribute('data-changed', '0');
  await expect(view).toContainText('No augmentation');
  // Escape closes it and gives the focus back to its opener; the keyboard opens it again.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('augmented-batch')).toHaveCount(0);
  await expect(page.getByTestId('open-augmented-batch')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('augmented-batch')).toHaveAttribute('data-kind', 'none');
  expect(errors).toEqual([]);
});
