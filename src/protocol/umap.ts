/**
 * The page ↔ UMAP thread messages (worker/umap.worker.ts, training/umapEmbedding.ts): the representation
 * map's neighbour embedding, off the main thread and off the training worker. `seq` ties an answer to its
 * request; a newer fit makes older answers moot (the page drops them).
 */
export type UmapRequest =
  | {
      type: 'fit';
      seq: number;
      /** [n · dim] one layer's activations of the map's images, and their labels. */
      data: Float32Array;
      n: number;
      dim: number;
      labels: Uint8Array;
      seed: number;
      /** The embedding shown before, [n · 2] for the same images: the new one is turned to match it. */
      previous: Float32Array | null;
    }
  /** Where a new point (the drawing's activations, `dim` long) lands in the last fitted embedding. */
  | { type: 'place'; seq: number; vector: Float32Array };

export type UmapReply =
  | { type: 'progress'; seq: number; epoch: number; epochs: number }
  | { type: 'fitted'; seq: number; coords: Float32Array; knn: number; ms: number }
  | { type: 'placed'; seq: number; x: number; y: number }
  | { type: 'error'; seq: number; message: string };
