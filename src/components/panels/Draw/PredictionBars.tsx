/**
 * What the network reads in the user's drawing: the top class in large type and one probability bar per
 * class. `prediction`'s text is exactly the predicted label (a digit, or the Fashion-MNIST class name) and
 * nothing else, so tests and screen readers get the answer plainly.
 *
 * Re-renders only when a new prediction arrives (≤ ~12/s while drawing), never per training snapshot: it
 * subscribes to the telemetry store's `prediction` field alone.
 */
import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useConfigStore } from '../../../store/config';
import { useRunStore } from '../../../store/run';
import { drawingSubject } from './DrawCanvas';
import { telemetryStore, type Prediction } from '../../../store/telemetry';
import { Panel } from '../../ui/Panel';

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** Index of the largest probability, −1 for none. */
export function argmax(p: ArrayLike<number>): number {
  let best = -1;
  let v = -Infinity;
  for (let i = 0; i < p.length; i++) {
    if (p[i] > v) {
      v = p[i];
      best = i;
    }
  }
  return best;
}

export function PredictionBars() {
  const [prediction, setPrediction] = useState<Prediction | null>(() => telemetryStore.getState().prediction);
  const classNames = useRunStore(useShallow((s) => s.data.classNames));
  const names = classNames.length ? classNames : DIGITS;
  const subject = drawingSubject(useConfigStore((s) => s.dataset));

  useEffect(
    () =>
      telemetryStore.subscribe((s, prev) => {
        if (s.prediction !== prev.prediction) setPrediction(s.prediction);
      }),
    [],
  );

  const p = prediction?.probabilities ?? null;
  const top = p ? argmax(p) : -1;
  const count = Math.max(names.length, p?.length ?? 0);

  return (
    <Panel
      title="Prediction"
      info="The network's answer for your drawing: how likely it thinks each class is. The bars add up to 100 %."
      bodyClassName="prediction-body"
    >
      <div className="prediction-top" aria-live="polite">
        <span className="prediction-label" data-testid="prediction">
          {top >= 0 ? (names[top] ?? String(top)) : ''}
        </span>
        <span className="prediction-conf">
          {p && top >= 0 ? `${(p[top] * 100).toFixed(0)} % sure` : `draw ${subject} above`}
        </span>
      </div>
      <div className="bars" role="list" aria-label="Probability of each class">
        {Array.from({ length: count }, (_, i) => {
          const v = p ? (p[i] ?? 0) : 0;
          return (
            <div key={i} className={`bar-row${i === top ? ' top' : ''}`} role="listitem">
              <span className="name" title={names[i]}>
                {names[i] ?? i}
              </span>
              <span className="bar-track">
                <span className="bar-fill" style={{ display: 'block', transform: `scaleX(${v})` }} />
              </span>
              <span className="pct">{p ? `${(v * 100).toFixed(0)}%` : ''}</span>
            </div>
          );
        })}
      </div>
    </Panel>
  );
}
