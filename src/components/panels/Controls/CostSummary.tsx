/**
 * What the network on the controls costs, before it is built: parameters (per layer on hover), the memory
 * the run needs against the budget (the breakdown on hover), and the time per step and per epoch at the
 * engine's speed on this machine — measured while training at full speed, else the worker's calibration
 * at startup. Follows the sliders while they are dragged (the caller passes the draft config).
 */
import { useShallow } from 'zustand/react/shallow';
import {
  costReport,
  EVAL_BATCH,
  formatBytes,
  formatSeconds,
  runSize,
  type CostReport,
} from '../../../engine/cost';
import { stepPlan } from '../../../engine/stepPlan';
import type { TrainConfig } from '../../../engine/types';
import { engineSpeed, useCostStore } from '../../../store/cost';
import { formatInt } from '../../ui/format';

function layerTitle(config: TrainConfig, report: CostReport): string {
  const sizes = [config.inputSize, ...config.hidden, config.outputSize];
  return report.layers
    .map(
      (n, l) =>
        `layer ${l + 1}: ${formatInt(sizes[l]!)} × ${formatInt(sizes[l + 1]!)} + ${formatInt(sizes[l + 1]!)} = ${formatInt(n)}`,
    )
    .join('\n');
}

function memoryTitle(config: TrainConfig, report: CostReport): string {
  const b = report.memory.breakdown;
  const moments =
    config.optimizer === 'adam' ? 'Adam moments' : config.optimizer === 'momentum' ? 'momentum' : 'optimizer';
  // The row buffers hold one micro-batch (engine/stepPlan.ts) or an evaluation's 256 rows.
  const plan = stepPlan(config.batchSize, report.parameters);
  const rows = Math.max(plan.microCapacity, EVAL_BATCH);
  const micro =
    plan.micros > 1
      ? `\nbatches of ${formatInt(config.batchSize)} train as ${formatInt(plan.micros)} micro-batches of ≤ ${formatInt(plan.microCapacity)} rows`
      : '';
  return (
    [
      `weights ${formatBytes(b.weights)}`,
      `gradients ${formatBytes(b.gradients)}`,
      `${moments} ${b.optimizer ? formatBytes(b.optimizer) : 'none (SGD)'}`,
      `activations and deltas for ${formatInt(rows)} rows ${formatBytes(b.activations)}`,
      `batch buffers ${formatBytes(b.batch)}`,
      `dataset ${formatBytes(b.dataset)}`,
      `a snapshot for the page ${formatBytes(b.snapshot)}`,
    ].join('\n') + micro
  );
}

export function CostSummary({ config }: { config: TrainConfig }) {
  const s = useCostStore(
    useShallow((st) => ({
      calibration: st.calibration,
      measured: st.measured,
      budget: st.budget,
      speedFixed: st.speedFixed,
    })),
  );
  const speed = engineSpeed(s);
  const report = costReport(config, speed, runSize(config));
  const memOver = report.memory.totalBytes > s.budget.memoryBytes;
  const t = report.time;
  return (
    <div className="cost" data-testid="cost">
      <div className="cost-row" title={layerTitle(config, report)}>
        <span className="num">{formatInt(report.parameters)}</span> parameters
        <span className="muted"> · {formatInt(report.flopsPerSample.total / 1e6)} MFLOP per sample</span>
      </div>
      <div className={`cost-row${memOver ? ' over' : ''}`} title={memoryTitle(config, report)}>
        memory{' '}
        <span className="num" data-testid="cost-memory">
          {formatBytes(report.memory.totalBytes)}
        </span>
        <span className="muted"> of {formatBytes(s.budget.memoryBytes)}</span>
      </div>
      <div
        className="cost-row"
        title={
          speed === null
            ? 'Measuring this machine’s speed…'
            : `At ${(speed / 1e9).toFixed(1)} GFLOP/s, ${s.measured !== null ? 'measured while training' : s.speedFixed ? 'fixed by a test' : 'from a short calibration run at startup'}`
        }
      >
        {t ? (
          <>
            <span className="num" data-testid="cost-batch">
              {formatSeconds(t.secondsPerBatch)}
            </span>{' '}
            per step · <span className="num">{formatSeconds(t.secondsPerEpoch)}</span> per epoch
          </>
        ) : (
          <span className="muted">time: measuring…</span>
        )}
      </div>
    </div>
  );
}
