/**
 * Records the current network's run into the runs store at every epoch end (so it survives a reload):
 * the settings, the smoothed loss curve and the per-epoch figures. A new generation is a new run.
 */
import { smoothSeries } from '../components/panels/LossChart/lossChartLayout';
import { useConfigStore } from '../store/config';
import { useRunStore } from '../store/run';
import { downsample, recordRun } from '../store/runs';
import { telemetryStore } from '../store/telemetry';

let current: { id: string; startedAt: number } | null = null;

/** The network changed (rebuild, reset, loaded model): the next epoch end starts a new run. */
export function newRun(): void {
  current = null;
}

/** An epoch ended: the run, as it stands, is recorded (created at its first epoch end). */
export function epochEnded(now = Date.now()): void {
  const { dataset, config } = useConfigStore.getState();
  const { epochs } = useRunStore.getState();
  const { loss } = telemetryStore.getState();
  if (!current)
    current = { id: `${now.toString(36)}-${Math.random().toString(36).slice(2, 7)}`, startedAt: now };
  const smooth = Array.from(smoothSeries(loss.x, loss.y, 0.98));
  recordRun({
    id: current.id,
    startedAt: current.startedAt,
    dataset,
    config: { ...config, hidden: [...config.hidden] },
    curve: downsample([...loss.x], smooth),
    epochs: epochs.map(({ epoch, step, trainLoss, testLoss, testAccuracy, trainSeconds }) => ({
      epoch,
      step,
      trainLoss,
      testLoss,
      testAccuracy,
      ...(trainSeconds !== undefined ? { trainSeconds } : {}),
    })),
  });
}
