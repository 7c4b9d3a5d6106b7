/**
 * One step stays exact on two workers, in Chromium against the built (cross-origin isolated) site: over 6
 * consecutive explained steps, from a fresh start (the small Adam network) and after the default
 * network trained for a while, the weights the page receives changed by exactly the update shown (the view
 * compares them bit for bit and says so in data-update-matches).
 */
import type { Page } from '@playwright/test';
import { layoutDiagram } from '../../src/components/panels/LayerDiagram/diagramLayout';
import { expect, test } from './fixtures';

const LOAD_TIMEOUT = 45_000;

async function ready(page: Page): Promise<void> {
  await expect(page.getByTestId('dataset-counts')).toHaveText('60,000 train · 10,000 test', {
    timeout: LOAD_TIMEOUT,
  });
}

/** Selects weight layer `layer`'s unit in the layer diagram of a network of `sizes` (its columns follow the input). */
async function selectNeuron(page: Page, sizes: number[], layer: number, unit: number): Promise<void> {
  const box = (await page.getByTestId('layer-diagram').boundingBox())!;
  const node = layoutDiagram(box.width, box.height, sizes).columns[layer]!.nodes[unit]!;
  await page.mouse.click(box.x + node.x, box.y + node.y);
}

/** Explains, steps and checks `count` times in a row, on the batch source. */
async function explainedSteps(page: Page, count: number): Promise<void> {
  const view = page.getByTestId('step-explained');
  for (let i = 0; i < count; i++) {
    await expect(view).toHaveAttribute('data-applied', 'false');
    await expect(view).toHaveAttribute('data-source', 'batch');
    const step = Number(await view.getAttribute('data-step'));
    await page.getByTestId('step').click();
    await expect(view).toHaveAttribute('data-applied', 'true');
    await expect(view, `step ${step + 1}`).toHaveAttribute('data-update-matches', 'true');
    await expect(view).toContainText('changed by exactly the update shown');
    await view.getByRole('button', { name: 'Explain the next step' }).click();
    await expect(view).toHaveAttribute('data-step', String(step + 1));
  }
}

test.beforeEach(async ({ page }) => {
  await page.goto('./');
  test.skip((await page.evaluate(() => navigator.hardwareConcurrency)) < 2, 'one core: one worker');
});

test('two workers, from a fresh start: 6 consecutive steps apply exactly the update shown', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto('./?hidden=24-12&batch=128&opt=adam&lr=0.002&workers=2');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await ready(page);
  await expect(page.getByTestId('workers-used')).toHaveAttribute('data-used', '2', { timeout: 20_000 });
  await page.getByTestId('open-step').click();
  await selectNeuron(page, [784, 24, 12, 10], 0, 3);
  await expect(page.getByTestId('step-explained')).toHaveAttribute('data-layer', '0');
  await expect(page.getByTestId('step-explained')).toHaveAttribute('data-unit', '3');
  await explainedSteps(page, 3);
  // And a neuron of the second hidden layer, on the same run.
  await selectNeuron(page, [784, 24, 12, 10], 1, 5);
  await expect(page.getByTestId('step-explained')).toHaveAttribute('data-layer', '1');
  await expect(page.getByTestId('step-explained')).toHaveAttribute('data-unit', '5');
  await explainedSteps(page, 3);
  await expect(page.getByTestId('workers-used')).toHaveAttribute('data-used', '2');
});

test('two workers, after training the default network: 6 consecutive steps apply exactly the update shown', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto('./?workers=2');
  await ready(page);
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('workers-used')).toHaveAttribute('data-used', '2', { timeout: 20_000 });
  // Some hundreds of steps, so the moments are far from their start.
  await expect
    .poll(
      async () =>
        Number(
          ((await page.getByTestId('status').textContent()) ?? '')
            .match(/step ([\d,]+)/)?.[1]
            ?.replace(/,/g, '') ?? 0,
        ),
      { timeout: 60_000 },
    )
    .toBeGreaterThan(200);
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('train-toggle')).toHaveText(/Train/);
  await page.getByTestId('open-step').click();
  await selectNeuron(page, [784, 256, 128, 10], 0, 2);
  await expect(page.getByTestId('step-explained')).toHaveAttribute('data-layer', '0');
  await expect(page.getByTestId('step-explained')).toHaveAttribute('data-unit', '2');
  await explainedSteps(page, 6);
  await expect(page.getByTestId('workers-used')).toHaveAttribute('data-used', '2');
});
