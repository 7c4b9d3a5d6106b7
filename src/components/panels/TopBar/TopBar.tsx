/**
 * The one bar with the main buttons and the run's status: Train/Pause, Step, Reset · dataset, epoch, step,
 * samples/s · test accuracy · dataset counts · screens · lessons · dataset choice.
 *
 * Reads only slow facts (run store, a few changes a second), never the telemetry store.
 */
import { useShallow } from 'zustand/react/shallow';
import { DATASET_NAMES, type DatasetName } from '../../../data/dataset';
import { useConfigStore } from '../../../store/config';
import { useRunStore } from '../../../store/run';
import { useCostStore } from '../../../store/cost';
import { actions } from '../../../app/client';
import type { RunStatus } from '../../../protocol/messages';
import { ScreenTabs } from '../../ScreenTabs';
import { LessonsMenu } from '../../lessons/LessonsMenu';
import { DataStatus } from './DataStatus';
import { Announcer } from '../../ui/Announcer';
import { UpdateNotice } from '../../ui/UpdateNotice';
import { DATASET_SETTING } from '../../../settings/schema';
import { formatInt, formatPercent } from '../../ui/format';

/** The datasets' names for people (from the settings schema). */
export const DATASET_LABELS = DATASET_SETTING.choiceLabels as Readonly<Record<DatasetName, string>>;

export function TopBar() {
  const run = useRunStore(
    useShallow((s) => ({
      status: s.status,
      epoch: s.epoch,
      step: s.step,
      stepRows: s.stepRows,
      samplesPerSecond: s.samplesPerSecond,
      lastEpoch: s.epochs.length ? s.epochs[s.epochs.length - 1] : null,
      counts: s.data.counts,
      error: s.data.error,
      stopped: s.stopped,
      workerLost: s.worker.state === 'lost',
      workers: s.workers,
    })),
  );
  const dataset = useConfigStore((s) => s.dataset);
  // A configuration held back for its cost is not built: nothing to train (the alert says why).
  const held = useCostStore((s) => s.held !== null);
  const ready = run.counts !== null && run.error === null && !held && !run.workerLost;
  const training = run.status === 'training';

  return (
    <header className="topbar">
      {/* The page's one h1 (styled as before); its name reads "Backprop Lab", not "Backprop dot Lab". */}
      <h1 className="brand" aria-label="Backprop Lab">
        Backprop<span className="dot">·</span>Lab
      </h1>
      <button
        type="button"
        className="btn primary"
        data-testid="train-toggle"
        disabled={!ready}
        aria-keyshortcuts="Space"
        title="Start or pause training (Space)"
        onClick={() => actions.toggleTraining()}
      >
        {training ? 'Pause' : 'Train'}
      </button>
      <button
        type="button"
        className="btn"
        data-testid="step"
        disabled={!ready || training}
        aria-keyshortcuts="S"
        title="Train on one batch, then stop (S)"
        onClick={() => actions.step()}
      >
        Step
      </button>
      <button
        type="button"
        className="btn"
        data-testid="reset"
        aria-keyshortcuts="R"
        title="Back to the seeded initial weights (R)"
        onClick={() => actions.reset()}
      >
        Reset
      </button>
      {/* Changes many times a second while training: not live. Changes are announced by the Announcer. */}
      <div className="status" data-testid="status" role="status" aria-live="off">
        {/* Two lines, so a narrow bar still shows the speed: where the run is, then how fast it goes. */}
        <span className="status-line">
          <b>{DATASET_LABELS[dataset]}</b>
          {/* While training the Pause button says so; otherwise the state is worth a word. */}
          {training && !run.error ? null : (
            <>
              <span className="sep"> · </span>
              {run.workerLost ? (
                'worker stopped'
              ) : run.error ? (
                'data error'
              ) : run.status === 'done' && run.stopped ? (
                // Why the run stopped by itself: "stopped: loss ≤ 0.15", "early stop: best epoch 7, …".
                <span
                  className="stop-reason"
                  data-testid="stop-reason"
                  data-reason={run.stopped.reason}
                  title={run.stopped.message}
                >
                  {run.stopped.message}
                </span>
              ) : (
                statusWord(run.status, ready, held)
              )}
            </>
          )}
          <span className="sep"> · </span>
          epoch <span className="num">{formatInt(run.epoch + (run.status === 'done' ? 0 : 1))}</span>
          {run.stepRows ? null : (
            <>
              <span className="sep"> · </span>
              step <span className="num">{formatInt(run.step)}</span>
            </>
          )}
        </span>
        <span className="status-line">
          {/* Hidden at the start of the second line; it keeps the text apart for readers and tests. */}
          <span className="sep line-start"> · </span>
          {run.stepRows ? (
            // A batch trained as micro-batches (up to the whole set): the step being trained, and how far.
            <span
              data-testid="step-progress"
              data-done={run.stepRows.done}
              data-of={run.stepRows.of}
              title={`${formatInt(run.stepRows.done)} of the batch's ${formatInt(run.stepRows.of)} rows trained; the weights change when the step is done`}
            >
              step <span className="num">{formatInt(run.step + 1)}</span>
              <span className="sep"> · </span>
              <span className="num">{Math.floor((100 * run.stepRows.done) / run.stepRows.of)} %</span> of the
              batch
            </span>
          ) : (
            <>
              <span className="num">{training ? formatInt(run.samplesPerSecond) : '0'}</span> samples/s
              {run.workers ? (
                <>
                  <span className="sep"> · </span>
                  <span
                    data-testid="workers-used"
                    data-used={run.workers.used}
                    title={
                      run.workers.note ??
                      `${run.workers.used} of this machine's ${run.workers.cores} cores train each batch`
                    }
                  >
                    <span className="num">{run.workers.used}</span>{' '}
                    {run.workers.used === 1 ? 'worker' : 'workers'}
                  </span>
                </>
              ) : null}
            </>
          )}
        </span>
      </div>
      <Announcer />
      <div className="accuracy-box" title="Accuracy on the 10,000 test images, after the last finished epoch">
        <span className="label">test accuracy</span>
        <span className="test-accuracy" data-testid="test-accuracy">
          {/* After early stopping, the restored weights' accuracy (the best epoch's), not the last epoch's. */}
          {run.stopped?.testAccuracy !== undefined
            ? formatPercent(run.stopped.testAccuracy)
            : run.lastEpoch
              ? formatPercent(run.lastEpoch.testAccuracy)
              : ''}
        </span>
      </div>
      <div className="data-slot">
        <DataStatus progress={null} counts={run.counts} error={null} onRetry={() => actions.retryData()} />
      </div>
      <ScreenTabs />
      <LessonsMenu />
      <label className="visually-hidden" htmlFor="dataset-select">
        Dataset
      </label>
      <select
        id="dataset-select"
        data-testid="dataset"
        value={dataset}
        onChange={(e) => actions.setDataset(e.currentTarget.value as DatasetName)}
      >
        {DATASET_NAMES.map((d) => (
          <option key={d} value={d}>
            {DATASET_LABELS[d]}
          </option>
        ))}
      </select>
      {/* Last in the bar: when it appears nothing moves under the pointer. */}
      <UpdateNotice />
    </header>
  );
}

function statusWord(status: RunStatus, ready: boolean, held: boolean): string {
  if (held) return 'not built';
  if (!ready) return 'loading data';
  switch (status) {
    case 'training':
      return 'training';
    case 'paused':
      return 'paused';
    case 'done':
      return 'done';
    case 'diverged':
      return 'diverged';
    default:
      return 'ready';
  }
}
