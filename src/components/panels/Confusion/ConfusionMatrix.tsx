/**
 * The confusion matrix of the last test evaluation: rows = the true class, columns = what the network
 * said, each row normalised to 100 % (so a rare class reads as clearly as a common one); counts on hover.
 * Clicking a cell shows its test images in the mistakes gallery beside it.
 */
import { useShallow } from 'zustand/react/shallow';
import { useInsideStore } from '../../../store/inside';
import { useRunStore } from '../../../store/run';
import { useTimelineStore } from '../../../store/timeline';
import { formatInt } from '../../ui/format';
import { actions } from '../../../app/client';
import { sequentialIndex, sequentialLut } from '../../canvas/colors';
import { Panel } from '../../ui/Panel';
import { Mistakes } from './Mistakes';
import { cellText, rowNormalise } from './confusionLayout';

export function ConfusionMatrix() {
  const {
    confusion: liveConfusion,
    classNames,
    epoch,
  } = useRunStore(
    useShallow((s) => ({
      confusion: s.confusion,
      classNames: s.data.classNames,
      epoch: s.epochs.length ? s.epochs[s.epochs.length - 1]!.epoch : 0,
    })),
  );
  // A kept moment on show (the timeline): its own evaluation, computed when first shown.
  const viewing = useTimelineStore((s) => s.viewing);
  const past = useTimelineStore((s) => (s.viewing === null ? null : (s.evaluations.get(s.viewing) ?? null)));
  const confusion = viewing === null ? liveConfusion : (past?.confusion ?? null);
  const selected = useInsideStore((s) => s.selectedCell);
  const k = confusion ? Math.round(Math.sqrt(confusion.length)) : 0;
  const names = Array.from({ length: k }, (_, i) => classNames[i] ?? String(i));
  const fractions = confusion ? rowNormalise(confusion, k) : null;
  const lut = sequentialLut();
  const rowTotals = names.map((_, t) => {
    let s = 0;
    for (let p = 0; p < k; p++) s += confusion![t * k + p]!;
    return s;
  });
  return (
    <Panel
      title="Confusion matrix"
      info="After each epoch, every test image is sorted by its true class (row) and the network's answer (column). The diagonal is right; everything else is a mistake. Rows are normalised to 100 %. Click a cell to see its images."
      className="inside-confusion"
    >
      <div className="confusion-wrap">
        <div
          className="confusion"
          data-testid="confusion-matrix"
          data-classes={k}
          data-epoch={epoch}
          data-step={viewing ?? 'now'}
          style={{ gridTemplateColumns: `auto repeat(${k}, minmax(0, 1fr))` }}
        >
          {k === 0 ? (
            <p className="muted confusion-empty">
              {viewing !== null
                ? `Evaluating the network of step ${formatInt(viewing)} on the test set…`
                : "Appears after the first epoch's test evaluation."}
            </p>
          ) : (
            <>
              <span className="confusion-corner" aria-hidden="true">
                true ↓ said →
              </span>
              {names.map((n, p) => (
                <span key={`h${p}`} className="confusion-head" title={n}>
                  {k === 10 && n.length > 3 ? String(p) : n}
                </span>
              ))}
              {names.map((tn, t) => (
                <div key={`r${t}`} className="confusion-row" role="row" style={{ display: 'contents' }}>
                  <span className="confusion-head row" title={tn}>
                    {k === 10 && tn.length > 3 ? `${t} ${tn}` : tn}
                  </span>
                  {names.map((pn, p) => {
                    const count = confusion![t * k + p]!;
                    const f = fractions![t * k + p]!;
                    const isSel = selected?.trueClass === t && selected.predicted === p;
                    // Light text on the dark end of viridis, dark text on the light end.
                    const light = f < 0.55;
                    return (
                      <button
                        key={p}
                        type="button"
                        className={`confusion-cell${isSel ? ' selected' : ''}${t === p ? ' diagonal' : ''}`}
                        data-testid="confusion-cell"
                        data-true={t}
                        data-predicted={p}
                        data-count={count}
                        aria-pressed={isSel}
                        aria-label={cellText(count, rowTotals[t]!, tn, pn)}
                        title={cellText(count, rowTotals[t]!, tn, pn)}
                        // An empty cell stays blank: the eye finds the few real confusions at once.
                        style={
                          count === 0
                            ? undefined
                            : { background: lut.css[sequentialIndex(f)], color: light ? '#fff' : '#111' }
                        }
                        // The gallery shows the live network's images: a past moment's cells are not for it.
                        aria-disabled={viewing !== null}
                        onClick={() => {
                          if (viewing === null)
                            actions.selectCell(isSel ? null : { trueClass: t, predicted: p });
                        }}
                      >
                        {f >= 0.005 ? Math.round(f * 100) : ''}
                      </button>
                    );
                  })}
                </div>
              ))}
            </>
          )}
        </div>
        {viewing === null ? (
          <Mistakes names={names} />
        ) : (
          <p className="muted confusion-past">
            The mistakes gallery shows the network now: press Now to open it. The matrix is the kept moment’s,
            evaluated on the whole test set.
          </p>
        )}
      </div>
    </Panel>
  );
}
