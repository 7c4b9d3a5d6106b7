/** Small page helpers the lesson specs share. */
import type { Locator, Page } from '@playwright/test';

/** Presses a shortcut with nothing focused (the page's keys). */
export async function key(page: Page, k: string): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press(k);
}

/** The element's box; throws when it is not visible. */
export async function box(l: Locator) {
  const b = await l.boundingBox();
  if (!b) throw new Error('not visible');
  return b;
}
