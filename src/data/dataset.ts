/**
 * A loaded dataset: bytes in, typed arrays out. Shared by the worker, the CLI, the benchmarks and tests.
 */

export type DatasetName = 'mnist' | 'fashion-mnist';
export const DATASET_NAMES: readonly DatasetName[] = ['mnist', 'fashion-mnist'];

/** One split (train or test): `count` images of rows×cols grey bytes (0 = background, 255 = ink). */
export interface Split {
  /** [count, rows·cols] row-major, one byte per pixel. */
  images: Uint8Array;
  /** [count], each 0–9. */
  labels: Uint8Array;
  count: number;
  rows: number;
  cols: number;
}

export interface Dataset {
  name: DatasetName;
  train: Split;
  test: Split;
  /** Human-readable class names, index = label ('0'…'9' for MNIST, 'T-shirt/top'… for Fashion-MNIST). */
  classNames: string[];
}
