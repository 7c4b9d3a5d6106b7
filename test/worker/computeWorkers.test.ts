import { describe, expect, it } from 'vitest';
import { browserCompute } from '../../src/worker/computeWorkers';
import { resolveWorkers } from '../../src/settings/workerCount';

const navigator = { hardwareConcurrency: 4 };

describe('browserCompute: why a page trains on one worker', () => {
  it('an isolated page with shared memory: no reason, every core counted', () => {
    const o = browserCompute({ crossOriginIsolated: true, navigator, sharedMemory: () => true });
    expect(o.unavailable).toBeNull();
    expect(o.cores).toBe(4);
  });

  it('a page that is not isolated says so, whatever shared memory the browser hands out', () => {
    for (const sharedMemory of [() => true, () => false]) {
      expect(browserCompute({ crossOriginIsolated: false, navigator, sharedMemory }).unavailable).toBe(
        'not-isolated',
      );
      expect(browserCompute({ navigator, sharedMemory }).unavailable).toBe('not-isolated');
    }
  });

  it('an isolated page in a browser that gives it no shared memory (WebKitGTK) blames the browser, not the host', () => {
    const o = browserCompute({ crossOriginIsolated: true, navigator, sharedMemory: () => false });
    expect(o.unavailable).toBe('no-shared-memory');
    expect(resolveWorkers(0, o.cores, o.unavailable).note).toBe(
      'Training on 1 worker: this browser gives no shared memory to this page (it is cross-origin isolated, but workers cannot be sent shared buffers here).',
    );
  });

  it("without a probe it asks this thread's (Node shares memory)", () => {
    expect(browserCompute({ crossOriginIsolated: true, navigator }).unavailable).toBeNull();
  });
});
