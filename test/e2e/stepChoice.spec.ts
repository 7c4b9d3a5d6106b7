/**
 * The one-step screen never opens empty (issue 17 item 6), in Chromium: it opens on the first hidden layer's
 * neuron that the probe makes most active (read back here from the diagram's own tooltips, neuron by
 * neuron), says so, and explains it exactly (Step applies the update shown); a click on an output neuron in
 * the layer diagram selects it, and One step explains that one too. With no hidden layer it opens on the
 * most likely class. Screenshots go to test/e2e/artifacts/ (looked at, not compared).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { layoutDiagram, MAX_SHOWN } from '../../src/components/panels/LayerDiagram/diagramLayout';
import { expect, test } from './fixtures';

const ARTIFACTS = path.join(import.meta.dirname, 'artifacts');
test.beforeAll(() => mkdirSync(ARTIFACTS, { recursive: true }));
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });

async function openStep(page: Page, query: string): Promise<Locator> {
  await page.goto(`./${query}`);
  await expect(page.getByTestId('dataset-counts')).toHaveText('60,000 train · 10,000 test', {
    timeout: 45_000,
  });
  await page.getByTestId('open-step').click();
  const view = page.getByTestId('step-explained');
  await expect(view).toBeVisible();
  return view;
}

/** Where neuron `index` of diagram column `column` (0 = first hidden layer) is, in page coordinates. */
async function nodeAt(page: Page, sizes: number[], column: number, index: number) {
  const box = (await page.getByTestId('layer-diagram').boundingBox())!;
  const node = layoutDiagram(box.width, box.height, sizes).columns[column]!.nodes[index]!;
  return { x: box.x + node.x, y: box.y + node.y };
}

/** The number a neuron's tooltip gives (its activation, or an output's probability), by hovering it. */
async function hoverValue(page: Page, sizes: number[], column: number, index: number): Promise<string> {
  const p = await nodeAt(page, sizes, column, index);
  await page.mouse.move(p.x, p.y);
  const tip = page.locator('[data-testid="layer-diagram"] [role="tooltip"]');
  const want =
    column === sizes.length - 2
      ? /probability (\S+)$/
      : new RegExp(`neuron ${index + 1}: activation (\\S+?)(?: |$)`);
  await expect(tip).toHaveText(want);
  return want.exec((await tip.textContent()) ?? '')![1]!;
}

/** The values of the first `n` neurons of a column, as the diagram's tooltips say them. */
async function columnValues(page: Page, sizes: number[], column: number, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(Number(await hoverValue(page, sizes, column, i)));
  await page.mouse.move(1, 1);
  return out;
}

test('One step opens on the most active hidden neuron, says so, and explains an output neuron clicked', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const sizes = [784, 24, 12, 10];
  const view = await openStep(page, '?hidden=24-12&batch=32&opt=adam&lr=0.002');

  // Not empty: a neuron of the first hidden layer, chosen and said so.
  await expect(view).toHaveAttribute('data-layer', '0');
  const unit = Number(await view.getAttribute('data-unit'));
  const choice = page.getByTestId('step-choice');
  await expect(choice).toContainText(
    `neuron ${unit} of hidden layer 1, chosen as the most active for the probe image`,
  );
  await expect(choice).toContainText('click another neuron in the layer diagram');
  await expect(view).toHaveAttribute('data-source', 'batch');
  await expect(view).toHaveAttribute('data-step', '0');
  await expect(view).toContainText(`Neuron ${unit} of hidden layer 1`);
  // The most active of the drawn neurons for the probe, by the diagram's own numbers (ties to 3 digits aside).
  const acts = await columnValues(page, sizes, 0, Math.min(sizes[1]!, MAX_SHOWN));
  expect(unit).toBeLessThan(acts.length);
  expect(acts[unit]).toBe(Math.max(...acts));
  await shot(page, 'step-choice-opened');

  // It is explained exactly: Step applies the update shown.
  await page.getByTestId('step').click();
  await expect(view).toHaveAttribute('data-applied', 'true');
  await expect(view).toHaveAttribute('data-update-matches', 'true');

  // An output neuron, clicked in the diagram: selected (the last weight layer's unit) and explained.
  const out = await nodeAt(page, sizes, 2, 4);
  await page.mouse.click(out.x, out.y);
  await expect(view).toHaveAttribute('data-layer', '2');
  await expect(view).toHaveAttribute('data-unit', '4');
  await expect(choice).toHaveCount(0);
  await expect(view).toHaveAttribute('data-step', '1');
  await expect(view).toHaveAttribute('data-applied', 'false');
  await expect(view).toContainText('Neuron 4 of the output layer');
  await expect(view).toContainText('for this output neuron: δⱼ = pⱼ − [j = label]');
  await shot(page, 'step-choice-output');
  await page.getByTestId('step').click();
  await expect(view).toHaveAttribute('data-applied', 'true');
  await expect(view).toHaveAttribute('data-update-matches', 'true');
  await expect(view).toContainText('changed by exactly the update shown');

  // The selection is shared: the first screen's diagram selects output neurons too.
  await page.getByTestId('open-watch').click();
  const watchOut = await nodeAt(page, sizes, 2, 7);
  await page.mouse.click(watchOut.x, watchOut.y);
  await page.getByTestId('open-step').click();
  await expect(view).toHaveAttribute('data-layer', '2');
  await expect(view).toHaveAttribute('data-unit', '7');
});

test('with no hidden layer, One step opens on the output neuron of the most likely class', async ({
  page,
}) => {
  test.setTimeout(60_000);
  const sizes = [784, 10];
  const view = await openStep(page, '?hidden=none');
  await expect(view).toHaveAttribute('data-layer', '0');
  const unit = Number(await view.getAttribute('data-unit'));
  await expect(page.getByTestId('step-choice')).toContainText(
    `output neuron ${unit} (“${unit}”), chosen as the class the network finds most likely for the probe image`,
  );
  await expect(view).toContainText(`Neuron ${unit} of the output layer`);
  const probs = await columnValues(page, sizes, 0, 10);
  expect(probs[unit]).toBe(Math.max(...probs));
  await shot(page, 'step-choice-no-hidden');
});
