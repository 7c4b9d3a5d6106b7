/**
 * One compute pool per thread count, made on first use and kept for the whole run (spawning a thread costs
 * ~1 s: tsx compiles the engine for it). A pool serves one session at a time, so each part builds its
 * sessions afresh; idle helpers block in Atomics.wait and cost no CPU.
 */
import type { ComputePool } from '../src/training/parallel/computePool.ts';

export class Pools {
  private readonly pools = new Map<number, ComputePool>();

  /** makePool: a fresh pool (the CLI's: nodeComputePool, whose threads spin briefly between steps). */
  constructor(private readonly makePool: () => ComputePool) {}

  /** The pool of `workers` threads (the coordinator included); undefined for 1: the session trains alone. */
  async get(workers: number): Promise<ComputePool | undefined> {
    if (workers <= 1) return undefined;
    let pool = this.pools.get(workers);
    if (!pool) {
      pool = this.makePool();
      this.pools.set(workers, pool); // before resize: dispose() ends the threads that did start
      await pool.resize(workers);
    }
    return pool;
  }

  dispose(): void {
    for (const pool of this.pools.values()) pool.dispose();
    this.pools.clear();
  }
}
