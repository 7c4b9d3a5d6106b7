/**
 * Real worker-thread pools for the parallel tests, built directly (the automatic count would clamp to this
 * machine's cores): one per thread count, started before the file's tests and ended after them.
 */
import { afterAll, beforeAll } from 'vitest';
import { nodeComputePool } from '../../../src/cli/computeThreads';
import type { ComputePool } from '../../../src/training/parallel/computePool';

export function threadPoolsForFile(counts: readonly number[]): Map<number, ComputePool> {
  const pools = new Map<number, ComputePool>();
  beforeAll(async () => {
    for (const w of counts) {
      const pool = nodeComputePool();
      pools.set(w, pool); // before resize: afterAll ends the threads that did start
      await pool.resize(w);
    }
  }, 60_000);
  afterAll(() => {
    for (const pool of pools.values()) pool.dispose();
  });
  return pools;
}
