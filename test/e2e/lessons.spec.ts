/**
 * Lessons and presenter mode in Chromium, under the CSP guard (fixtures.ts): each lesson (from the menu, or
 * its digit key) loads its set-up — the address says so — opens its view, and after a short run the view
 * shows the effect; the card never covers the view. Every lesson by its bare link builds its first set-up,
 * and by each set-up's link that set-up; the card says which set-up the settings are (or none), and the
 * view's panel is outlined by the stylesheet. Presenter mode at 1280×720 and 1024×768: the essential controls
 * only, the shortcuts shown, no overlapping text in the top bar. Screenshots go to test/e2e/artifacts/ (looked
 * at, not compared).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import {
  LESSONS,
  lessonKey,
  lessonKeysLabel,
  lessonQuery,
  setupKey,
} from '../../src/components/lessons/lessons';
import { DEFAULT_CONFIG } from '../../src/engine/types';
import { expect, test } from './fixtures';
import { box, key } from './pageHelpers';

const ARTIFACTS = path.join(import.meta.dirname, 'artifacts');
const LOAD_TIMEOUT = 45_000;

test.beforeAll(() => mkdirSync(ARTIFACTS, { recursive: true }));
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });

async function openReady(page: Page, query: string): Promise<void> {
  await page.goto(`./${query}`);
  await expect(page.getByTestId('dataset-counts')).toHaveText('60,000 train · 10,000 test', {
    timeout: LOAD_TIMEOUT,
  });
  await expect(page.getByTestId('train-toggle')).toBeEnabled();
}

/** The address's parameters now. */
const params = (page: Page) => new URL(page.url()).searchParams;

async function expectParams(page: Page, want: Record<string, string | null>): Promise<void> {
  await expect
    .poll(() => Object.fromEntries(Object.keys(want).map((k) => [k, params(page).get(k)])))
    .toEqual(want);
}

/** Opens a lesson from the menu (by mouse). */
async function fromMenu(page: Page, id: string): Promise<void> {
  await page.getByTestId('open-lessons').click();
  await page.locator(`[data-testid="lessons"] [data-lesson="${id}"]`).click();
  await expect(page.getByTestId('lessons')).toHaveCount(0);
}

/** The card sits above the view it talks about: no part of it covers the view. */
async function expectCardAbove(page: Page, view: string): Promise<void> {
  const card = await box(page.getByTestId('lesson-card'));
  const v = await box(page.getByTestId(view).first());
  expect(card.y + card.height).toBeLessThanOrEqual(v.y + 0.5);
}

async function trainFor(page: Page, ms: number): Promise<void> {
  await key(page, 'Space');
  await expect(page.getByTestId('train-toggle')).toHaveText('Pause');
  await page.waitForTimeout(ms);
  await key(page, 'Space');
  await expect(page.getByTestId('train-toggle')).not.toHaveText('Pause');
}

test('each lesson loads its set-up, opens its view, and the view shows the effect', async ({ page }) => {
  test.setTimeout(100_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openReady(page, '');

  // The menu by keyboard: ↓ opens it on its first lesson, ↓ moves, Escape closes and gives the focus back.
  const trigger = page.getByTestId('open-lessons');
  await trigger.focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('[data-lesson="he-init"]')).toBeFocused();
  await expect(page.locator('[data-testid="lessons"] [data-lesson]')).toHaveCount(LESSONS.length);
  // Each item shows its key: 1–9, then 0 for the tenth.
  await expect(page.locator('[data-testid="lessons"] [data-lesson] kbd')).toHaveText(
    LESSONS.map((_, i) => lessonKey(i)!),
  );
  await expect(trigger).toHaveAttribute('title', new RegExp(`keys ${lessonKeysLabel(LESSONS.length)}\\)`));
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('[data-lesson="vanishing"]')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('lessons')).toHaveCount(0);
  await expect(trigger).toBeFocused();

  // (a) He init: uniform's logits are orders of magnitude larger than He's, before any training.
  await fromMenu(page, 'he-init');
  await expectParams(page, { lesson: 'he-init', init: 'uniform' });
  await expect(page.getByTestId('lesson-card')).toHaveAttribute('data-lesson', 'he-init');
  const lab = page.getByTestId('init-lab');
  await expect(lab).toHaveAttribute('data-results', '4');
  const logits = async (init: string) =>
    Number(
      await lab
        .locator(`tbody tr:last-child td:nth-child(${await column(init)})`)
        .getAttribute('data-mean-abs'),
    );
  const column = async (init: string) =>
    2 +
    (await lab
      .locator('thead [data-init]')
      .evaluateAll((els, i) => els.findIndex((e) => e.getAttribute('data-init') === i), init));
  const [uniform, he] = [await logits('uniform'), await logits('he')];
  expect(uniform).toBeGreaterThan(100 * he);
  await expect(page.locator('[data-init="uniform"]')).toHaveAttribute('aria-pressed', 'true');
  await expectCardAbove(page, 'init-lab');

  // (b) Vanishing gradients, by its digit key: six weight layers; then B, ReLU + He.
  await key(page, '2');
  await expectParams(page, {
    lesson: 'vanishing',
    hidden: '64-64-64-64-64',
    act: 'sigmoid',
    init: 'xavier',
    opt: 'sgd',
    lr: '0.1',
  });
  const flow = page.getByTestId('gradient-flow');
  await expect(flow).toHaveAttribute('data-layers', '6');
  await trainFor(page, 1500);
  await expect.poll(async () => Number(await flow.getAttribute('data-points'))).toBeGreaterThan(3);
  await expectCardAbove(page, 'gradient-flow');
  await page.locator('.lesson-card [data-setup="b"]').click();
  await expectParams(page, { act: 'relu', init: 'he', hidden: '64-64-64-64-64' });
  await expect(page.locator('.lesson-card [data-setup="b"]')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('.lesson-card [data-setup="a"]')).toHaveAttribute('aria-pressed', 'false');

  // (c) Overfitting: a small training set and a validation split, L2 off, then on.
  await fromMenu(page, 'overfitting');
  await expectParams(page, {
    lesson: 'overfitting',
    train: '1000',
    validation: '1000',
    l2: '0',
    hidden: '256-128',
  });
  await expect(page.getByTestId('loss-chart')).toBeVisible();
  await expectCardAbove(page, 'loss-chart');
  await page.locator('.lesson-card [data-setup="b"]').click();
  await expectParams(page, { l2: '0.01', train: '1000' });

  // (d) Dead ReLUs: SGD at lr 1 kills most of hidden layer 1 within a short run.
  await key(page, '4');
  await expectParams(page, { lesson: 'dead-relu', opt: 'sgd', lr: '1', train: '60000', l2: '0' });
  const health = page.getByTestId('activation-health');
  await trainFor(page, 2500);
  await expect(health).toHaveAttribute('data-layers', '2');
  const dead = Number(((await health.getAttribute('data-dead')) ?? '').split(' ')[0]);
  expect(dead).toBeGreaterThan(0.3);
  await expectCardAbove(page, 'activation-health');

  // (e) A learning rate too large: the run diverges; the message sits below the card; Reset recovers.
  await key(page, '5');
  await expectParams(page, { lesson: 'lr-too-large', opt: 'sgd', lr: '1000' });
  await expect(page.getByTestId('loss-chart')).toBeVisible();
  await key(page, 'Space');
  await expect(page.getByTestId('diverged')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('lesson-card')).toContainText('Reset');
  const card = await box(page.getByTestId('lesson-card'));
  expect((await box(page.getByTestId('diverged'))).y).toBeGreaterThanOrEqual(card.y + card.height);
  await shot(page, 'lesson-diverged');
  await key(page, 'r');
  await expect(page.getByTestId('status')).not.toContainText('diverged');

  // (f) No hidden layer: one epoch, then the test accuracy is shown.
  await key(page, '6');
  // The lesson names no learning rate: the default's (the previous lesson's SGD 1000 is gone).
  await expectParams(page, {
    lesson: 'no-hidden',
    hidden: 'none',
    epochs: '1',
    lr: String(DEFAULT_CONFIG.learningRate),
    opt: 'adam',
  });
  await key(page, 'Space');
  await expect(page.getByTestId('test-accuracy')).toHaveText(/%/, { timeout: 60_000 });
  await expectCardAbove(page, 'loss-chart');
  await shot(page, 'lesson-no-hidden');

  // Closing the card keeps the settings; Back returns to the lesson before.
  await page.getByTestId('lesson-close').click();
  await expect(page.getByTestId('lesson-card')).toHaveCount(0);
  await expectParams(page, { lesson: null, hidden: 'none' });
  await page.goBack();
  await expect(page.getByTestId('lesson-card')).toHaveAttribute('data-lesson', 'lr-too-large');
  expect(errors).toEqual([]);
});

/** The panel of the lesson's view is outlined (by the stylesheet: no <style> in the page), and only it. */
async function expectOutlined(page: Page, view: string): Promise<void> {
  const panel = page.locator('.panel', { has: page.getByTestId(view) });
  await expect(panel).toHaveAttribute('data-lesson-view', 'true');
  expect(await panel.evaluate((e) => getComputedStyle(e).outlineStyle)).toBe('solid');
  await expect(page.locator('.panel[data-lesson-view]')).toHaveCount(1);
  await expect(page.locator('style')).toHaveCount(0);
}

/** The address carries each setting of the set-up's query as the query says it. */
async function expectSetup(page: Page, query: string, extra: Record<string, string | null> = {}) {
  await expectParams(page, { ...Object.fromEntries(new URLSearchParams(query)), ...extra });
}

test('every lesson by its bare link builds set-up A; by each set-up’s link, that set-up; the card says which', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const card = page.getByTestId('lesson-card');
  const match = page.getByTestId('lesson-match');
  for (const lesson of LESSONS) {
    // The bare link: the first set-up, built (the address says it, the card says it is set-up A).
    await page.goto(`./?lesson=${lesson.id}`);
    await expect(card).toHaveAttribute('data-lesson', lesson.id);
    await expectSetup(page, lesson.setups[0].query, { lesson: lesson.id });
    await expect(match).toHaveAttribute('data-matches', 'a');
    await expect(card.locator('[data-setup="a"]')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId(lesson.view).first()).toBeVisible();
    await expectOutlined(page, lesson.view);
    if (lesson.id === 'vanishing') {
      // The network the card talks about, not the default one: six weight layers of sigmoid.
      await expect(page.getByTestId('gradient-flow')).toHaveAttribute('data-layers', '6');
      await expect(match).toHaveText('Your settings: set-up A');
      await shot(page, 'lesson-bare-vanishing');
    }
    // Each set-up's own link.
    for (let i = 0; i < lesson.setups.length; i++) {
      await page.goto(`./?${lessonQuery(lesson, i)}`);
      await expect(card).toHaveAttribute('data-lesson', lesson.id);
      await expectSetup(page, lesson.setups[i]!.query, { lesson: lesson.id });
      await expect(match).toHaveAttribute('data-matches', setupKey(i));
      await expect(card.locator(`[data-setup="${setupKey(i)}"]`)).toHaveAttribute('aria-pressed', 'true');
      // One button per set-up, lettered A, B, …
      await expect(card.locator('[data-setup]')).toHaveCount(lesson.setups.length);
      await expectOutlined(page, lesson.view);
    }
  }

  // A link with settings of its own keeps them; the card says they are neither set-up, and A loads one.
  await page.goto('./?lesson=vanishing&lr=0.5&present=1');
  await expectParams(page, { lesson: 'vanishing', lr: '0.5', hidden: null, present: '1' });
  await expect(match).toHaveAttribute('data-matches', 'none');
  await expect(match).toHaveText(/neither A nor B/);
  await expect(card.locator('[aria-pressed="true"]')).toHaveCount(0);
  await expectOutlined(page, 'gradient-flow');
  await shot(page, 'lesson-own-settings');
  await card.locator('[data-setup="a"]').click();
  await expectSetup(page, LESSONS[1]!.setups[0].query, { lesson: 'vanishing', present: '1' });
  await expect(match).toHaveAttribute('data-matches', 'a');
  // A bare link with presenter mode and a worker count: set-up A, and both kept.
  await page.goto('./?lesson=dead-relu&present=1&workers=1');
  await expectSetup(page, LESSONS[3]!.setups[0].query, { lesson: 'dead-relu', present: '1', workers: '1' });
  await expect(match).toHaveAttribute('data-matches', 'a');
  // Closing the card: no outline left.
  await page.getByTestId('lesson-close').click();
  await expect(page.locator('.panel[data-lesson-view]')).toHaveCount(0);
  expect(errors).toEqual([]);
});

/** No two children of the top bar overlap, and each lies inside the window. */
async function expectTopBarClear(page: Page, width: number): Promise<void> {
  const boxes = await page.locator('.topbar > *').evaluateAll((els) =>
    els
      .map((e) => ({
        name: e.className || e.tagName,
        r: e.getBoundingClientRect(),
        shown: getComputedStyle(e).display !== 'none',
      }))
      .filter((b) => b.shown && b.r.width > 1 && b.r.height > 1)
      .map((b) => ({ name: b.name, x: b.r.x, y: b.r.y, w: b.r.width, h: b.r.height })),
  );
  expect(boxes.length).toBeGreaterThanOrEqual(7);
  for (const b of boxes) {
    expect(b.x, b.name).toBeGreaterThanOrEqual(0);
    expect(b.x + b.w, b.name).toBeLessThanOrEqual(width + 0.5);
  }
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i]!, boxes[j]!];
      const overlap =
        a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5;
      expect(overlap, `${a.name} overlaps ${b.name}`).toBe(false);
    }
}

for (const [width, height] of [
  [1280, 720],
  [1024, 768],
] as const) {
  test(`presenter mode at ${width}×${height}: large type, the essentials, the shortcuts shown`, async ({
    page,
  }) => {
    test.setTimeout(60_000);
    await page.setViewportSize({ width, height });
    await openReady(page, '?present=1');
    await expect(page.locator('.app')).toHaveAttribute('data-present', 'true');
    expect(
      await page.locator('.topbar').evaluate((e) => parseFloat(getComputedStyle(e).fontSize)),
    ).toBeGreaterThanOrEqual(16);
    await expect(page.locator('.controls-panel')).toHaveCount(0);
    for (const id of [
      'train-toggle',
      'step',
      'reset',
      'open-watch',
      'open-inside',
      'open-lessons',
      'dataset',
    ])
      await expect(page.getByTestId(id)).toBeVisible();
    await expect(page.getByTestId('shortcuts')).toContainText('Space');
    await expect(page.getByTestId('shortcuts')).toContainText(lessonKeysLabel(LESSONS.length));
    await expectTopBarClear(page, width);
    await shot(page, `present-${width}x${height}-watch`);

    // A lesson keeps presenter mode; its card and the shortcut bar leave the views their room.
    await key(page, '2');
    await expectParams(page, { lesson: 'vanishing', present: '1' });
    await expect(page.getByTestId('gradient-flow')).toBeVisible();
    const card = await box(page.getByTestId('lesson-card'));
    const main = await box(page.locator('main'));
    const bar = await box(page.getByTestId('shortcuts'));
    expect(card.y + card.height).toBeLessThanOrEqual(main.y + 0.5);
    expect(main.y + main.height).toBeLessThanOrEqual(bar.y + 0.5);
    expect(bar.y + bar.height).toBeLessThanOrEqual(height + 0.5);
    await expectTopBarClear(page, width);
    await shot(page, `present-${width}x${height}-lesson`);

    // P leaves presenter mode; the settings column is back.
    await key(page, 'w');
    await key(page, 'p');
    await expectParams(page, { present: null, lesson: 'vanishing' });
    await expect(page.locator('.controls-panel')).toBeVisible();
    await expect(page.getByTestId('shortcuts')).toHaveCount(0);
  });
}
