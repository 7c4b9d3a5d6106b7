/**
 * Loading a dataset for the trainer: the injected loader (the worker's fetching loadDataset, a fake in
 * tests), its progress thinned out to ~10 events a second, and the `data-ready` / `data-error` events.
 * A load that was aborted (another dataset was chosen) reports nothing.
 */
import type { Dataset, DatasetName } from '../data/dataset';
import { DataError, type DataErrorData } from '../data/errors';
import type { DataProgress, WorkerEvent } from '../protocol/messages';
import type { Clock } from './clock';

/** Fetches and parses a dataset (the worker's loadDataset; a fake in tests). */
export type LoadDataFn = (
  baseUrl: string,
  name: DatasetName,
  onProgress: (progress: DataProgress) => void,
  signal: AbortSignal,
) => Promise<Dataset>;

/** Progress events at most this often (ms); the last one always goes out. */
const PROGRESS_INTERVAL_MS = 100;

/**
 * Starts loading `name`; posts progress, then `data-ready` and calls `onLoaded`, or posts `data-error`
 * and calls `onFailed`. Abort the returned controller to forget the load.
 */
export function startDataLoad(
  loadData: LoadDataFn,
  name: DatasetName,
  baseUrl: string,
  env: { clock: Clock; post: (event: WorkerEvent) => void },
  onLoaded: (dataset: Dataset) => void,
  onFailed: () => void,
): AbortController {
  const { clock, post } = env;
  const abort = new AbortController();
  const t0 = clock.now();
  let lastProgressAt = -Infinity;
  const onProgress = (progress: DataProgress): void => {
    if (abort.signal.aborted) return;
    // Loaders may report per network chunk; ~10/s is plenty, and the last one always goes out.
    const t = clock.now();
    const complete = progress.files.every((f) => f.total > 0 && f.received >= f.total);
    if (!complete && t - lastProgressAt < PROGRESS_INTERVAL_MS) return;
    lastProgressAt = t;
    post({ type: 'data-progress', progress });
  };
  loadData(baseUrl, name, onProgress, abort.signal).then(
    (dataset) => {
      if (abort.signal.aborted) return;
      post({
        type: 'data-ready',
        dataset: dataset.name,
        trainCount: dataset.train.count,
        testCount: dataset.test.count,
        classNames: dataset.classNames,
        loadMs: Math.round(clock.now() - t0),
      });
      onLoaded(dataset);
    },
    (e: unknown) => {
      if (abort.signal.aborted) return;
      onFailed();
      const error: DataErrorData =
        e instanceof DataError
          ? e.toData()
          : { kind: 'network', file: '', message: `The dataset could not be loaded: ${String(e)}` };
      post({ type: 'data-error', error });
    },
  );
  return abort;
}
