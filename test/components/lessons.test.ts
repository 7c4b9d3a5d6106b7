/**
 * The lessons table: every set-up's link reads (with the app's own URL reader) into the settings it claims,
 * every lesson names a view its screen opens, and the texts stay short enough to read off a projector.
 */
import { describe, expect, it } from 'vitest';
import { LESSON_URL_KEYS, LESSONS, lessonQuery } from '../../src/components/lessons/lessons';
import { SCREENS } from '../../src/components/ScreenTabs';
import { LESSON_KEYS } from '../../src/components/shortcuts';
import { readUrlState, URL_PARAMS } from '../../src/store/urlState';

const KNOWN = new Set(URL_PARAMS.map((p) => p.key));

describe('the lessons table', () => {
  it('has unique ids, each reachable by a digit key', () => {
    expect(new Set(LESSONS.map((l) => l.id)).size).toBe(LESSONS.length);
    expect(LESSONS.length).toBeLessThanOrEqual(LESSON_KEYS);
    for (const l of LESSONS) expect(l.id).toMatch(/^[a-z][a-z0-9-]*$/);
  });

  for (const lesson of LESSONS) {
    describe(lesson.id, () => {
      it('says what to watch in two to four sentences', () => {
        const sentences = lesson.text.split(/(?<=[.!?])\s+(?=[A-Z])/).filter((s) => s.trim() !== '');
        expect(sentences.length).toBeGreaterThanOrEqual(2);
        expect(sentences.length).toBeLessThanOrEqual(4);
      });

      it('names a view that its screen opens', () => {
        const screen = SCREENS.find((s) => s.id === lesson.screen)!;
        expect(screen.opens.split(' ')).toContain(lesson.view);
      });

      lesson.setups.forEach((setup, i) => {
        it(`set-up ${'AB'[i]} (${setup.label}) reads into the settings it claims`, () => {
          const keys = [...new URLSearchParams(setup.query).keys()];
          // Every key is one the URL reader knows.
          for (const k of keys) expect(KNOWN.has(k), k).toBe(true);
          const state = readUrlState(`?${setup.query}`);
          expect(state.config).toMatchObject(setup.claims);
          // The lesson's link opens the lesson and reads into the same settings.
          const link = new URLSearchParams(lessonQuery(lesson, i));
          expect(link.get('lesson')).toBe(lesson.id);
          expect(readUrlState(`?${link}`)).toEqual(state);
        });
      });

      if (lesson.setups.length === 2) {
        it('compares two set-ups that differ', () => {
          const [a, b] = lesson.setups.map((s) => readUrlState(`?${s.query}`).config);
          expect(a).not.toEqual(b);
        });
      }
    });
  }

  it('the overfitting lesson carries the data-split keys and L2', () => {
    const lesson = LESSONS.find((l) => l.id === 'overfitting')!;
    for (const s of lesson.setups) {
      const q = new URLSearchParams(s.query);
      expect(q.get('train')).toBe('1000');
      expect(q.get('validation')).toBe('1000');
      expect(q.has('l2')).toBe(true);
    }
  });

  it('clears every key a lesson sets when another opens', () => {
    for (const k of ['lesson', 'init', 'hidden', 'act', 'lr', 'l2', 'train', 'validation'])
      expect(LESSON_URL_KEYS).toContain(k);
  });
});
