/**
 * The page holds a configuration back (src/app/costGate.ts): this says what it would cost and why it is
 * not built, offers the closest setting within the budget, and for one that is merely slow, to build it
 * anyway. Nothing runs meanwhile; the previous network stays in the worker.
 */
import { formatSeconds, costReport, formatBytes, runSize } from '../../engine/cost';
import { LIMITS, type TrainConfig } from '../../engine/types';
import { actions } from '../../app/client';
import { engineSpeed, useCostStore } from '../../store/cost';

const REFUSED = 'A network that does not fit in memory is not built; the current one stays.';

function describe(c: TrainConfig): string {
  const speed = engineSpeed(useCostStore.getState());
  const r = costReport(c, speed, runSize(c));
  const layers =
    c.hidden.length && c.hidden.every((h) => h === c.hidden[0])
      ? `${c.hidden.length} × ${c.hidden[0]}`
      : c.hidden.join('-') || 'no hidden layer';
  const time = r.time ? `, about ${formatSeconds(r.time.secondsPerEpoch)} per epoch` : '';
  const batch = c.batchSize >= LIMITS.maxBatchSize ? 'all' : String(c.batchSize);
  return `${layers} units, batch ${batch} (${formatBytes(r.memory.totalBytes)}${time})`;
}

export function CostAlert() {
  const held = useCostStore((s) => s.held);
  if (!held || held.kind === 'waiting') return null;
  const s = held.suggestion;
  // The message line shows one line of it; the whole text is the tooltip.
  const title =
    held.kind === 'over'
      ? `Not built. ${held.reason} ${REFUSED}`
      : `Slow network. ${held.reason} Build it anyway, or take a smaller one?`;
  return (
    <div className="toast error cost-alert" role="alert" data-testid="cost-alert" title={title}>
      <span className="toast-text">
        {held.kind === 'over' ? (
          <>
            <b>Not built.</b> {held.reason} {REFUSED}
          </>
        ) : (
          <>
            <b>Slow network.</b> {held.reason} Build it anyway, or take a smaller one?
          </>
        )}
      </span>
      <span className="cost-alert-actions">
        {s ? (
          <button
            type="button"
            className="btn small"
            data-testid="cost-suggestion"
            onClick={() => actions.updateConfig({ hidden: s.hidden, batchSize: s.batchSize })}
          >
            Use {describe(s)}
          </button>
        ) : null}
        {held.kind === 'slow' ? (
          <button
            type="button"
            className="btn small"
            data-testid="cost-confirm"
            onClick={() => actions.confirmBuild()}
          >
            Build anyway
          </button>
        ) : null}
      </span>
    </div>
  );
}
