/**
 * The lessons, one row each: what to watch (two to four sentences), the set-up as a link (a query string the
 * URL machinery reads like any shared link), the screen to open and the view that shows the effect. Where a
 * lesson compares two set-ups it has two (A and B); the first is the one the menu loads.
 *
 * A set-up's `claims` say, in words a reviewer can check, what its query sets; test/components/lessons.test.ts
 * parses every query with the URL reader and compares. The figures in the texts are the engine's own,
 * measured in test/training/lessons.test.ts (and test/training/lessonPhysics.test.ts, test/engine/inspect.test.ts).
 */
import type { TrainConfig } from '../../engine/types';
import type { ConfigState } from '../../store/config';
import { linkSearch, readUrlState, URL_PARAMS, type UrlParam } from '../../store/urlState';
import { VIEW_KEYS } from '../../store/view';
import type { ScreenId } from '../ScreenTabs';

export interface LessonSetup {
  /** Short name on the A / B button. */
  label: string;
  /** The settings, as a query string without '?'. Missing settings take their defaults. */
  query: string;
  /** What the query sets (checked against the URL reader by the lessons test). */
  claims: Partial<TrainConfig>;
}

export interface Lesson {
  id: string;
  title: string;
  /** Two to four sentences: what to do and what to watch. */
  text: string;
  /** One set-up, or two to compare (A, B). */
  setups: readonly [LessonSetup] | readonly [LessonSetup, LessonSetup];
  screen: ScreenId;
  /** The data-testid of the view that shows the effect (one the screen opens). */
  view: string;
}

/** The five-layer net of the vanishing-gradients lesson (test/training/lessonPhysics.test.ts). */
const DEEP = 'hidden=64-64-64-64-64&opt=sgd&lr=0.1&decay=1';
const DEEP_CLAIMS: Partial<TrainConfig> = {
  hidden: [64, 64, 64, 64, 64],
  optimizer: 'sgd',
  learningRate: 0.1,
  lrDecay: 1,
};
/** 1,000 training images, 1,000 for validation, a constant rate (so the overfitting keeps going). */
const SMALL_SET = 'train=1000&validation=1000&decay=1';

export const LESSONS: readonly Lesson[] = [
  {
    id: 'he-init',
    title: 'Why He initialisation',
    text:
      'The init lab shows how big each layer’s activations are before any training. With uniform(0, 1) ' +
      'every weight is positive, so each ReLU layer multiplies the size by about fan-in × ¼ and the logits ' +
      'reach hundreds of thousands. He (variance 2 / fan-in) keeps every layer near the same size. Press Train with ' +
      'each and compare how the loss starts.',
    setups: [
      { label: 'Uniform 0…1', query: 'init=uniform', claims: { init: 'uniform' } },
      { label: 'He', query: 'init=he', claims: { init: 'he' } },
    ],
    screen: 'inside',
    view: 'init-lab',
  },
  {
    id: 'vanishing',
    title: 'Vanishing gradients',
    text:
      'Five layers of 64 with sigmoid: press Train and watch gradient flow. The first layer’s gradient is ' +
      'about a hundred times smaller than the last one’s — its lines sit far below — so the first layers ' +
      'barely learn. Switch to B (ReLU + He): the lines stay close together.',
    setups: [
      {
        label: 'Sigmoid + Xavier',
        query: `${DEEP}&act=sigmoid&init=xavier`,
        claims: { ...DEEP_CLAIMS, activation: 'sigmoid', init: 'xavier' },
      },
      {
        label: 'ReLU + He',
        query: `${DEEP}&act=relu&init=he`,
        claims: { ...DEEP_CLAIMS, activation: 'relu', init: 'he' },
      },
    ],
    screen: 'inside',
    view: 'gradient-flow',
  },
  {
    id: 'overfitting',
    title: 'Overfitting, and L2',
    text:
      'Only 1,000 training images: press Train and let it run for a few dozen epochs. The training loss ' +
      'falls towards zero while the validation loss stops falling and creeps back up — the network learns ' +
      'those images by heart. With L2 (B) the gap between the two curves stays smaller.',
    setups: [
      {
        label: 'No L2',
        query: `${SMALL_SET}&l2=0`,
        claims: { l2: 0, lrDecay: 1, trainSize: 1000, validation: 1000 },
      },
      {
        label: 'L2 0.01',
        query: `${SMALL_SET}&l2=0.01`,
        claims: { l2: 0.01, lrDecay: 1, trainSize: 1000, validation: 1000 },
      },
    ],
    screen: 'watch',
    view: 'loss-chart',
  },
  {
    id: 'dead-relu',
    title: 'Dead ReLUs',
    text:
      'Plain SGD with a learning rate of 1 on the default network: press Train and watch activation health. ' +
      'Within a few dozen steps most units of the first layer are dead — they output 0 for every image, so ' +
      'no gradient reaches them and they never come back. At 0.1 (B) almost none die.',
    setups: [
      // Batches of 64: twice the steps of the default's 128 in the same time, so the dying shows sooner.
      {
        label: 'lr 1',
        query: 'opt=sgd&lr=1&batch=64',
        claims: { optimizer: 'sgd', learningRate: 1, batchSize: 64 },
      },
      {
        label: 'lr 0.1',
        query: 'opt=sgd&lr=0.1&batch=64',
        claims: { optimizer: 'sgd', learningRate: 0.1, batchSize: 64 },
      },
    ],
    screen: 'inside',
    view: 'activation-health',
  },
  {
    id: 'lr-too-large',
    title: 'A learning rate too large',
    text:
      'SGD with a learning rate of 1000: press Train and the loss explodes within a few steps — training ' +
      'stops and says so. The weights are ruined, so lowering the rate is not enough: set the learning rate ' +
      'to about 0.1 (left), then press Reset and Train again.',
    setups: [
      { label: 'lr 1000', query: 'opt=sgd&lr=1000', claims: { optimizer: 'sgd', learningRate: 1000 } },
    ],
    screen: 'watch',
    view: 'loss-chart',
  },
  {
    id: 'no-hidden',
    title: 'No hidden layer vs one',
    text:
      'Without a hidden layer the network is logistic regression: one weighted sum of the pixels per digit. ' +
      'Train one epoch with each and compare the loss curve and the test accuracy in the top bar: about ' +
      '91% without a hidden layer, about 95% with one hidden layer of 128.',
    setups: [
      { label: 'No hidden layer', query: 'hidden=none&epochs=1', claims: { hidden: [], epochs: 1 } },
      { label: 'One of 128', query: 'hidden=128&epochs=1', claims: { hidden: [128], epochs: 1 } },
    ],
    screen: 'watch',
    view: 'loss-chart',
  },
];

/** Every key any lesson sets, and `lesson` itself: opening a lesson clears these first. */
export const LESSON_URL_KEYS: readonly string[] = [
  'lesson',
  ...new Set(LESSONS.flatMap((l) => l.setups.flatMap((s) => [...new URLSearchParams(s.query).keys()]))),
];

/** The query (without '?') of a lesson's set-up, the lesson named: a link that opens the lesson. */
export function lessonQuery(lesson: Lesson, setup = 0): string {
  return `lesson=${lesson.id}&${lesson.setups[setup]!.query}`;
}

/** The lesson a query string names (`lesson=<id>`), or null. */
export function lessonOf(search: string): Lesson | null {
  const id = new URLSearchParams(search).get(VIEW_KEYS.lesson);
  return LESSONS.find((l) => l.id === id) ?? null;
}

/**
 * The settings that make a set-up: what a run learns. Not those that only change how fast it goes (workers,
 * speed: the schema's `identity: false`), which a link may carry beside a lesson on any machine.
 */
const SETUP_PARAMS: readonly UrlParam[] = URL_PARAMS.filter((p) => p.setting.identity !== false);

/**
 * The query string (with '?') a lesson's bare link starts on, or null when `search` is not one. A bare link
 * names a lesson and none of the settings that make a set-up (`?lesson=vanishing`, perhaps with `present=1`,
 * `workers=2` or the data folder): it builds the lesson's first set-up, keeping those other parameters. A
 * link that carries such settings keeps them as they are (the card says which set-up they are, if any).
 */
export function bareLessonSearch(search: string): string | null {
  const lesson = lessonOf(search);
  const q = new URLSearchParams(search);
  if (!lesson || SETUP_PARAMS.some((p) => q.has(p.key))) return null;
  // The link's speed-only settings (workers, speed) stay; the set-up gives the rest.
  const link = new URLSearchParams(lessonQuery(lesson));
  for (const p of URL_PARAMS) {
    const v = q.get(p.key);
    if (v !== null && !link.has(p.key)) link.set(p.key, v);
  }
  return linkSearch(link.toString(), search, LESSON_URL_KEYS);
}

/**
 * Which of the lesson's set-ups `state` is (its index), or -1 for none: every setting that makes a set-up
 * (what a run learns, {@link SETUP_PARAMS}) as that set-up's link gives it, the missing ones at their
 * defaults. Compared by their URL text, the way a link would say them.
 */
export function matchingSetup(lesson: Lesson, state: ConfigState): number {
  const text = (st: ConfigState) => SETUP_PARAMS.map((p) => p.format(p.get(st))).join('&');
  const now = text(state);
  return lesson.setups.findIndex((u) => text(readUrlState(`?${u.query}`)) === now);
}

/** The card's words for which set-up the settings are (`setup`: {@link matchingSetup}'s answer). */
export function setupWords(lesson: Lesson, setup: number): string {
  const two = lesson.setups.length > 1;
  if (setup >= 0) return two ? `Your settings: set-up ${'AB'[setup]}` : 'Your settings: the lesson’s set-up';
  return two
    ? 'Your settings are neither A nor B: load one to start as the lesson says'
    : 'Your settings are not the lesson’s set-up: load it to start as the lesson says';
}
