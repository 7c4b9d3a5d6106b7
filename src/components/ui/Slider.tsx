/**
 * A labelled range input that shows its value and commits on release.
 *
 * While the thumb is dragged only the shown number changes (a local draft); the value is committed on the
 * native `change` event (pointer release, a keyboard step, Playwright's fill), so dragging a layer size
 * across 500 positions rebuilds the network once, not 500 times. The draft is dropped on commit, and
 * ignored as soon as anything else changes the value mid-drag (browser Back, a loaded model).
 */
import { useEffect, useId, useRef, useState } from 'react';

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
}

export function Slider({ label, testId, min, max, step, value, format, onCommit, description }: SliderProps) {
  const id = useId();
  const ref = useRef<HTMLInputElement>(null);
  const [draft, setDraft] = useState<{ base: number; v: number } | null>(null);
  const shown = draft && draft.base === value ? draft.v : value;
  const commitRef = useRef(onCommit);
  useEffect(() => {
    commitRef.current = onCommit;
  }, [onCommit]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const onChange = () => {
      const v = Number(el.value);
      if (Number.isFinite(v)) commitRef.current(v);
      // The store now holds the committed value (or refused it: the thumb snaps back). Dropping the
      // draft here also keeps it from reappearing if the value later returns to `base` (a loaded model).
      setDraft(null);
    };
    el.addEventListener('change', onChange);
    return () => el.removeEventListener('change', onChange);
  }, []);

  const text = format(shown);
  return (
    <div className="control">
      <label className="control-label" htmlFor={id} title={label}>
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
        onChange={(e) => setDraft({ base: value, v: Number(e.currentTarget.value) })}
      />
      <output htmlFor={id} className="num">
        {text}
      </output>
    </div>
  );
}
