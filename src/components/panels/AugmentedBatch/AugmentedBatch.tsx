/**
 * "What the network trains on": the first images of the batch the next step trains on, each as the
 * dataset holds it beside the distorted copy that step will train on (the worker computes it with the
 * step's own keys: training/augmentedBatch.ts). Opened from the regularisation controls; closed, it asks
 * nothing. While open it follows the run at most once a second, reading the step from the store in a timer
 * so the page does not re-render on every snapshot.
 */
import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { actions } from '../../../app/client';
import { describeAugment } from '../../../engine/augment';
import type { ReplyTo } from '../../../protocol/messages';
import { useConfigStore } from '../../../store/config';
import { useRunStore } from '../../../store/run';
import { DigitThumb } from '../../ui/DigitThumb';
import { formatInt } from '../../ui/format';

/** Pairs shown: three rows of four in the popover. */
export const AUGMENTED_SHOWN = 12;
/** At most one question a second while it is open. */
const REFRESH_MS = 1000;

type Answer = ReplyTo<'augmented-batch'>;

/** How many pairs differ in at least one pixel (none, for `augment: none`). */
export function changedPairs(a: Pick<Answer, 'originals' | 'augmented' | 'labels'>): number {
  const n = a.labels.length;
  const px = n > 0 ? a.originals.length / n : 0;
  let changed = 0;
  for (let i = 0; i < n; i++) {
    for (let p = i * px; p < (i + 1) * px; p++) {
      if (a.originals[p] !== a.augmented[p]) {
        changed++;
        break;
      }
    }
  }
  return changed;
}

function Pairs({ answer }: { answer: Answer }) {
  const names = useRunStore((s) => s.data.classNames);
  const px = answer.rows * answer.cols;
  return (
    <ul className="augmented-pairs">
      {Array.from(answer.labels, (label, i) => {
        const name = names[label] ?? String(label);
        const position = answer.firstPosition + i + 1;
        return (
          <li key={i} className="augmented-pair" data-testid="augmented-pair">
            <DigitThumb
              pixels={answer.originals.subarray(i * px, (i + 1) * px)}
              label={`image ${position} of the epoch, a ${name}, as in the dataset`}
            />
            <DigitThumb
              pixels={answer.augmented.subarray(i * px, (i + 1) * px)}
              label={`the same ${name} as the network trains on it`}
            />
            <span className="augmented-label">{name}</span>
          </li>
        );
      })}
    </ul>
  );
}

/** The open view: asks on open, then whenever the run or the augmentation moved on (≤ 1/s). */
export function AugmentedBatch() {
  const augment = useConfigStore((s) => s.config.augment);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const asked = useRef('');
  useEffect(() => {
    let alive = true;
    let inFlight = false;
    const ask = () => {
      const run = useRunStore.getState();
      const key = `${run.generation}:${run.step}:${useConfigStore.getState().config.augment}`;
      if (inFlight || key === asked.current) return;
      asked.current = key;
      inFlight = true;
      actions.requestAugmentedBatch(AUGMENTED_SHOWN).then(
        (ev) => {
          inFlight = false;
          if (!alive) return;
          setAnswer(ev);
          setError(null);
        },
        (e: unknown) => {
          inFlight = false;
          if (!alive) return;
          setError(e instanceof Error ? e.message : String(e));
          asked.current = ''; // ask again on the next tick
        },
      );
    };
    ask();
    const timer = setInterval(ask, REFRESH_MS);
    return () => {
      alive = false;
      clearInterval(timer);
      asked.current = '';
    };
  }, [augment]);
  const first = answer ? answer.firstPosition + 1 : 0;
  const last = answer ? answer.firstPosition + answer.labels.length : 0;
  return (
    <div
      className="augmented-batch"
      data-testid="augmented-batch"
      data-kind={answer?.kind ?? ''}
      data-step={answer ? answer.step + 1 : ''}
      data-count={answer?.labels.length ?? 0}
      data-changed={answer ? changedPairs(answer) : 0}
    >
      <p className="augmented-caption">
        {answer
          ? `Step ${formatInt(answer.step + 1)} · epoch ${answer.epoch + 1}, images ${formatInt(first)}–${formatInt(last)} of its shuffled order. Left: as in the dataset; right: what the network trains on.`
          : error
            ? ''
            : 'Asking the worker…'}
      </p>
      {error ? (
        <p className="augmented-error" role="alert">
          {error}
        </p>
      ) : null}
      {answer ? <Pairs answer={answer} /> : null}
      <p className="muted augmented-about">
        {augment === 'none'
          ? 'No augmentation: the network trains on the images as they are. Choose one above to see it.'
          : `${describeAugment(augment)}, new for every epoch; test images are never distorted.`}
      </p>
    </div>
  );
}

/** Where the popover goes: under the opener, kept inside the window (it floats over the other columns). */
function popoverPlace(opener: HTMLElement): { left: number; top: number } {
  const r = opener.getBoundingClientRect();
  const width = Math.min(POPOVER_WIDTH, window.innerWidth - 16);
  const left = Math.max(8, Math.min(r.left, window.innerWidth - width - 8));
  const below = r.bottom + 4;
  const top = below + POPOVER_HEIGHT <= window.innerHeight ? below : Math.max(8, r.top - POPOVER_HEIGHT - 4);
  return { left, top };
}

/** The popover's size in CSS px (app.css .augmented-popover): for placing it before it is drawn. */
const POPOVER_WIDTH = 340;
const POPOVER_HEIGHT = 400;

/**
 * The opener and the popover. The popover is put in the document's body (a portal), so the controls
 * column's scrolling box does not clip it; Escape or the opener closes it. The view is mounted (and asks)
 * only while it is open.
 */
export function AugmentedBatchMenu() {
  const opener = useRef<HTMLButtonElement>(null);
  const [place, setPlace] = useState<{ left: number; top: number } | null>(null);
  const open = place !== null;
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setPlace(null);
      opener.current?.focus();
    };
    // The opener moves when the column scrolls or the window changes: the popover follows it.
    const follow = () => {
      if (opener.current) setPlace(popoverPlace(opener.current));
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('resize', follow);
    document.addEventListener('scroll', follow, true);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('resize', follow);
      document.removeEventListener('scroll', follow, true);
    };
  }, [open]);
  return (
    <>
      <button
        ref={opener}
        type="button"
        className="btn small augmented-opener"
        data-testid="open-augmented-batch"
        aria-expanded={open}
        aria-controls="augmented-popover"
        onClick={(e) => setPlace(open ? null : popoverPlace(e.currentTarget))}
      >
        What the network trains on
      </button>
      {place
        ? createPortal(
            <div
              id="augmented-popover"
              className="augmented-popover"
              role="dialog"
              aria-label="What the network trains on"
              style={{ left: place.left, top: place.top }}
            >
              <button
                type="button"
                className="augmented-close"
                aria-label="Close"
                onClick={() => {
                  setPlace(null);
                  opener.current?.focus();
                }}
              >
                ×
              </button>
              <AugmentedBatch />
            </div>,
            document.body,
          )
        : null}
    </>
  );
}
