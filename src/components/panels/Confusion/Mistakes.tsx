/**
 * The test images behind a confusion cell — or, with no cell chosen, the network's most confident
 * mistakes — each with the network's probabilities for its top classes.
 */
import { useEffect } from 'react';
import { useInsideStore, type ImageAnswer } from '../../../store/inside';
import { useRunStore } from '../../../store/run';
import { actions } from '../../../app/client';
import { DigitThumb } from '../../ui/DigitThumb';
import { formatPercent } from '../../ui/format';

/** The classes with the highest probabilities, best first. */
export function topClasses(p: ArrayLike<number>, n: number): { cls: number; p: number }[] {
  return Array.from({ length: p.length }, (_, cls) => ({ cls, p: p[cls]! }))
    .sort((a, b) => b.p - a.p || a.cls - b.cls)
    .slice(0, n);
}

function Item({ item, names }: { item: ImageAnswer; names: string[] }) {
  const top = topClasses(item.probabilities, 3);
  const right = item.predicted === item.label;
  return (
    <li className={`mistake${right ? ' right' : ''}`} data-testid="mistake" data-index={item.index}>
      <DigitThumb pixels={item.pixels} label={`test image ${item.index}: a ${names[item.label]}`} />
      <div className="mistake-text">
        <span>
          {names[item.label]} → <strong>{names[item.predicted]}</strong>
        </span>
        {top.map((t) => (
          <span key={t.cls} className="mistake-bar">
            <span className="mistake-bar-fill" style={{ width: `${Math.round(t.p * 100)}%` }} />
            <span className="mistake-bar-text">
              {names[t.cls]} {formatPercent(t.p, 0)}
            </span>
          </span>
        ))}
      </div>
    </li>
  );
}

export function Mistakes({ names }: { names: string[] }) {
  const selected = useInsideStore((s) => s.selectedCell);
  const mistakes = useInsideStore((s) => s.mistakes);
  const epochs = useRunStore((s) => s.epochs.length);
  const generation = useRunStore((s) => s.generation);
  useEffect(() => {
    if (epochs > 0) actions.requestMistakes(selected);
  }, [selected, epochs, generation]);
  const heading = selected
    ? `${names[selected.trueClass]} read as ${names[selected.predicted]}`
    : 'Most confident mistakes';
  return (
    <div className="mistakes-box" data-testid="mistakes" data-count={mistakes?.items.length ?? 0}>
      <h3 className="mistakes-title">{heading}</h3>
      <ul className="mistakes">
        {mistakes?.items.map((m) => (
          <Item key={m.index} item={m} names={names} />
        ))}
      </ul>
      {epochs === 0 ? <p className="muted">Train one epoch to see the test images it gets wrong.</p> : null}
      {epochs > 0 && mistakes && !mistakes.pending && mistakes.items.length === 0 ? (
        <p className="muted">No test image in this cell.</p>
      ) : null}
    </div>
  );
}
