/**
 * Pure helpers for the controls: what a settings row offers a control (its range, narrowed by the row's
 * `control` entry; its choices, named for people) and how a value is written on a control. No React.
 *
 * Labels, help, choices and ranges come from the settings schema (src/settings/schema.ts); a row's `control`
 * may narrow the range to a comfortable one. A value a link or file brought beyond it is shown as it is: the
 * sliders commit only a move, selects add the value as an option, number fields show it.
 */
import type { ControlEntry, Range, Setting } from '../../../settings/schema';
import { formatLr } from '../../ui/format';

/** A row's control entry and range (the whole range unless the control narrows it). */
export function controlOf(
  s: Setting,
): Required<Pick<ControlEntry<unknown>, 'min' | 'max'>> & ControlEntry<unknown> {
  const range: Range | undefined =
    s.kind === 'layer-sizes' ? s.size : s.kind === 'enum' ? undefined : s.range;
  const c = (s.control ?? {}) as ControlEntry<unknown>;
  return { ...c, min: c.min ?? range?.min ?? 0, max: c.max ?? range?.max ?? 0 };
}

/** The options of an enum setting, named for people. */
export function choicesOf(s: Setting) {
  const choices = s.kind === 'enum' ? s.choices : [];
  const names = s.kind === 'enum' ? s.choiceLabels : undefined;
  return choices.map((value) => ({ value, label: names?.[value] ?? value }));
}

/** Adds the current value to a list of options when it is not one of them (a value from a shared URL). */
export function withValue(options: readonly number[], value: number): number[] {
  return options.includes(value) ? [...options] : [...options, value].sort((a, b) => a - b);
}

/** `digits` decimals when they say it all (0.70 → "0.70"), else the exact value (0.733 → "0.733"). */
export function decimalText(v: number, digits: number): string {
  const fixed = v.toFixed(digits);
  return Number(fixed) === v ? fixed : String(+v.toPrecision(6));
}

/** A learning rate as written, exactly: "1e-3" when that is the value, else up to 6 digits. */
export function lrText(lr: number): string {
  const short = formatLr(lr);
  return Number(short) === lr ? short : String(+lr.toPrecision(6));
}
