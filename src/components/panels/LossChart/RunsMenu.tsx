/**
 * The runs of this session (kept across a reload): tick any to overlay its loss curve and test accuracy
 * on the chart; its label names only the settings in which it differs from the current network.
 * Reference lines: test accuracies from the literature.
 */
import { useShallow } from 'zustand/react/shallow';
import { useConfigStore } from '../../../store/config';
import { clearRuns, differences, setReferences, toggleShown, useRunsStore } from '../../../store/runs';
import { formatPercent } from '../../ui/format';
import { runColor } from './runOverlay';

export function RunsMenu() {
  const { runs, shown, references } = useRunsStore(
    useShallow((s) => ({ runs: s.runs, shown: s.shown, references: s.references })),
  );
  const { dataset, config } = useConfigStore(useShallow((s) => ({ dataset: s.dataset, config: s.config })));
  return (
    <details className="runs-menu">
      <summary className="toggle" title="Compare with earlier runs of this session">
        runs{runs.length ? ` (${runs.length})` : ''}
      </summary>
      <div className="runs-popover" data-testid="runs" data-count={runs.length} data-shown={shown.length}>
        {runs.length === 0 ? (
          <p className="muted">Every network you train for an epoch is kept here, also after a reload.</p>
        ) : (
          <ul className="runs-list">
            {[...runs].reverse().map((r) => {
              const last = r.epochs[r.epochs.length - 1];
              const i = shown.indexOf(r.id);
              return (
                <li key={r.id}>
                  <label>
                    <input
                      type="checkbox"
                      checked={i >= 0}
                      data-run={r.id}
                      onChange={() => toggleShown(r.id)}
                    />
                    <span
                      className="run-swatch"
                      style={{ background: i >= 0 ? runColor(i) : 'transparent' }}
                      aria-hidden="true"
                    />
                    <span className="run-label">{differences(r, dataset, config)}</span>
                    <span className="run-figure">
                      {last ? `${formatPercent(last.testAccuracy)} · ${r.epochs.length} ep.` : ''}
                    </span>
                  </label>
                </li>
              );
            })}
          </ul>
        )}
        <label className="runs-refs">
          <input type="checkbox" checked={references} onChange={(e) => setReferences(e.target.checked)} />{' '}
          reference lines (published MNIST results)
        </label>
        {runs.length ? (
          <button type="button" className="btn small" onClick={() => clearRuns()}>
            Forget all runs
          </button>
        ) : null}
      </div>
    </details>
  );
}
