/**
 * The plan of one training step: into how many chunks of rows a batch is cut, and into how many slices the
 * parameter vector is cut for the sum and the update. A pure function of the batch size and the network —
 * never of the threads that happen to be running — so a step's arithmetic is the same on 1, 2 or 3 threads:
 * the gradient is Σ_c g_c summed left to right in chunk order (each g_c normalised by the whole batch's n),
 * then λw, then the optimizer, slice by slice; the layer statistics are summed in slice order. The threads
 * only decide who computes which chunk and which slice (training/parallel/computeShares.ts). One thread runs the same plan
 * alone, and so does the explanation of the next step (One step), which is why it shows the very bits Step
 * applies.
 */

/**
 * Fewest rows a chunk is given. Measured (784-256-128-10 on MNIST, forward + backward of a batch of 128,
 * one thread, best of 5): in one piece 19.0 ms, chunks of 64 rows 19.1, of 32 19.0–19.5, of 16 20.2–20.7, of
 * 8 22.5–23.3 — below 32 rows the kernels re-stream the weights for too few rows.
 */
export const MIN_CHUNK_ROWS = 32;
/**
 * Most chunks a batch is cut into. Each chunk beyond the first costs one pass of additions over every
 * parameter (its gradient into the sum) — paid by one thread alone when it trains alone — and one gradient
 * buffer of the network's size. Four balance 1, 2 and 4 threads exactly (the automatic worker count stops
 * at 4, settings/workerCount.ts); a fifth thread finds no chunk and only helps with the sum.
 */
export const MAX_CHUNKS = 4;
/** The chunks' gradient buffers together stay under this (a network of 16 M parameters gets one chunk). */
export const CHUNK_GRADIENT_BYTES = 256 * 2 ** 20;
/**
 * Slices of the parameter vector (cut at 16-float cache lines): enough that 1 … 8 threads share the sum
 * and the update evenly when they claim them from a counter.
 */
export const SLICES = 16;

export interface StepPlan {
  /** Chunks of rows per full batch. */
  chunks: number;
  /** Slices of the parameter vector. */
  slices: number;
  /** Rows of a chunk at most: ⌈batchSize / chunks⌉. */
  chunkCapacity: number;
}

/** The plan for batches of `batchSize` rows of a network of `parameterCount` values. */
export function stepPlan(batchSize: number, parameterCount: number): StepPlan {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  }
  const byRows = Math.max(1, Math.floor(batchSize / MIN_CHUNK_ROWS));
  const byMemory = Math.max(1, Math.floor(CHUNK_GRADIENT_BYTES / (4 * Math.max(1, parameterCount))));
  const chunks = Math.min(MAX_CHUNKS, byRows, byMemory);
  return { chunks, slices: SLICES, chunkCapacity: Math.ceil(batchSize / chunks) };
}

/**
 * The first row and the end of chunk c of a batch of n rows cut into `chunks` (a last, short batch leaves
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
