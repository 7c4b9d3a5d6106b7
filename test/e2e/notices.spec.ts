/**
 * Messages never cover content (issue 17 item 5), in Chromium at 1280×720: the message line has a row of its
 * own, always one message high, so a message's box meets no panel on any screen (nor the lesson card), the
 * panels keep their boxes to the pixel when a message comes or goes, and the screen still fits without
 * scrolling. Screenshots go to test/e2e/artifacts/ (looked at, not compared).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';

const ARTIFACTS = path.join(import.meta.dirname, 'artifacts');
test.beforeAll(() => mkdirSync(ARTIFACTS, { recursive: true }));
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });

interface Box {
  name: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Every panel's box (its header and body: the whole section), named by its title. */
async function panelBoxes(page: Page): Promise<Box[]> {
  return page.locator('.panel').evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { name: e.getAttribute('aria-label') ?? '', x: r.x, y: r.y, w: r.width, h: r.height };
    }),
  );
}

async function boxOf(l: Locator, name: string): Promise<Box> {
  const b = await l.boundingBox();
  if (!b) throw new Error(`${name} is not visible`);
  return { name, x: b.x, y: b.y, w: b.width, h: b.height };
}

const meets = (a: Box, b: Box) =>
  a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5;

async function expectClear(message: Box, others: Box[]): Promise<void> {
  expect(others.length).toBeGreaterThan(0);
  for (const o of others) expect(meets(message, o), `${message.name} covers ${o.name}`).toBe(false);
}

async function expectNoScroll(page: Page): Promise<void> {
  const { sw, sh, w, h } = await page.evaluate(() => ({
    sw: document.documentElement.scrollWidth,
    sh: document.documentElement.scrollHeight,
    w: window.innerWidth,
    h: window.innerHeight,
  }));
  expect(sw).toBeLessThanOrEqual(w);
  expect(sh).toBeLessThanOrEqual(h);
}

async function ready(page: Page): Promise<void> {
  await expect(page.getByTestId('dataset-counts')).toHaveText('60,000 train · 10,000 test', {
    timeout: 45_000,
  });
}

test('the workers note sits in its own line on every screen; dismissing it moves nothing', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  // More workers than cores: the one-line note says so until dismissed. A small network, so that no cost
  // check holds it back on a busy machine (the note comes with the network built).
  await page.goto('./?workers=64&hidden=32-16');
  await ready(page);
  const note = page.getByTestId('workers-note');
  await expect(note).toBeVisible();

  const withNote: Record<string, Box[]> = {};
  for (const screen of ['watch', 'inside', 'step'] as const) {
    await page.getByTestId(`open-${screen}`).click();
    await expect(page.locator('main')).toHaveAttribute('data-screen', screen);
    const panels = await panelBoxes(page);
    // Each screen's panels, the headers (titles, legends) among them, and the top bar.
    expect(panels.length).toBeGreaterThanOrEqual(screen === 'inside' ? 7 : 3);
    const heads = await page.locator('.panel-head').evaluateAll((els) =>
      els.map((e, i) => {
        const r = e.getBoundingClientRect();
        return { name: `header ${i}`, x: r.x, y: r.y, w: r.width, h: r.height };
      }),
    );
    await expectClear(await boxOf(note, 'the workers note'), [
      ...panels,
      ...heads,
      await boxOf(page.locator('.topbar'), 'the top bar'),
    ]);
    await expectNoScroll(page);
    await shot(page, `notes-${screen}-with-note`);
    withNote[screen] = panels;
  }

  // The note goes: on each screen every panel keeps its box.
  await note.getByRole('button', { name: 'Dismiss' }).click();
  await expect(note).toHaveCount(0);
  for (const screen of ['step', 'inside', 'watch'] as const) {
    await page.getByTestId(`open-${screen}`).click();
    await expect(page.locator('main')).toHaveAttribute('data-screen', screen);
    expect(await panelBoxes(page)).toEqual(withNote[screen]);
  }
  await shot(page, 'notes-watch-without-note');
});

test('a transient notice and a lesson card: the notice below the card, over no panel, moving nothing', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  // The lesson's card, over a small network (a link with settings of its own keeps them).
  await page.goto('./?lesson=overfitting&hidden=32');
  await ready(page);
  const card = await boxOf(page.getByTestId('lesson-card'), 'the lesson card');
  const before = await panelBoxes(page);
  // A new architecture: "network reset" shows for a moment.
  await page.getByTestId('hidden-size-1').fill('48');
  const notice = page.getByTestId('notice');
  await expect(notice).toHaveText('network reset');
  const box = await boxOf(notice, 'the notice');
  expect(box.y).toBeGreaterThanOrEqual(card.y + card.h - 0.5);
  await expectClear(box, [...(await panelBoxes(page)), card]);
  expect(await panelBoxes(page)).toEqual(before);
  await expectNoScroll(page);
  await shot(page, 'notes-notice-under-lesson');
  await expect(notice).toHaveCount(0);
  expect(await panelBoxes(page)).toEqual(before);
});
