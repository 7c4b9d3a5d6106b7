/**
 * Test hooks: values a browser test puts on the page before the app's scripts run (Playwright's
 * `page.addInitScript`, see test/e2e/engineSpeed.ts), read only when present. Nothing in the app sets
 * them, and no URL, storage or file reaches them, so a shared link or a returning visitor cannot; a page
 * without the global behaves exactly as if this file did not exist.
 *
 * - `engineFlopsPerSecond`: the engine's speed to use instead of the worker's startup calibration
 *   (engine/cost.ts units). The verdicts of the cost gate (ok / slow / over the batch-time limit) and the
 *   times shown then follow from the configuration alone, not from how fast or how loaded the machine
 *   running the test is. The page hands it to each new training worker as its first message
 *   (FixedEngineSpeed, protocol/messages.ts); the worker announces it as a `fixed` calibration, and the
 *   page does not replace it with the speed measured while training.
 */

/** The global a test sets (`window.__BACKPROP_TEST_HOOKS__ = { engineFlopsPerSecond: 2e9 }`). */
export const TEST_HOOKS_GLOBAL = '__BACKPROP_TEST_HOOKS__';

export interface TestHooks {
  engineFlopsPerSecond?: number;
}

/**
 * The fixed engine speed a test asked for, or null (the usual case: measure it).
 * @throws when the hook is there but not a positive finite number: a test's mistake, said loudly.
 */
export function testEngineSpeed(scope: object = globalThis): number | null {
  const hooks = (scope as Record<string, TestHooks | undefined>)[TEST_HOOKS_GLOBAL];
  const v = hooks?.engineFlopsPerSecond;
  if (v === undefined) return null;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new Error(`${TEST_HOOKS_GLOBAL}.engineFlopsPerSecond must be a positive number, got ${String(v)}`);
  }
  return v;
}
