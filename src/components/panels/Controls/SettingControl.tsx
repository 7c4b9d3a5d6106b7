/**
 * The generic rows of the control panel: a select and a number field for one setting of the schema, each
 * with a visible label bound to it (so its accessible name is what the user reads) and the row's help as
 * its tooltip.
 */
import { useId, useRef, useState, type ChangeEvent, type ReactNode } from 'react';
import type { Setting } from '../../../settings/schema';

function Row({
  label,
  help,
  children,
}: {
  label: string;
  help?: string;
  children: (id: string) => ReactNode;
}) {
  const id = useId();
  return (
    <div className="control no-output">
      <label className="control-label" htmlFor={id} title={help ?? label}>
        {label}
      </label>
      {children(id)}
    </div>
  );
}

/** A number field committed on blur or Enter; an invalid entry snaps back to the current value. */
export function NumberField({
  setting,
  value,
  min,
  max,
  testId,
  onCommit,
}: {
  setting: Setting;
  value: number;
  min: number;
  max: number;
  testId?: string;
  onCommit: (v: number) => void;
}) {
  const [text, setText] = useState<{ base: number; s: string } | null>(null);
  const shown = text && text.base === value ? text.s : String(value);
  const ref = useRef<HTMLInputElement>(null);
  const commit = () => {
    const v = Math.round(Number(shown));
    if (shown.trim() !== '' && Number.isFinite(v) && v >= min && v <= max) {
      if (v !== value) onCommit(v);
    }
    setText(null);
  };
  return (
    <Row label={setting.label} help={setting.help}>
      {(id) => (
        <input
          ref={ref}
          id={id}
          type="number"
          inputMode="numeric"
          min={min}
          max={max}
          step={1}
          value={shown}
          data-testid={testId}
          onChange={(e) => setText({ base: value, s: e.currentTarget.value })}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') ref.current?.blur();
            if (e.key === 'Escape') {
              setText(null);
              ref.current?.blur();
            }
          }}
        />
      )}
    </Row>
  );
}

/** A select over `options`; the value a link or file brought is one of them (the caller adds it). */
export function Select<T extends string | number>({
  setting,
  value,
  options,
  testId,
  onChange,
}: {
  setting: Setting;
  value: T;
  options: { value: T; label: string }[];
  testId?: string;
  onChange: (v: T) => void;
}) {
  return (
    <Row label={setting.label} help={setting.help}>
      {(id) => (
        <select
          id={id}
          value={String(value)}
          data-testid={testId}
          onChange={(e: ChangeEvent<HTMLSelectElement>) => {
            const o = options.find((opt) => String(opt.value) === e.currentTarget.value);
            if (o) onChange(o.value);
          }}
        >
          {options.map((o) => (
            <option key={String(o.value)} value={String(o.value)}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Row>
  );
}
