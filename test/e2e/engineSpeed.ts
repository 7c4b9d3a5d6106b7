/**
 * A fixed engine speed for a browser test: the page's cost verdicts (ok / slow / over the batch-time limit)
 * and the times it shows then follow from the configuration alone, not from how fast or how loaded the
 * machine running the test is. Sets the app's test hook (src/app/testHooks.ts) before the app's scripts;
 * the page hands it to the training worker as its first message, which announces it as a fixed
 * calibration. Call before `page.goto`.
 */
import type { Page } from '@playwright/test';
import { TEST_HOOKS_GLOBAL, type TestHooks } from '../../src/app/testHooks';

export async function fixEngineSpeed(page: Page, flopsPerSecond: number): Promise<void> {
  const hooks: TestHooks = { engineFlopsPerSecond: flopsPerSecond };
  await page.addInitScript(
    ([name, value]) => {
      (window as unknown as Record<string, unknown>)[name] = value;
    },
    [TEST_HOOKS_GLOBAL, hooks] as const,
  );
}
