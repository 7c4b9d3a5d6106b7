/**
 * The built site's Content-Security-Policy: present in index.html, the app runs under it without a single
 * violation (the shared guard in fixtures.ts checks every test), and the guard does catch one.
 */
import { CONTENT_SECURITY_POLICY } from '../../vite.config';
import { expect, test } from './fixtures';

const LOAD_TIMEOUT = 45_000;

test('the built page carries the CSP and loads, trains and predicts under it', async ({ page }) => {
  const response = await page.goto('./');
  const html = (await response?.text()) ?? '';
  expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}"`);
  expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
  expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
  await expect(page.getByTestId('dataset-counts')).toHaveText('60,000 train · 10,000 test', {
    timeout: LOAD_TIMEOUT,
  });
  await page.getByTestId('train-toggle').click();
  await expect
    .poll(async () => Number(await page.getByTestId('loss-chart').getAttribute('data-points')))
    .toBeGreaterThan(5);
  await page.getByTestId('train-toggle').click();
});

test('the guard sees a violation: an inline script is refused and reported', async ({ page, cspGuard }) => {
  cspGuard.allow();
  await page.goto('./');
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true';
    document.head.append(s);
  });
  await expect.poll(() => cspGuard.violations.length).toBeGreaterThan(0);
  expect(await page.evaluate(() => 'inlineRan' in window || '__inlineRan' in window)).toBe(false);
  expect(cspGuard.violations.join('\n')).toMatch(/script-src/);
});
