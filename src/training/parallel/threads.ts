/**
 * The trainer's threads: which thread count the current config gets (workerCount.ts), the compute pool
 * grown or shrunk to it in the background, and word to the trainer when a pool of the wanted size is
 * ready, so it can move the running session onto it (a takeOver, like any hyper-parameter change).
 * Until then sessions train on one thread: nothing waits for a worker to start.
 */
import type { WorkerEvent } from '../../protocol/messages.ts';
import { ComputePool, type SpawnCompute } from './computePool.ts';
import { sharedMemoryAvailable } from './sharedMemory.ts';
import { resolveWorkers, type SingleThreadReason, type WorkerCount } from '../../settings/workerCount.ts';

/** What the host (the training worker, the CLI) offers for compute threads. */
export interface ComputeOptions {
  /** Starts one compute worker; null where none can run. */
  spawn: SpawnCompute | null;
  /** The machine's cores (navigator.hardwareConcurrency, os.availableParallelism()). */
  cores: number;
  /** Why threads cannot share memory here (null: they can). */
  unavailable: SingleThreadReason | null;
}

export class Threads {
  private readonly pool: ComputePool | null;
  private count: WorkerCount;
  /** The size the pool is being brought to (null: it has the wanted size, or is given up). */
  private pending: number | null = null;
  private startFailed = false;
  /** The last `workers` event (JSON), so only changes are sent. */
  private posted = '';

  constructor(
    private readonly options: ComputeOptions | undefined,
    /** Called when the pool reached the wanted size, or when that failed (the count then says so). */
    private readonly changed: () => void,
  ) {
    const spawn = options?.spawn;
    this.pool = spawn && !options.unavailable && sharedMemoryAvailable() ? new ComputePool(spawn) : null;
    this.count = { used: 1, requested: 1, note: null };
  }

  /** The thread count the last `want` settled on (`used` is what sessions get once the pool is ready). */
  get current(): WorkerCount {
    return this.count;
  }

  /**
   * The count for `requested` (the config's workers setting); starts bringing the pool to it. Returns the
   * count, whose `used` is what sessions will get — at once when the pool is ready, else once it is.
   */
  want(requested: number): WorkerCount {
    const o = this.options;
    const unavailable: SingleThreadReason | null = !o
      ? null
      : (o.unavailable ??
        (!sharedMemoryAvailable()
          ? 'no-shared-memory'
          : !this.pool || this.startFailed
            ? 'no-workers'
            : null));
    this.count = o ? resolveWorkers(requested, o.cores, unavailable) : { used: 1, requested, note: null };
    if (this.pool && this.count.used !== this.pool.workers && this.pending !== this.count.used) {
      const size = this.count.used;
      this.pending = size;
      this.pool.resize(size).then(
        () => {
          if (this.pending !== size) return;
          this.pending = null;
          this.changed();
        },
        () => {
          if (this.pending !== size) return;
          this.pending = null;
          this.startFailed = true;
          this.count = resolveWorkers(requested, o!.cores, 'no-workers');
          this.changed();
        },
      );
    }
    return this.count;
  }

  /** The pool a new session should use: the pool once it has the wanted size, else none (one thread). */
  poolForSession(): ComputePool | undefined {
    if (!this.pool || this.pending !== null) return undefined;
    return this.pool.workers === this.count.used && this.count.used > 1 ? this.pool : undefined;
  }

  /**
   * The `workers` event for a session training on `used` threads, or null when it would say nothing new
   * (same threads, request and note as the last one returned).
   */
  changedEvent(used: number): Extract<WorkerEvent, { type: 'workers' }> | null {
    const event = {
      type: 'workers' as const,
      used,
      requested: this.count.requested,
      cores: this.options?.cores ?? 1,
      note: this.count.note,
    };
    const key = JSON.stringify(event);
    if (key === this.posted) return null;
    this.posted = key;
    return event;
  }

  dispose(): void {
    this.pool?.dispose();
  }
}
