/**
 * The lessons table: every set-up's link reads (with the app's own URL reader) into the settings it claims,
 * every lesson names a view its screen opens, and the texts stay short enough to read off a projector. A
 * lesson's bare link starts on its first set-up; which set-up a state is, is told by the settings that make
 * one (not by workers or speed).
 */
import { describe, expect, it } from 'vitest';
import {
  bareLessonSearch,
  checkLessons,
  LESSON_URL_KEYS,
  LESSONS,
  lessonKey,
  lessonKeysLabel,
  lessonOf,
  lessonQuery,
  lessonUrlKeys,
  lessonViewAt,
  HANDWRITING_PER_CLASS,
  matchingSetup,
  nextWanted,
  setupKey,
  setupLetter,
  setupWords,
  stepOf,
  type Lesson,
} from '../../src/components/lessons/lessons';
import { DEFAULT_CONFIG_STATE } from '../../src/store/config';
import { SCREENS } from '../../src/components/ScreenTabs';
import { LESSON_KEYS, SHORTCUTS } from '../../src/components/shortcuts';
import { readViewState } from '../../src/store/view';
import { readUrlState, URL_PARAMS } from '../../src/store/urlState';

const KNOWN = new Set(URL_PARAMS.map((p) => p.key));

describe('the lessons table', () => {
  it('has unique ids, each reachable by a digit key', () => {
    expect(new Set(LESSONS.map((l) => l.id)).size).toBe(LESSONS.length);
    expect(LESSONS.length).toBeLessThanOrEqual(LESSON_KEYS);
    for (const l of LESSONS) expect(l.id).toMatch(/^[a-z][a-z0-9-]*$/);
    expect(checkLessons(LESSONS)).toEqual([]);
  });

  it('keys 1–9 then 0: unique, one per lesson, as the menu and the shortcut bar show them', () => {
    const keys = Array.from({ length: 10 }, (_, i) => lessonKey(i));
    expect(keys).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '0']);
    expect(lessonKey(10)).toBeNull();
    const row = SHORTCUTS.find((s) => s.id === 'lesson')!;
    expect(row.keys).toEqual(LESSONS.map((_, i) => lessonKey(i)));
    expect(new Set(row.keys).size).toBe(row.keys.length);
    expect(row.label).toBe(lessonKeysLabel(LESSONS.length));
    expect([lessonKeysLabel(6), lessonKeysLabel(9), lessonKeysLabel(10), lessonKeysLabel(12)]).toEqual([
      '1–6',
      '1–9',
      '1–9, 0',
      '1–9, 0',
    ]);
    // No shortcut of another row takes a digit.
    for (const s of SHORTCUTS) if (s.id !== 'lesson') for (const k of s.keys) expect(k).not.toMatch(/^\d$/);
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
        it(`set-up ${setupLetter(i)} (${setup.label}) reads into the settings it claims`, () => {
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
        it(`set-up ${setupLetter(i)} is told apart: its state matches it, a changed seed matches none`, () => {
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
        expect(setupWords(lesson, -1)).toMatch(/not the lesson’s set-up|neither A nor B|none of A–[C-Z]/);
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

/**
 * A test-only table through the same functions: a lesson with three set-ups and one with guided steps (the
 * shapes issue 18's lessons need), and tables that break the rules.
 */
describe('lessons of any number of set-ups and steps', () => {
  const THREE: Lesson = {
    id: 'three-rates',
    title: 'Three learning rates',
    text: 'Train with each rate. Compare the loss curves.',
    setups: [
      { label: 'lr 0.01', query: 'opt=sgd&lr=0.01', claims: { optimizer: 'sgd', learningRate: 0.01 } },
      { label: 'lr 0.1', query: 'opt=sgd&lr=0.1', claims: { optimizer: 'sgd', learningRate: 0.1 } },
      { label: 'lr 1', query: 'opt=sgd&lr=1', claims: { optimizer: 'sgd', learningRate: 1 } },
    ],
    screen: 'watch',
    view: 'loss-chart',
  };
  const GUIDED: Lesson = {
    id: 'guided',
    title: 'A guided lesson',
    text: 'Follow the steps. Each says what to watch.',
    setups: [
      { label: 'No hidden layer', query: 'hidden=none', claims: { hidden: [] } },
      { label: 'One of 128', query: 'hidden=128', claims: { hidden: [128] } },
    ],
    steps: [
      { text: 'Train one epoch.' },
      { text: 'Now with a hidden layer.', setup: 1 },
      { text: 'Look at the weights.', view: 'weight-images' },
    ],
    screen: 'watch',
    view: 'loss-chart',
  };
  const table = [THREE, GUIDED];

  it('the table is good; each set-up reads into its claims and is told apart from the others', () => {
    expect(checkLessons(table)).toEqual([]);
    THREE.setups.forEach((u, i) => {
      const state = readUrlState(`?${lessonQuery(THREE, i)}`);
      expect(state.config).toMatchObject(u.claims);
      expect(matchingSetup(THREE, state)).toBe(i);
    });
    expect(matchingSetup(THREE, DEFAULT_CONFIG_STATE)).toBe(-1);
    expect(THREE.setups.map((_, i) => setupKey(i))).toEqual(['a', 'b', 'c']);
    expect(setupWords(THREE, 2)).toBe('Your settings: set-up C');
    expect(setupWords(THREE, -1)).toBe('Your settings are none of A–C: load one to start as the lesson says');
    expect(lessonUrlKeys(table)).toEqual(expect.arrayContaining(['lesson', 'lstep', 'opt', 'lr', 'hidden']));
  });

  it('a step is in the link (1-based lstep), names its set-up and its view', () => {
    const link = `?${lessonQuery(GUIDED, 1, 1)}`;
    expect(new URLSearchParams(link).get('lstep')).toBe('2');
    expect(readViewState(link)).toMatchObject({ lesson: 'guided', lessonStep: 1 });
    expect(readUrlState(link).config.hidden).toEqual([128]);
    expect(new URLSearchParams(lessonQuery(GUIDED, 0, 0)).has('lstep')).toBe(false);
    expect([0, 1, 2].map((s) => lessonViewAt(GUIDED, s))).toEqual([
      'loss-chart',
      'loss-chart',
      'weight-images',
    ]);
    // A step the lesson has not is its first; a lesson without steps is on its first.
    expect([stepOf(GUIDED, 2), stepOf(GUIDED, 3), stepOf(GUIDED, -1), stepOf(THREE, 1)]).toEqual([
      2, 0, 0, 0,
    ]);
    // Every step's view is one the lesson's screen opens.
    const screen = SCREENS.find((s) => s.id === GUIDED.screen)!;
    for (let s = 0; s < GUIDED.steps!.length; s++)
      expect(screen.opens.split(' ')).toContain(lessonViewAt(GUIDED, s));
  });

  it('refuses a table that breaks the rules, saying which', () => {
    const eleven = Array.from({ length: 11 }, (_, i): Lesson => ({ ...THREE, id: `l${i}` }));
    expect(checkLessons(eleven)).toEqual(['11 lessons: the digit keys reach ten']);
    expect(checkLessons([THREE, THREE])).toEqual(['three-rates: the id is used twice']);
    expect(checkLessons([{ ...GUIDED, steps: [{ text: 'x', setup: 2 }, { text: ' ' }] }])).toEqual([
      'guided step 1: set-up 2 is not one of its 2',
      'guided step 2: no text',
    ]);
    expect(checkLessons([{ ...GUIDED, steps: [] }])).toEqual(['guided: an empty list of steps']);
    const same = { ...THREE, setups: [THREE.setups[0], THREE.setups[0]] } as unknown as Lesson;
    expect(checkLessons([same])).toEqual(['three-rates: two set-ups share a label']);
    // A step's settings keep the weights (no shape, seed …); its count to collect is a positive whole number.
    expect(
      checkLessons([
        {
          ...GUIDED,
          steps: [
            { text: 'x', settings: { mine: 20, learningRate: 0.1 } },
            { text: 'y', settings: { hidden: [32] } },
            { text: 'z', collect: 0 },
            { text: 'w', collect: 2.5 },
          ],
        },
      ]),
    ).toEqual([
      'guided step 2: hidden rebuilds the network (a step keeps the weights)',
      'guided step 3: collect 0 is not a positive count',
      'guided step 4: collect 2.5 is not a positive count',
    ]);
  });
});

describe('the next digit a collecting step asks for', () => {
  it('is the first class with fewer than asked, with how many of it there are; null when every class has them', () => {
    expect(nextWanted([], 10, 3)).toEqual({ digit: 0, have: 0 });
    expect(nextWanted([0, 0], 10, 3)).toEqual({ digit: 0, have: 2 });
    expect(nextWanted([0, 0, 0], 10, 3)).toEqual({ digit: 1, have: 0 });
    // Out of order and with gaps: the first short class, not the one after the last saved.
    expect(nextWanted([0, 0, 0, 2, 2, 2, 3, 1], 10, 3)).toEqual({ digit: 1, have: 1 });
    // More than asked of a class does not make up for another.
    expect(nextWanted([5, 5, 5, 5, 5, 5], 10, 3)).toEqual({ digit: 0, have: 0 });
    const full = Array.from({ length: 30 }, (_, i) => i % 10);
    expect(nextWanted(full, 10, 3)).toBeNull();
    expect(nextWanted(full.slice(1), 10, 3)).toEqual({ digit: 0, have: 2 });
    // A label outside the classes is not counted (and does not throw).
    expect(nextWanted([12, -1], 10, 1)).toEqual({ digit: 0, have: 0 });
  });
});

describe('the handwriting lesson', () => {
  const lesson = LESSONS.find((l) => l.id === 'handwriting')!;
  it('is the seventh (key 7), on My digits, guided in three steps', () => {
    expect(LESSONS.indexOf(lesson)).toBe(6);
    expect(lessonKey(LESSONS.indexOf(lesson))).toBe('7');
    expect(lesson.screen).toBe('mine');
    expect(lesson.steps).toHaveLength(3);
    const screen = SCREENS.find((s) => s.id === 'mine')!;
    for (let s = 0; s < 3; s++) expect(screen.opens.split(' ')).toContain(lessonViewAt(lesson, s));
  });
  it('collects three of each, then trains on MNIST alone, then fine-tunes with mine=20 (no reset)', () => {
    const [draw, gap, tune] = lesson.steps!;
    expect(draw!.collect).toBe(HANDWRITING_PER_CLASS);
    expect(HANDWRITING_PER_CLASS).toBe(3);
    expect(lessonViewAt(lesson, 0)).toBe('draw-canvas');
    expect(gap!.view).toBe('my-digits');
    expect(gap!.settings).toEqual({ mine: 0 });
    // The fine-tuning step loads no set-up (a set-up starts from fresh weights): it changes mine in place.
    expect(tune!.setup).toBeUndefined();
    expect(tune!.settings).toEqual({ mine: 20 });
    expect(tune!.view).toBe('my-digits');
    // Set-up B is what the settings are once step 3 changed them: the card says B.
    const after = readUrlState(`?${lessonQuery(lesson, 0)}`);
    expect(matchingSetup(lesson, { ...after, config: { ...after.config, ...tune!.settings } })).toBe(1);
  });
  it('each step says what to do in two to four sentences', () => {
    for (const st of lesson.steps!) {
      const n = st.text.split(/(?<=[.!?])\s+(?=[A-Z“])/).filter((x) => x.trim() !== '').length;
      expect(n).toBeGreaterThanOrEqual(2);
      expect(n).toBeLessThanOrEqual(4);
    }
    expect(lesson.steps![0]!.text).toMatch(/Fashion-MNIST/);
  });
});
