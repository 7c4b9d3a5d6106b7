/**
 * The visualiser in real Chromium, against the built site (`vite preview`, see playwright.config.ts).
 *
 * 1. Train a small network: the loss chart gets points and its smoothed loss falls, the test accuracy
 *    appears after the first epoch; the frame rate and long tasks while training are measured and reported.
 * 2. Draw with the mouse — a 1 and a 0, centred, small and off-centre — and read the prediction.
 * 3. Move a hidden-size slider: the diagram's sizes, the URL, a reload and browser Back follow.
 * 4. Layout: 1280×720 without scrolling, narrow screens reflow without sideways scrolling, dark theme.
 *
 * Screenshots of each state go to test/e2e/artifacts/ (git-ignored). `UPDATE_SCREENSHOT=1` also writes the
 * README's docs/screenshot.png (default network, trained two epochs, a drawn digit).
 */

import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { one, stroke, zero } from './strokes';
import { layoutDiagram } from '../../src/components/panels/LayerDiagram/diagramLayout';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const ARTIFACTS = path.join(ROOT, 'test', 'e2e', 'artifacts');
const LOAD_TIMEOUT = 45_000;
/** A configuration that finishes an MNIST epoch (60,000 images) in a few seconds here. */
const SMALL = '?hidden=32&batch=128&lr=0.003&decay=1&epochs=0';

test.beforeAll(() => mkdirSync(ARTIFACTS, { recursive: true }));

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });

async function openReady(page: Page, query: string): Promise<void> {
  await page.goto(`./${query}`);
  await expect(page.getByTestId('dataset-counts')).toHaveText('60,000 train · 10,000 test', {
    timeout: LOAD_TIMEOUT,
  });
  await expect(page.getByTestId('train-toggle')).toBeEnabled();
}

async function attr(page: Page, testId: string, name: string): Promise<string> {
  return (await page.getByTestId(testId).getAttribute(name)) ?? '';
}

/** requestAnimationFrame callbacks per second over `ms`, and long main-thread tasks (> 50 ms) meanwhile. */
async function measureFrames(
  page: Page,
  ms: number,
): Promise<{ fps: number; longTasks: number; worstMs: number }> {
  return page.evaluate(
    (duration) =>
      new Promise<{ fps: number; longTasks: number; worstMs: number }>((resolve) => {
        let frames = 0;
        let longTasks = 0;
        let worstMs = 0;
        const obs = new PerformanceObserver((list) => {
          for (const e of list.getEntries()) {
            longTasks++;
            worstMs = Math.max(worstMs, e.duration);
          }
        });
        try {
          obs.observe({ type: 'longtask', buffered: false });
        } catch {
          // No long-task timing in this browser: report 0.
        }
        const start = performance.now();
        const tick = (now: number) => {
          frames++;
          if (now - start < duration) requestAnimationFrame(tick);
          else {
            obs.disconnect();
            resolve({ fps: (frames * 1000) / (now - start), longTasks, worstMs: Math.round(worstMs) });
          }
        };
        requestAnimationFrame(tick);
      }),
    ms,
  );
}

async function clearCanvas(page: Page): Promise<void> {
  const clear = page.getByTestId('clear-canvas');
  if (await clear.isEnabled()) await clear.click();
  await expect(page.getByTestId('prediction')).toHaveText('');
}

test.describe('training and drawing', () => {
  test.describe.configure({ mode: 'serial' });
  let page: Page;

  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  });
  test.afterAll(async () => {
    await page.close();
  });

  test('training: the loss curve falls and the test accuracy appears after an epoch', async () => {
    test.setTimeout(150_000);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await openReady(page, SMALL);
    await expect(page.getByTestId('layer-diagram')).toHaveAttribute('data-sizes', '784,32,10');
    await expect(page.getByTestId('test-accuracy')).toHaveText('');
    await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-points', '0');
    await shot(page, 'ui-ready');

    await page.getByTestId('train-toggle').click();
    await expect(page.getByTestId('train-toggle')).toHaveText('Pause');
    await expect.poll(async () => Number(await attr(page, 'loss-chart', 'data-points'))).toBeGreaterThan(20);
    const early = Number(await attr(page, 'loss-chart', 'data-last-loss'));
    expect(early).toBeGreaterThan(0);

    // Frame rate while training at full speed (the worker trains; the page only draws).
    const frames = await measureFrames(page, 5000);
    const status = (await page.getByTestId('status').textContent()) ?? '';
    console.log(
      `frames while training (${SMALL}): ${frames.fps.toFixed(1)} rAF/s over 5 s, ` +
        `${frames.longTasks} long tasks (worst ${frames.worstMs} ms); status: ${status}`,
    );
    test.info().annotations.push({
      type: 'frame rate while training',
      description: `${frames.fps.toFixed(1)} fps, ${frames.longTasks} long tasks, worst ${frames.worstMs} ms`,
    });
    await shot(page, 'ui-training');

    const accuracy = page.getByTestId('test-accuracy');
    await expect(accuracy).toHaveText(/^\d{1,3}\.\d%$/, { timeout: 90_000 });
    expect(Number.parseFloat((await accuracy.textContent()) ?? '')).toBeGreaterThan(85);
    await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-test-points', /^[1-9]/);
    const late = Number(await attr(page, 'loss-chart', 'data-last-loss'));
    console.log(`smoothed train loss: ${early} after the first points → ${late} after an epoch`);
    expect(late).toBeLessThan(early * 0.6);
    await expect(page.getByTestId('status')).toContainText(/step [\d,]+/);
    // The weight panel shows the change since the start by default; the toggle switches to raw weights.
    const weights = page.getByTestId('weight-images');
    await expect(weights).toHaveAttribute('data-mode', 'learned');
    await expect(weights).toHaveAttribute('data-tiles', '32');
    const coloured = () =>
      weights.locator('canvas').evaluate((c: HTMLCanvasElement) => {
        const d = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? [];
        let n = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 60) n++;
        }
        return n;
      });
    await expect.poll(coloured).toBeGreaterThan(1000);
    await page.getByTestId('weight-mode-weights').click();
    await expect(weights).toHaveAttribute('data-mode', 'weights');
    await expect(page.getByTestId('weight-mode-weights')).toHaveAttribute('aria-pressed', 'true');
    await expect(weights).toHaveAttribute('data-tiles', '32');
    await expect.poll(coloured).toBeGreaterThan(1000);
    await page.getByTestId('weight-mode-learned').click();
    await expect(weights).toHaveAttribute('data-mode', 'learned');
    expect(pageErrors).toEqual([]);
    await shot(page, 'ui-after-epoch');
  });

  const cases: { label: string; kind: string; pts: [number, number][] }[] = [
    { label: '1', kind: 'centred', pts: one(0.5, 0.5, 1) },
    { label: '1', kind: 'small', pts: one(0.5, 0.5, 0.3) },
    { label: '1', kind: 'off-centre', pts: one(0.2, 0.28, 0.45) },
    { label: '0', kind: 'centred', pts: zero(0.5, 0.5, 1) },
    { label: '0', kind: 'small', pts: zero(0.5, 0.5, 0.3) },
    { label: '0', kind: 'off-centre', pts: zero(0.76, 0.72, 0.42) },
  ];

  test('drawing: a 1 and a 0, centred, small and off-centre, are read correctly', async () => {
    await page.getByTestId('train-toggle').click();
    await expect(page.getByTestId('train-toggle')).toHaveText('Train');
    const results: string[] = [];
    for (const [k, c] of cases.entries()) {
      await clearCanvas(page);
      await stroke(page, c.pts);
      await expect(page.getByTestId('prediction')).toHaveText(c.label);
      // What the network received is centred by mass like MNIST, whatever was drawn.
      const [cx, cy] = (await attr(page, 'network-input', 'data-com')).split(',').map(Number);
      expect(Math.abs(cx - 14)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(cy - 14)).toBeLessThanOrEqual(0.5);
      // And the diagram shows the drawing, not the probe.
      await expect(page.locator('[data-testid="layer-diagram"] canvas')).toHaveAttribute(
        'data-source',
        'drawing',
      );
      results.push(`${c.label} ${c.kind} → ${await page.getByTestId('prediction').textContent()}`);
      await shot(page, `ui-draw-${k}-${c.label}-${c.kind}`);
    }
    console.log(`drawn digits: ${results.join('; ')}`);
    await clearCanvas(page);
    await expect(page.locator('[data-testid="layer-diagram"] canvas')).toHaveAttribute(
      'data-source',
      'probe',
    );
  });

  test('the log-scale toggle and hovering keep the chart readable', async () => {
    await page.getByTestId('loss-log-toggle').click();
    await expect(page.getByTestId('loss-log-toggle')).toHaveAttribute('aria-pressed', 'true');
    const chart = await page.getByTestId('loss-chart').boundingBox();
    if (!chart) throw new Error('no loss chart');
    await page.mouse.move(chart.x + chart.width * 0.6, chart.y + chart.height * 0.5);
    await shot(page, 'ui-loss-log-hover');
    const diagram = await page.getByTestId('layer-diagram').boundingBox();
    if (!diagram) throw new Error('no diagram');
    // Hover the output neuron for class 3 (positions from the diagram's own layout function).
    const sizes = (await attr(page, 'layer-diagram', 'data-sizes')).split(',').map(Number);
    const layout = layoutDiagram(diagram.width, diagram.height, sizes);
    const node = layout.columns[layout.columns.length - 1].nodes[3];
    await page.mouse.move(diagram.x + node.x, diagram.y + node.y);
    const tip = page.locator('[data-testid="layer-diagram"] [role="tooltip"]');
    await expect(tip).toBeVisible();
    await expect(tip).toHaveText(/^“3”: probability 0\.\d{3}$/);
    await shot(page, 'ui-diagram-hover');
    await page.getByTestId('loss-log-toggle').click();
  });
});

test('a hidden-size slider rebuilds the network, lands in the URL, survives a reload, and Back undoes it', async ({
  page,
}) => {
  await openReady(page, '?hidden=64-32');
  const diagram = page.getByTestId('layer-diagram');
  await expect(diagram).toHaveAttribute('data-sizes', '784,64,32,10');
  const slider = page.getByTestId('hidden-size-1');
  await expect(slider).toHaveValue('64');

  await slider.fill('48');
  await expect(diagram).toHaveAttribute('data-sizes', '784,48,32,10');
  await expect(page.getByTestId('notice')).toHaveText('network reset');
  expect(new URL(page.url()).searchParams.get('hidden')).toBe('48-32');
  await shot(page, 'ui-slider-moved');

  await page.reload();
  await expect(page.getByTestId('dataset-counts')).toBeVisible({ timeout: LOAD_TIMEOUT });
  await expect(diagram).toHaveAttribute('data-sizes', '784,48,32,10');
  await expect(page.getByTestId('hidden-size-1')).toHaveValue('48');

  // Back returns to the previous network, Forward to the new one.
  await page.goBack();
  await expect(diagram).toHaveAttribute('data-sizes', '784,64,32,10');
  await expect(page.getByTestId('hidden-size-1')).toHaveValue('64');
  await page.goForward();
  await expect(diagram).toHaveAttribute('data-sizes', '784,48,32,10');

  // Fewer layers with the layer-count slider.
  await page.getByTestId('hidden-layer-count').fill('1');
  await expect(diagram).toHaveAttribute('data-sizes', '784,48,10');
  await expect(page.getByTestId('hidden-size-2')).toHaveCount(0);
  expect(new URL(page.url()).searchParams.get('hidden')).toBe('48');
});

test('Space toggles training, except while typing in a field', async ({ page }) => {
  await openReady(page, SMALL);
  const toggle = page.getByTestId('train-toggle');
  await page.locator('body').press('Space');
  await expect(toggle).toHaveText('Pause');
  await page.locator('body').press('Space');
  await expect(toggle).toHaveText('Train');
  await page.getByTestId('seed').focus();
  await page.keyboard.press('Space');
  await expect(toggle).toHaveText('Train');
  // Every visible field has an accessible name.
  for (const el of await page.locator('input, select').all()) {
    if (await el.isVisible()) await expect(el).toHaveAccessibleName(/\S/);
  }
});

test('model file: Save downloads it, Load brings it back, a wrong file is refused in plain words', async ({
  page,
}) => {
  await openReady(page, '?hidden=24');
  await page.getByText('model file').click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Save model' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('backprop-lab-model.json');
  const text = await readFile(await download.path(), 'utf8');
  const model = JSON.parse(text) as { format: string; config: { hidden: number[] } };
  expect(model.format).toBe('backprop-lab-model');
  expect(model.config.hidden).toEqual([24]);

  // Switch to another architecture, then load the saved file: its network (and URL) come back.
  await page.getByTestId('hidden-size-1').fill('40');
  await expect(page.getByTestId('layer-diagram')).toHaveAttribute('data-sizes', '784,40,10');
  const load = async (name: string, body: string) => {
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Load model…' }).click();
    await (await chooser).setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(body) });
  };
  await load('saved.json', text);
  await expect(page.getByTestId('layer-diagram')).toHaveAttribute('data-sizes', '784,24,10');
  await expect(page.getByTestId('hidden-size-1')).toHaveValue('24');
  await expect(page.getByTestId('notice')).toHaveText('model loaded');
  expect(new URL(page.url()).searchParams.get('hidden')).toBe('24');

  await load('notes.json', '{"hello": "world"}');
  const refusal = page.locator('.controls [role="alert"]');
  await expect(refusal).toBeVisible();
  expect(((await refusal.textContent()) ?? '').length).toBeGreaterThan(10);
  await expect(page.getByTestId('layer-diagram')).toHaveAttribute('data-sizes', '784,24,10');
  await shot(page, 'ui-model-refused');
});

test('layout: 1280×720 without scrolling, narrow screens reflow, dark theme', async ({ browser }) => {
  const sizes = [
    { name: 'desktop', width: 1280, height: 720, scheme: 'light' as const },
    { name: 'dark', width: 1280, height: 720, scheme: 'dark' as const },
    { name: 'tablet', width: 820, height: 1180, scheme: 'light' as const },
    { name: 'phone', width: 390, height: 844, scheme: 'dark' as const },
  ];
  for (const s of sizes) {
    const page = await browser.newPage({
      viewport: { width: s.width, height: s.height },
      colorScheme: s.scheme,
    });
    await openReady(page, SMALL);
    const { sw, sh, cw, ch } = await page.evaluate(() => ({
      sw: document.documentElement.scrollWidth,
      sh: document.documentElement.scrollHeight,
      cw: document.documentElement.clientWidth,
      ch: document.documentElement.clientHeight,
    }));
    expect(sw, `${s.name}: no sideways scrolling`).toBeLessThanOrEqual(cw);
    if (s.width >= 1280)
      expect(sh, `${s.name}: the main view fits without scrolling`).toBeLessThanOrEqual(ch);
    // Every panel is on screen with a usable size.
    for (const id of ['layer-diagram', 'loss-chart', 'weight-images', 'draw-canvas']) {
      const box = await page.getByTestId(id).boundingBox();
      expect(box?.width ?? 0, `${s.name}: ${id} width`).toBeGreaterThan(150);
      expect(box?.height ?? 0, `${s.name}: ${id} height`).toBeGreaterThan(120);
    }
    await page.screenshot({ path: path.join(ARTIFACTS, `ui-layout-${s.name}.png`), fullPage: true });
    await page.close();
  }
});

test('README screenshot: the default network after two epochs, reading a drawn digit', async ({ page }) => {
  test.setTimeout(150_000);
  // Two epochs of all 60,000 images take from 20 s to minutes, as busy as the machine is: the test trains
  // the default network on 6,000 (what it checks does not depend on it); the README's picture, made with
  // UPDATE_SCREENSHOT=1, on all of them.
  await openReady(page, process.env.UPDATE_SCREENSHOT ? '' : '?train=6000');
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-test-points', '2', { timeout: 120_000 });
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('train-toggle')).toHaveText('Train');
  // A 7: the top bar, then the stem.
  await stroke(page, [
    [0.28, 0.24],
    [0.45, 0.23],
    [0.6, 0.22],
    [0.72, 0.22],
    [0.66, 0.36],
    [0.58, 0.52],
    [0.52, 0.66],
    [0.48, 0.8],
  ]);
  await expect(page.getByTestId('prediction')).toHaveText('7');
  await page.mouse.move(0, 0);
  await page.waitForTimeout(300);
  await shot(page, 'ui-readme');
  if (process.env.UPDATE_SCREENSHOT) {
    await page.screenshot({ path: path.join(ROOT, 'docs', 'screenshot.png') });
    console.log('wrote docs/screenshot.png');
  }
});
