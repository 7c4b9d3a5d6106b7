/**
 * Accessibility with axe-core (the engine behind Lighthouse's and Chrome's checks) in the built app: on
 * the ready page, while training, and after the loss diverged (the notice and its buttons on top), in the
 * light and the dark theme. No serious or critical violation is allowed; the lesser ones are listed.
 *
 * axe is injected through the DevTools protocol (`page.evaluate` of its source), which the page's
 * Content-Security-Policy does not govern — `page.addScriptTag` would add an inline <script>, which the
 * CSP rightly refuses (and the CSP guard in fixtures.ts would fail the test for it).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core'), 'utf8');
const LOAD_TIMEOUT = 45_000;
const SMALL = '?hidden=32&batch=128&lr=0.003&decay=1&epochs=0';
/**
 * Diverges within a few steps (NaN at step 3): SGD with an absurd learning rate from U(0, 1) weights. With
 * plain ReLU the units die first and the loss settles at ln 10 instead: leaky ReLU keeps them alive.
 */
const DIVERGING = '?lr=1000000&opt=sgd&init=uniform&act=leaky-relu';

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

async function axe(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const a = (
      window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: Violation[] }> } }
    ).axe;
    const r = await a.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
}

/** Logs every violation; fails on serious and critical ones. */
async function expectAccessible(page: Page, state: string): Promise<void> {
  const violations = await axe(page);
  for (const v of violations) {
    console.log(
      `[a11y ${state}] ${v.impact ?? '?'} ${v.id}: ${v.help} — ${v.nodes.length} node(s): ` +
        v.nodes
          .slice(0, 4)
          .map((n) => n.target.join(' '))
          .join(', '),
    );
  }
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map(
      (v) =>
        `${v.impact} ${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} (${n.failureSummary})`).join('; ')}`,
    ),
    `${state}: serious or critical accessibility violations`,
  ).toEqual([]);
}

async function openReady(page: Page, query: string): Promise<void> {
  await page.goto(`./${query}`);
  await expect(page.getByTestId('dataset-counts')).toHaveText('60,000 train · 10,000 test', {
    timeout: LOAD_TIMEOUT,
  });
  await expect(page.getByTestId('train-toggle')).toBeEnabled();
}

/** Checks the page as it is in both themes (the theme follows prefers-color-scheme live). */
async function expectAccessibleInBothThemes(page: Page, state: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expectAccessible(page, `${state}, ${scheme}`);
  }
}

test('no serious violations when ready, while training, after an epoch, and after a divergence', async ({
  page,
}) => {
  test.setTimeout(150_000);
  await openReady(page, SMALL);
  await expectAccessibleInBothThemes(page, 'ready');

  await page.getByTestId('train-toggle').click();
  await expect
    .poll(async () => Number(await page.getByTestId('loss-chart').getAttribute('data-points')))
    .toBeGreaterThan(10);
  await expectAccessibleInBothThemes(page, 'training');
  // The test accuracy (coloured text) appears after the first epoch.
  await expect(page.getByTestId('test-accuracy')).toHaveText(/^\d{1,3}\.\d%$/, { timeout: 90_000 });
  await expectAccessibleInBothThemes(page, 'after an epoch');
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('train-toggle')).toHaveText('Train');

  await openReady(page, DIVERGING);
  await page.getByTestId('train-toggle').click();
  await expect(page.getByTestId('diverged')).toBeVisible({ timeout: 30_000 });
  await expectAccessibleInBothThemes(page, 'diverged');
});

test('one h1, named controls, polite announcements of status changes only', async ({ page }) => {
  await openReady(page, SMALL);
  await expect(page.locator('h1')).toHaveCount(1);
  await expect(page.locator('h1')).toHaveText('Backprop·Lab');
  for (const el of await page.locator('button, input, select, [tabindex="0"]').all()) {
    if (await el.isVisible()) await expect(el).toHaveAccessibleName(/\S/);
  }
  const live = page.getByTestId('announcer');
  await expect(live).toHaveAttribute('aria-live', 'polite');
  // The busy status bar itself is not announced on every step.
  await expect(page.getByTestId('status')).toHaveAttribute('aria-live', 'off');
  await page.getByTestId('train-toggle').click();
  await expect(live).toHaveText(/training/i);
  await page.getByTestId('train-toggle').click();
  await expect(live).toHaveText(/paused/i);
});

test('visible focus: keyboard focus draws an outline on buttons, toggles, selects, sliders and the ⓘ', async ({
  page,
}) => {
  await openReady(page, SMALL);
  const targets = [
    ['train-toggle', page.getByTestId('train-toggle')],
    ['dataset', page.getByTestId('dataset')],
    ['hidden-size-1', page.getByTestId('hidden-size-1')],
    ['loss-log-toggle', page.getByTestId('loss-log-toggle')],
    ['ⓘ', page.locator('.info').first()],
  ] as const;
  for (const [name, el] of targets) {
    await el.focus();
    await page.keyboard.press('Shift'); // a keyboard interaction, so :focus-visible applies
    const outline = await el.evaluate((e) => {
      const cs = getComputedStyle(e);
      return { style: cs.outlineStyle, width: parseFloat(cs.outlineWidth) };
    });
    expect(outline.style, `${name} outline`).not.toBe('none');
    expect(outline.width, `${name} outline width`).toBeGreaterThanOrEqual(2);
  }
});
