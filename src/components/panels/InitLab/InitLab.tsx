/**
 * The init lab: how each weight initialisation spreads the activations of this very architecture before
 * any training — mean |a| per layer for a batch of 64 training images, and the factor it grows by from
 * layer to layer. Computed in the worker on freshly built networks (no training); one click rebuilds the
 * network with another init.
 */
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { InitKind } from '../../../engine/types';
import { useConfigStore } from '../../../store/config';
import { useInsideStore, type InitLabResult } from '../../../store/inside';
import { useRunStore } from '../../../store/run';
import { actions } from '../../../app/client';
import { formatMagnitude, formatValue } from '../../ui/format';
import { INIT_LABELS } from '../../ui/labels';
import { Panel } from '../../ui/Panel';

/** "×390" for growth, "÷8.1" for shrinking, so both read as factors. */
export function formatGrowth(g: number): string {
  if (!(g > 0) || !Number.isFinite(g)) return '–';
  return g >= 1 ? `×${formatMagnitude(g)}` : `÷${formatMagnitude(1 / g)}`;
}

/** A cell's tone: a layer whose mean |a| is far from 1 (blown up or faded) is flagged. */
export function spreadTone(meanAbs: number): 'ok' | 'big' | 'small' {
  if (meanAbs > 10) return 'big';
  if (meanAbs < 0.01) return 'small';
  return 'ok';
}

export function InitLab() {
  const arch = useConfigStore(
    useShallow((s) => ({
      key: `${s.config.hidden.join('-')}|${s.config.activation}|${s.config.seed}|${s.dataset}`,
      init: s.config.init,
      layers: s.config.hidden.length + 1,
    })),
  );
  const ready = useRunStore((s) => s.data.counts !== null && s.data.error === null);
  // Asked again for every new network (a rebuild answers about the new shape and init).
  const generation = useRunStore((s) => s.generation);
  const lab = useInsideStore((s) => s.initLab);
  const key = `${arch.key}|${generation}`;
  useEffect(() => {
    if (ready) actions.requestInitLab(key);
  }, [key, ready]);
  // While a rebuilt network's lab is computed, the last figures stay (no flicker) unless the shape changed.
  const results: InitLabResult[] = lab && lab.query.key.startsWith(`${arch.key}|`) ? lab.items : [];
  const rows = Array.from({ length: arch.layers }, (_, l) => l);
  return (
    <Panel
      title="Init lab"
      info="How big the activations are right after initialisation, before any training: mean |a| per layer on 64 training images, and how much it grows (×) or shrinks (÷) from one layer to the next. Uniform(0, 1) multiplies it by about fan-in × ¼ per ReLU layer — the logits explode and softmax saturates; He (Var w = 2/fan-in) keeps every layer near the same size. Click an init to rebuild the network with it."
      className="inside-init"
      view="init-lab"
    >
      <div className="init-lab" data-testid="init-lab" data-results={results.length}>
        {lab?.error ? <p className="init-error">{lab.error}</p> : null}
        {results.length === 0 && !lab?.error ? (
          <p className="muted">{ready ? 'Building fresh networks…' : 'Waiting for the data…'}</p>
        ) : null}
        {results.length > 0 ? (
          <table className="init-table">
            <thead>
              <tr>
                <th scope="col" className="init-corner">
                  <span className="visually-hidden">layer</span>
                </th>
                {results.map((r) => (
                  <th key={r.init} scope="col" className={r.init === arch.init ? 'current' : ''}>
                    <button
                      type="button"
                      className="init-pick"
                      aria-pressed={r.init === arch.init}
                      data-init={r.init}
                      title={
                        r.init === arch.init
                          ? 'The current init'
                          : `Rebuild the network with ${INIT_LABELS[r.init as InitKind] ?? r.init}`
                      }
                      onClick={() => actions.updateConfig({ init: r.init as InitKind })}
                    >
                      {INIT_LABELS[r.init as InitKind] ?? r.init}
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((l) => (
                <tr key={l}>
                  <th scope="row">{l === arch.layers - 1 ? 'logits' : `layer ${l + 1}`}</th>
                  {results.map((r) => {
                    const cell = r.layers[l];
                    if (!cell) return <td key={r.init}>–</td>;
                    return (
                      <td
                        key={r.init}
                        data-mean-abs={cell.meanAbs}
                        className={`${r.init === arch.init ? 'current' : ''} tone-${spreadTone(cell.meanAbs)}`}
                        title={`mean |a| ${formatValue(cell.meanAbs, 4)}, std ${formatValue(cell.std, 4)}, ${formatGrowth(cell.growth)} from the layer below`}
                      >
                        <span className="init-value">{formatMagnitude(cell.meanAbs)}</span>
                        <span className="init-growth">{formatGrowth(cell.growth)}</span>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {results.length > 0 ? (
          <p className="init-caption">mean |a| per layer · × or ÷: change from the layer below</p>
        ) : null}
      </div>
    </Panel>
  );
}
