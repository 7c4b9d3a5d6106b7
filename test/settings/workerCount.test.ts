import { describe, expect, it } from 'vitest';
import { AUTO_MAX_WORKERS, resolveWorkers } from '../../src/settings/workerCount';

describe('resolveWorkers', () => {
  it('0 = automatic: every core, up to AUTO_MAX_WORKERS', () => {
    expect(resolveWorkers(0, 1)).toEqual({ used: 1, requested: 0, note: null });
    expect(resolveWorkers(0, 2)).toEqual({ used: 2, requested: 0, note: null });
    expect(resolveWorkers(0, 16).used).toBe(AUTO_MAX_WORKERS);
    // A browser that hides its cores (0, NaN) counts as one.
    expect(resolveWorkers(0, 0).used).toBe(1);
    expect(resolveWorkers(0, NaN).used).toBe(1);
  });

  it('an explicit count up to the cores is taken as it is; beyond them, clamped with a note', () => {
    expect(resolveWorkers(3, 8)).toEqual({ used: 3, requested: 3, note: null });
    expect(resolveWorkers(12, 8)).toEqual({
      used: 8,
      requested: 12,
      note: '12 workers asked for; this machine has 8 cores: training on 8.',
    });
    expect(resolveWorkers(2, 1).note).toBe('2 workers asked for; this machine has 1 core: training on 1.');
  });

  it('without shared memory: one worker, with the reason, said only to someone who asked for more', () => {
    const notIsolated = resolveWorkers(4, 8, 'not-isolated');
    expect(notIsolated.used).toBe(1);
    expect(notIsolated.note).toMatch(/^Training on 1 worker: this page is not cross-origin isolated/);
    expect(resolveWorkers(0, 8, 'no-workers').note).toBe(
      'Training on 1 worker: the compute workers could not start.',
    );
    expect(resolveWorkers(4, 8, 'no-shared-memory')).toEqual({
      used: 1,
      requested: 4,
      note: 'Training on 1 worker: this browser gives no shared memory to this page (it is cross-origin isolated, but workers cannot be sent shared buffers here).',
    });
    // The two reasons never borrow each other's words: the host is blamed only when it is at fault.
    expect(notIsolated.note).not.toContain('this browser gives no shared memory');
    expect(resolveWorkers(4, 8, 'no-shared-memory').note).not.toContain('not cross-origin isolated');
    expect(resolveWorkers(1, 8, 'not-isolated').note).toBeNull();
    expect(resolveWorkers(1, 8, 'no-shared-memory').note).toBeNull();
    expect(resolveWorkers(0, 1, 'not-isolated').note).toBeNull();
  });
});
