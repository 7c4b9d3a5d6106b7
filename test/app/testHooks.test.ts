/**
 * The test hooks are read only when a test put them on the page, and a malformed one fails loudly.
 */
import { describe, expect, it } from 'vitest';
import { TEST_HOOKS_GLOBAL, testEngineSpeed } from '../../src/app/testHooks';

describe('testEngineSpeed', () => {
  it('is null on a page without the hook (every user’s page)', () => {
    expect(testEngineSpeed({})).toBeNull();
    expect(testEngineSpeed({ [TEST_HOOKS_GLOBAL]: {} })).toBeNull();
    expect(testEngineSpeed()).toBeNull();
  });

  it('gives the speed a test set', () => {
    expect(testEngineSpeed({ [TEST_HOOKS_GLOBAL]: { engineFlopsPerSecond: 2e9 } })).toBe(2e9);
  });

  it('refuses a speed that is not a positive number, naming the hook', () => {
    for (const bad of [0, -1, Number.NaN, Infinity, '2e9']) {
      expect(() => testEngineSpeed({ [TEST_HOOKS_GLOBAL]: { engineFlopsPerSecond: bad } })).toThrow(
        /__BACKPROP_TEST_HOOKS__\.engineFlopsPerSecond must be a positive number/,
      );
    }
  });
});
