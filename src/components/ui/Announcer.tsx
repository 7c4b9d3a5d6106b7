/**
 * What a screen-reader user hears about the run: one polite sentence when something changes —
 * training started, paused, done or diverged; an epoch's result; the data loaded. The status bar itself
 * stays `aria-live="off"` (its step counter changes many times a second; announcing it would drown
 * everything else). Visually hidden: the same facts are on screen already.
 */
import { useEffect, useState } from 'react';
import { useRunStore, type RunState } from '../../store/run';
import { formatInt, formatPercent } from './format';

/** The sentence for a change from `prev` to `s`, or null when nothing worth saying changed. */
export function announcement(s: RunState, prev: RunState): string | null {
  if (s.epochs.length > prev.epochs.length && s.epochs.length > 0) {
    const e = s.epochs[s.epochs.length - 1];
    const end = s.status === 'done' && prev.status !== 'done' ? ' Training done.' : '';
    return `Epoch ${formatInt(e.epoch)}: test accuracy ${formatPercent(e.testAccuracy)}.${end}`;
  }
  if (s.status !== prev.status) {
    switch (s.status) {
      case 'training':
        return 'Training.';
      case 'paused':
        return `Paused at step ${formatInt(s.step)}.`;
      case 'done':
        return 'Training done.';
      case 'diverged':
        return `Training stopped at step ${formatInt(s.diverged?.step ?? s.step)}: the loss diverged.`;
      case 'idle':
        return prev.status === 'training' || prev.status === 'paused' ? 'Network reset.' : null;
      default:
        return null;
    }
  }
  if (s.data.counts && !prev.data.counts)
    return `Data loaded: ${formatInt(s.data.counts.train)} training and ${formatInt(s.data.counts.test)} test images.`;
  return null;
}

export function Announcer() {
  const [text, setText] = useState('');
  useEffect(
    () =>
      useRunStore.subscribe((s, prev) => {
        const t = announcement(s, prev);
        if (t) setText(t);
      }),
    [],
  );
  return (
    <div
      className="visually-hidden"
      role="status"
      aria-live="polite"
      aria-atomic="true"
      data-testid="announcer"
    >
      {text}
    </div>
  );
}
