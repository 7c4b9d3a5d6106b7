/**
 * A labelled range input that shows its value and commits on release.
 *
 * While the thumb is dragged only the shown number changes (a local draft); the value is committed on the
 * native `change` event (pointer release, a keyboard step, Playwright's fill), so dragging a layer size
 * across 500 positions rebuilds the network once, not 500 times. The draft is dropped on commit, and
 * ignored as soon as anything else changes the value mid-drag (browser Back, a loaded model).
 *
 * A slider may cover a narrower, comfortable part of a setting's range (layer sizes to 512 of 4096). A value
 * beyond it (from a link or a model file) is shown as it is, and only a move commits: a `change` that leaves
 * the thumb where the value put it (a click on the thumb, a drag back to the start) commits nothing, so
 * touching the control never silently turns 2048 units into 512.
 */
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'react';

export interface SliderProps {
  label: string;
  testId?: string;
  min: number;
  max: number;
  step: number;
  /** In slider units (e.g. log10 of the learning rate). */
  value: number;
  format: (v: number) => string;
  onCommit: (v: number) => void;
  /** Extra words for screen readers, e.g. "log scale". */
  description?: string;
  /** A sentence for the label's tooltip (default: the label). */
  help?: string;
  /** The text for `value` when it is not being dragged, if `format` would round it (the exact value). */
  valueText?: string;
  /** The value while it is dragged, and null once it is committed (for figures that follow the thumb). */
  onDraft?: (v: number | null) => void;
}

export function Slider({
  label,
  testId,
  min,
  max,
  step,
  value,
  format,
  onCommit,
  description,
  valueText,
  help,
  onDraft,
}: SliderProps) {
  const id = useId();
  const ref = useRef<HTMLInputElement>(null);
  const [draft, setDraft] = useState<{ base: number; v: number } | null>(null);
  const shown = draft && draft.base === value ? draft.v : value;
  const commitRef = useRef(onCommit);
  const draftRef = useRef(onDraft);
  useEffect(() => {
    commitRef.current = onCommit;
    draftRef.current = onDraft;
  }, [onCommit, onDraft]);
  // Where the thumb rests for `value` when nobody drags: the input's own value, as the browser clamped it
  // into [min, max] and onto the step grid.
  const restingRef = useRef<number | null>(null);
  const dragging = draft !== null && draft.base === value;
  useLayoutEffect(() => {
    if (!dragging && ref.current) restingRef.current = Number(ref.current.value);
  });

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const onChange = () => {
      const v = Number(el.value);
      // Only a move commits: the thumb where `value` put it is not a choice (see the top comment).
      const moved = v !== restingRef.current;
      if (Number.isFinite(v) && moved) commitRef.current(v);
      // The store now holds the committed value (or refused it: the thumb snaps back). Dropping the
      // draft here also keeps it from reappearing if the value later returns to `base` (a loaded model).
      setDraft(null);
      draftRef.current?.(null);
    };
    el.addEventListener('change', onChange);
    return () => el.removeEventListener('change', onChange);
  }, []);

  const text = dragging ? format(shown) : (valueText ?? format(value));
  return (
    <div className="control">
      <label className="control-label" htmlFor={id} title={help ?? label}>
        {label}
      </label>
      <input
        ref={ref}
        id={id}
        type="range"
        min={min}
        max={max}
        step={step}
        value={shown}
        data-testid={testId}
        aria-valuetext={description ? `${text} (${description})` : text}
        onChange={(e) => {
          const v = Number(e.currentTarget.value);
          setDraft({ base: value, v });
          onDraft?.(v);
        }}
      />
      <output htmlFor={id} className="num">
        {text}
      </output>
    </div>
  );
}
