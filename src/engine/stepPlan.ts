/**
 * The plan of one training step: into how many micro-batches a batch is cut, into how many chunks of rows
 * each micro-batch is cut, and into how many slices the parameter vector is cut for the sum and the update. A pure function of the batch size and the network —
 * never of the threads that happen to be running — so a step's arithmetic is the same on 1, 2 or 3 threads:
 * the gradient is Σ_c g_c summed left to right in chunk order (each g_c normalised by the whole batch's n),
 * micro-batch after micro-batch, then λw, then the optimizer once, slice by slice; the layer statistics are summed in slice order. The threads
 * only decide who computes which chunk and which slice (training/parallel/computeShares.ts). One thread runs the same plan
 * alone, and so does the explanation of the next step (One step), which is why it shows the very bits Step
 * applies.
 */

/**
 * The most work one micro-batch may hold, in rows × parameters (a row's forward is one multiply-add per
 * weight, its backward two more). A batch larger than this is trained as micro-batches, one after another,
 * their gradients accumulated and the optimizer applied once: the trainer answers pause, predict, snapshots
 * and a rebuild between micro-batches, so no batch size makes the page wait long. A fixed bound, never a
 * clock: the cut, and so the bits, depend on the batch and the network alone. 2²⁵ keeps the default
 * 784-256-128-10 (235,146 parameters) whole up to 142 rows — its batch of 128 is one micro-batch, as every
 * step was before micro-batches — which trains in ~19 ms on one thread here (2-core machine, MIN_CHUNK_ROWS'
 * measurement).
 */
export const MICRO_BATCH_WORK = 2 ** 25;

/**
 * Fewest rows a chunk is given. Measured (784-256-128-10 on MNIST, forward + backward of a batch of 128,
 * one thread, best of 5): in one piece 19.0 ms, chunks of 64 rows 19.1, of 32 19.0–19.5, of 16 20.2–20.7, of
 * 8 22.5–23.3 — below 32 rows the kernels re-stream the weights for too few rows.
 */
export const MIN_CHUNK_ROWS = 32;
/**
 * Most chunks a batch is cut into. Each chunk beyond the first costs one pass of additions over every
 * parameter (its gradient into the sum; a thread training a batch of one micro-batch alone adds it as it
 * computes it instead, computeShares.ts' trainChunks) and one gradient buffer of the network's size. Four balance 1, 2 and 4 threads exactly (the automatic worker count stops
 * at 4, settings/workerCount.ts); a fifth thread finds no chunk and only helps with the sum.
 */
export const MAX_CHUNKS = 4;
/**
 * Slices of the parameter vector (cut at 16-float cache lines): enough that 1 … 8 threads share the sum
 * and the update evenly when they claim them from a counter.
 */
export const SLICES = 16;

export interface StepPlan {
  /** Micro-batches per full batch (1: the batch is trained whole). */
  micros: number;
  /** Rows of a micro-batch at most: ⌈batchSize / micros⌉ (the batch buffers are sized for this). */
  microCapacity: number;
  /** Chunks of rows per micro-batch. */
  chunks: number;
  /** Slices of the parameter vector. */
  slices: number;
  /** Rows of a chunk at most: ⌈microCapacity / chunks⌉. */
  chunkCapacity: number;
}

/** The plan for batches of `batchSize` rows of a network of `parameterCount` values. */
export function stepPlan(batchSize: number, parameterCount: number): StepPlan {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  }
  const params = Math.max(1, parameterCount);
  const rowsByWork = Math.max(1, Math.floor(MICRO_BATCH_WORK / params));
  // As few micro-batches as the bound allows, all of about the same size (256 rows at 142: two of 128).
  const microCapacity = Math.ceil(batchSize / Math.ceil(batchSize / rowsByWork));
  // The work bound also bounds the chunks' gradient buffers: chunks of MIN_CHUNK_ROWS rows leave at most
  // 2²⁰ parameters (4 MB a buffer) to a network cut into more than one.
  const chunks = Math.min(MAX_CHUNKS, Math.max(1, Math.floor(microCapacity / MIN_CHUNK_ROWS)));
  return {
    micros: Math.ceil(batchSize / microCapacity),
    microCapacity,
    chunks,
    slices: SLICES,
    chunkCapacity: Math.ceil(microCapacity / chunks),
  };
}

/** Micro-batches a batch of n rows is cut into (the epoch's last batch may have fewer rows than a full one). */
export function microsOf(n: number, plan: Pick<StepPlan, 'microCapacity'>): number {
  return Math.max(1, Math.ceil(n / plan.microCapacity));
}

/** Rows [start, end) of micro-batch m of a batch of n rows cut into `micros` (each ≤ microCapacity). */
export function microBounds(m: number, n: number, micros: number): [number, number] {
  return [Math.floor((m * n) / micros), Math.floor(((m + 1) * n) / micros)];
}

/**
 * The first row and the end of chunk c of a micro-batch of n rows cut into `chunks` (a last, short batch leaves
 * some chunks empty when n < chunks; every path skips those alike).
 */
export function chunkBounds(c: number, n: number, chunks: number): [number, number] {
  return [Math.floor((c * n) / chunks), Math.floor(((c + 1) * n) / chunks)];
}

/** Slice s [lo, hi) of `count` parameters cut into `slices`, at multiples of 16 floats (64-byte cache lines). */
export function sliceBounds(s: number, count: number, slices: number): [number, number] {
  const cut = (j: number) =>
    j >= slices ? count : Math.min(count, Math.floor((j * count) / slices / 16) * 16);
  return [cut(s), cut(s + 1)];
}
