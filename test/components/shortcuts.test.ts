// @vitest-environment jsdom
/** The shortcuts table: which key press is which shortcut, and when the focused element keeps the key. */
import { describe, expect, it } from 'vitest';
import {
  LESSON_KEYS,
  SHORTCUTS,
  shortcutFor,
  spaceBelongsTo,
  type KeyPress,
} from '../../src/components/shortcuts';
import { lessonKey } from '../../src/components/lessons/lessons';

const make = (html: string) => {
  const d = document.createElement('div');
  d.innerHTML = html;
  return d.firstElementChild;
};
const press = (key: string, target: EventTarget | null = document.body, more: Partial<KeyPress> = {}) =>
  shortcutFor({ key, target, ctrlKey: false, metaKey: false, altKey: false, repeat: false, ...more });

describe('shortcuts', () => {
  it('maps each key to its row; letters in either case; digits to lesson indices', () => {
    expect(press(' ')).toEqual({ id: 'toggle', index: 0 });
    expect(press('s')?.id).toBe('step');
    expect(press('S')?.id).toBe('step');
    expect(press('r')?.id).toBe('reset');
    expect(press('i')?.id).toBe('inside');
    expect(press('w')?.id).toBe('watch');
    expect(press('p')?.id).toBe('present');
    expect(press('1')).toEqual({ id: 'lesson', index: 0 });
    // The last lesson's key: its digit, or 0 for a tenth.
    expect(press(lessonKey(LESSON_KEYS - 1)!)).toEqual({ id: 'lesson', index: LESSON_KEYS - 1 });
    const past = lessonKey(LESSON_KEYS);
    if (past !== null) expect(press(past)).toBeNull();
    expect(press('x')).toBeNull();
    expect(press('Enter')).toBeNull();
  });

  it('no shortcut with Ctrl, ⌘ or Alt, or on auto-repeat', () => {
    expect(press('r', document.body, { ctrlKey: true })).toBeNull();
    expect(press('s', document.body, { metaKey: true })).toBeNull();
    expect(press('1', document.body, { altKey: true })).toBeNull();
    expect(press(' ', document.body, { repeat: true })).toBeNull();
  });

  it('a text field, a select or a slider keeps every key', () => {
    for (const html of [
      '<input type="text">',
      '<input type="number">',
      '<input type="range">',
      '<input>',
      '<textarea></textarea>',
      '<select></select>',
    ]) {
      for (const key of [' ', 's', 'r', '1', 'i', 'p'])
        expect(press(key, make(html)), `${html} ${key}`).toBeNull();
    }
  });

  it('a focused button keeps Space (it presses it), not the letters and digits', () => {
    for (const html of [
      '<button>x</button>',
      '<a href="#">x</a>',
      '<input type="checkbox">',
      '<summary>x</summary>',
    ]) {
      expect(press(' ', make(html))).toBeNull();
      expect(press('s', make(html))?.id).toBe('step');
      expect(press('2', make(html))).toEqual({ id: 'lesson', index: 1 });
    }
  });

  it('spaceBelongsTo: text fields, sliders, selects and buttons keep Space; elsewhere it is the page’s', () => {
    expect(spaceBelongsTo(make('<input type="text">'))).toBe(true);
    expect(spaceBelongsTo(make('<input type="range">'))).toBe(true);
    expect(spaceBelongsTo(make('<button>x</button>'))).toBe(true);
    expect(spaceBelongsTo(make('<select></select>'))).toBe(true);
    expect(spaceBelongsTo(make('<div></div>'))).toBe(false);
    expect(spaceBelongsTo(document.body)).toBe(false);
    expect(spaceBelongsTo(null)).toBe(false);
  });

  it('every row has a label and a few words, and no key is in two rows', () => {
    const keys = SHORTCUTS.flatMap((s) => s.keys);
    expect(new Set(keys).size).toBe(keys.length);
    for (const s of SHORTCUTS) expect(s.label.length * s.does.length).toBeGreaterThan(0);
  });
});
