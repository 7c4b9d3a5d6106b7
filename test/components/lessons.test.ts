/**
 * The lessons table: every set-up's link reads (with the app's own URL reader) into the settings it claims,
 * every lesson names a view its screen opens, and the texts stay short enough to read off a projector. A
 * lesson's bare link starts on its first set-up; which set-up a state is, is told by the settings that make
 * one (not by workers or speed).
 */
import { describe, expect, it } from 'vitest';
import {
  bareLessonSearch,
  LESSON_URL_KEYS,
  LESSONS,
  lessonOf,
  lessonQuery,
  matchingSetup,
  setupWords,
} from '../../src/components/lessons/lessons';
import { DEFAULT_CONFIG_STATE } from '../../src/store/config';
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

      it('its bare link starts on set-up A, keeping presenter mode, the data folder and the workers', () => {
        const start = bareLessonSearch(`?lesson=${lesson.id}&present=1&data=dir&workers=2`);
        expect(start).not.toBeNull();
        const q = new URLSearchParams(start!);
        expect([q.get('lesson'), q.get('present'), q.get('data'), q.get('workers')]).toEqual([
          lesson.id,
          '1',
          'dir',
          '2',
        ]);
        const state = readUrlState(start!);
        expect(state.config).toMatchObject(lesson.setups[0].claims);
        expect(state.config.workers).toBe(2);
        expect(matchingSetup(lesson, state)).toBe(0);
        expect(lessonOf(start!)).toBe(lesson);
      });

      lesson.setups.forEach((_, i) => {
        it(`set-up ${'AB'[i]} is told apart: its state matches it, a changed seed matches none`, () => {
          const state = readUrlState(`?${lessonQuery(lesson, i)}`);
          expect(matchingSetup(lesson, state)).toBe(i);
          // Speed-only settings do not count; what the run learns does.
          expect(
            matchingSetup(lesson, { ...state, speed: 10, config: { ...state.config, workers: 3 } }),
          ).toBe(i);
          expect(matchingSetup(lesson, { ...state, config: { ...state.config, seed: 12345 } })).toBe(-1);
          // A link that carries such settings is not bare: it keeps them.
          expect(bareLessonSearch(`?${lessonQuery(lesson, i)}`)).toBeNull();
        });
      });

      it('the defaults are the set-up that reads into them (He init’s B), else none; the card says so', () => {
        const isDefault = lesson.setups.map(
          (u) => JSON.stringify(readUrlState(`?${u.query}`)) === JSON.stringify(DEFAULT_CONFIG_STATE),
        );
        expect(matchingSetup(lesson, DEFAULT_CONFIG_STATE)).toBe(isDefault.indexOf(true));
        if (lesson.id === 'he-init') expect(isDefault).toEqual([false, true]);
        expect(setupWords(lesson, -1)).toMatch(/not the lesson’s set-up|neither A nor B/);
        expect(setupWords(lesson, 0)).toMatch(
          lesson.setups.length > 1 ? /set-up A$/ : /the lesson’s set-up$/,
        );
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

  it('a link is bare only when it names a lesson and none of the settings a set-up makes', () => {
    expect(bareLessonSearch('')).toBeNull();
    expect(bareLessonSearch('?lesson=no-such-lesson')).toBeNull();
    expect(bareLessonSearch('?lesson=vanishing&lr=0.5')).toBeNull();
    expect(bareLessonSearch('?lesson=vanishing&dataset=fashion-mnist')).toBeNull();
    expect(bareLessonSearch('?lesson=vanishing&speed=10')).not.toBeNull();
  });

  it('clears every key a lesson sets when another opens', () => {
    for (const k of ['lesson', 'init', 'hidden', 'act', 'lr', 'l2', 'train', 'validation'])
      expect(LESSON_URL_KEYS).toContain(k);
  });
});
