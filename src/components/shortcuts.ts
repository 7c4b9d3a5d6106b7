/**
 * The keyboard shortcuts, one row each: the key, what it does, and the label the presenter bar and the
 * README show. `shortcutFor` decides whether a key press is a shortcut; App.tsx's `useShortcuts` runs it.
 *
 * Focus rules (so a shortcut never takes a key from what the user is doing):
 * - a text field, a select or a slider owns the keyboard: no shortcut acts while one has the focus
 *   (typing "s" in a seed field, type-ahead in a select, or a slider's keys are never stolen);
 * - a focused button (link, summary, checkbox…) owns Space — it presses it — but not the letters;
 * - a key with Ctrl, ⌘ or Alt, or a held key's auto-repeat, is never a shortcut.
 */
import { LESSONS, lessonKey, lessonKeysLabel } from './lessons/lessons';

export type ShortcutId =
  'toggle' | 'step' | 'reset' | 'lesson' | 'inside' | 'watch' | 'one-step' | 'layers' | 'mine' | 'present';

export interface Shortcut {
  id: ShortcutId;
  /** `KeyboardEvent.key` values (letters in lower case; Shift is ignored). */
  keys: readonly string[];
  /** How the key is shown: "Space", "S", "1–6" (or "1–9, 0"). */
  label: string;
  /** What it does, in two or three words. */
  does: string;
}

/** How many lessons the digit keys reach: every lesson, up to ten (keys 1–9, then 0 for the tenth). */
export const LESSON_KEYS = Math.min(LESSONS.length, 10);

export const SHORTCUTS: readonly Shortcut[] = [
  { id: 'toggle', keys: [' '], label: 'Space', does: 'train / pause' },
  { id: 'step', keys: ['s'], label: 'S', does: 'one step' },
  { id: 'reset', keys: ['r'], label: 'R', does: 'reset' },
  {
    id: 'lesson',
    keys: Array.from({ length: LESSON_KEYS }, (_, i) => lessonKey(i)!),
    label: lessonKeysLabel(LESSON_KEYS),
    does: 'lessons',
  },
  { id: 'inside', keys: ['i'], label: 'I', does: 'Inside' },
  { id: 'watch', keys: ['w'], label: 'W', does: 'Watch' },
  { id: 'one-step', keys: ['o'], label: 'O', does: 'One step' },
  { id: 'layers', keys: ['l'], label: 'L', does: 'Layers' },
  { id: 'mine', keys: ['m'], label: 'M', does: 'My digits' },
  { id: 'present', keys: ['p'], label: 'P', does: 'presenter mode' },
];

/** The shortcuts presenter mode offers (and its bar shows): not My digits' (ScreenTabs' NOT_IN_PRESENTER). */
export const PRESENTER_SHORTCUTS: readonly Shortcut[] = SHORTCUTS.filter((s) => s.id !== 'mine');

/** Who owns the keys while `target` has the focus: everything ('keyboard'), Space only, or nothing. */
export function keyOwner(target: EventTarget | null): 'keyboard' | 'space' | null {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return null;
  if (target.isContentEditable) return 'keyboard';
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return 'keyboard';
  if (tag === 'INPUT') {
    const type = (target as HTMLInputElement).type;
    return type === 'checkbox' || type === 'radio' || type === 'button' || type === 'submit'
      ? 'space'
      : 'keyboard';
  }
  if (tag === 'BUTTON' || tag === 'SUMMARY' || tag === 'A') return 'space';
  return null;
}

/** True when Space belongs to the focused element (typing, choosing, sliding, pressing a button). */
export function spaceBelongsTo(target: EventTarget | null): boolean {
  return keyOwner(target) !== null;
}

/** The parts of a KeyboardEvent the decision needs. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  repeat: boolean;
  target: EventTarget | null;
}

/** The shortcut a key press means, with its digit for 'lesson' (0-based index), or null. */
export function shortcutFor(e: KeyPress): { id: ShortcutId; index: number } | null {
  if (e.repeat || e.ctrlKey || e.metaKey || e.altKey) return null;
  const key = e.key === 'Spacebar' ? ' ' : e.key.length === 1 ? e.key.toLowerCase() : e.key;
  const row = SHORTCUTS.find((s) => s.keys.includes(key));
  if (!row) return null;
  const owner = keyOwner(e.target);
  if (owner === 'keyboard' || (owner === 'space' && key === ' ')) return null;
  return { id: row.id, index: row.keys.indexOf(key) };
}
