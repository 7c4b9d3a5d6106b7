/**
 * A fixed engine speed for the browser tests: the page's cost verdicts (ok / slow / over the batch-time
 * limit) and the times it shows then follow from the configuration alone, not from how fast or how loaded
 * the machine running the test is. (On a machine shared with other browsers, the worker's startup
 * calibration measured the default network at 501 ms per batch, so the page refused to build it and a test
 * that only meant to train failed.)
 *
 * Sets the app's test hook (src/app/testHooks.ts) before the app's scripts; the page hands it to the
 * training worker as its first message, which announces it as a fixed calibration. fixtures.ts applies
 * DEFAULT_TEST_ENGINE_SPEED to every test's context; a test chooses another with
 * `test.use({ engineSpeed: 0.4e9 })`, or the real calibration with `test.use({ engineSpeed: null })`.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { TEST_HOOKS_GLOBAL, type TestHooks } from '../../src/app/testHooks';

/** About this 2-core machine's own calibration when idle (2–5 GFLOP/s in Chromium). */
export const DEFAULT_TEST_ENGINE_SPEED = 3e9;

/** Call before the page loads the app (`goto`). */
export async function fixEngineSpeed(target: BrowserContext | Page, flopsPerSecond: number): Promise<void> {
  const hooks: TestHooks = { engineFlopsPerSecond: flopsPerSecond };
  await target.addInitScript(
    ([name, value]) => {
      (window as unknown as Record<string, unknown>)[name] = value;
    },
    [TEST_HOOKS_GLOBAL, hooks] as const,
  );
}
