/**
 * The lessons, one row each: what to watch (two to four sentences), the set-up as a link (a query string the
 * URL machinery reads like any shared link), the screen to open and the view that shows the effect. A lesson
 * has one set-up or several to compare (A, B, C, …); the first is the one the menu loads. It may also guide
 * the user through steps (Next / Back on the card, the step in the address as `lstep`): each step's text,
 * and perhaps a set-up it loads and a view it points at. `checkLessons` states the table's rules.
 *
 * A set-up's `claims` say, in words a reviewer can check, what its query sets; test/components/lessons.test.ts
 * parses every query with the URL reader and compares. The figures in the texts are the engine's own,
 * measured in test/training/lessons.test.ts (and test/training/lessonPhysics.test.ts, test/engine/inspect.test.ts).
 */
import { trainSetting } from '../../engine/settings';
import type { TrainConfig } from '../../engine/types';
import type { ConfigState } from '../../store/config';
import { linkSearch, readUrlState, URL_PARAMS, type UrlParam } from '../../store/urlState';
import { MAX_LESSON_STEPS, VIEW_KEYS } from '../../store/view';
import type { MapLayer } from '../../protocol/messages';
import type { ScreenId } from '../ScreenTabs';

export interface LessonSetup {
  /** Short name on the A / B button. */
  label: string;
  /** The settings, as a query string without '?'. Missing settings take their defaults. */
  query: string;
  /** What the query sets (checked against the URL reader by the lessons test). */
  claims: Partial<TrainConfig>;
}

/** One guided step of a lesson. */
export interface LessonStep {
  /** What to do now, one or two sentences. */
  text: string;
  /** The set-up (index into the lesson's) this step loads when it is reached, if any. */
  setup?: number;
  /** The view this step points at (outlined), if not the lesson's; one the lesson's screen opens. */
  view?: string;
  /**
   * Settings this step changes when Next or Back reaches it, as the controls do: on the running session,
   * the weights kept (only rows that do not rebuild the network). A link straight to the step leaves them.
   */
  settings?: Partial<TrainConfig>;
  /** The step asks for this many of each class in My digits, one at a time (the card says which: {@link nextWanted}). */
  collect?: number;
  /** The layer the representation map shows when the step is reached (its picker's values: MapLayer). */
  mapLayer?: MapLayer;
}

export interface Lesson {
  id: string;
  title: string;
  /** Two to four sentences: what to do and what to watch. */
  text: string;
  /** One set-up, or several to compare (A, B, C, …). */
  setups: readonly [LessonSetup, ...LessonSetup[]];
  /** Guided steps, followed with Next and Back on the card (none: the lesson is its text). */
  steps?: readonly LessonStep[];
  screen: ScreenId;
  /** The data-testid of the view that shows the effect (one the screen opens). */
  view: string;
}

/** The letter of set-up i on its button and in the card's words: A, B, C, … */
export function setupLetter(i: number): string {
  return String.fromCharCode(65 + i);
}

/** The same letter in lower case: the buttons' `data-setup` and the match's `data-matches`. */
export function setupKey(i: number): string {
  return setupLetter(i).toLowerCase();
}

/** Set-ups a lesson may have (one letter each). */
export const MAX_SETUPS = 26;

/** The digit key of lesson i (0-based): 1–9, then 0 for the tenth; null past it (no key). */
export function lessonKey(i: number): string | null {
  return i < 9 ? String(i + 1) : i === 9 ? '0' : null;
}

/** How the keys of the first `count` lessons are shown: "1–6", "1–9", "1–9, 0". */
export function lessonKeysLabel(count: number): string {
  const n = Math.min(count, 10);
  if (n <= 1) return n === 1 ? '1' : '';
  return n === 10 ? '1–9, 0' : `1–${n}`;
}

/** The view the lesson points at on `step`: the step's own, else the lesson's. */
export function lessonViewAt(lesson: Lesson, step: number): string {
  return lesson.steps?.[step]?.view ?? lesson.view;
}

/** The step to show: `step` when the lesson has it, else the first (0). */
export function stepOf(lesson: Lesson, step: number): number {
  const n = lesson.steps?.length ?? 0;
  return step >= 0 && step < n ? step : 0;
}

/** The next drawing a collecting step asks for: the class, and how many of it are kept already. */
export interface Wanted {
  digit: number;
  have: number;
}

/**
 * What a collecting step asks for next, given the labels of the collection: the first class (0, 1, …) with
 * fewer than `perClass`, and how many of it there are; null once every class has `perClass`.
 */
export function nextWanted(labels: readonly number[], classes: number, perClass: number): Wanted | null {
  const counts = new Array<number>(classes).fill(0);
  for (const l of labels) if (l >= 0 && l < classes) counts[l]!++;
  const digit = counts.findIndex((c) => c < perClass);
  return digit < 0 ? null : { digit, have: counts[digit]! };
}

/**
 * The table's rules, as the faults found (none: the table is good): unique ids, at most ten lessons (the
 * digit keys), 1 to MAX_SETUPS set-ups with distinct labels, each step's text said, its set-up one the
 * lesson has, its settings ones that keep the weights, its count to collect ≥ 1, at most MAX_LESSON_STEPS steps. (Views and settings are checked against the screens and the
 * URL reader by the lessons test.)
 */
export function checkLessons(table: readonly Lesson[]): string[] {
  const faults: string[] = [];
  if (table.length > 10) faults.push(`${table.length} lessons: the digit keys reach ten`);
  const ids = new Set<string>();
  for (const l of table) {
    if (ids.has(l.id)) faults.push(`${l.id}: the id is used twice`);
    ids.add(l.id);
    if (!/^[a-z][a-z0-9-]*$/.test(l.id)) faults.push(`${l.id}: not a lower-case id`);
    if (l.setups.length < 1 || l.setups.length > MAX_SETUPS)
      faults.push(`${l.id}: ${l.setups.length} set-ups (1 to ${MAX_SETUPS})`);
    if (new Set(l.setups.map((u) => u.label)).size !== l.setups.length)
      faults.push(`${l.id}: two set-ups share a label`);
    const steps = l.steps ?? [];
    if (l.steps && steps.length === 0) faults.push(`${l.id}: an empty list of steps`);
    if (steps.length > MAX_LESSON_STEPS)
      faults.push(`${l.id}: ${steps.length} steps (${MAX_LESSON_STEPS} at most)`);
    steps.forEach((s, i) => {
      if (s.text.trim() === '') faults.push(`${l.id} step ${i + 1}: no text`);
      if (s.setup !== undefined && !(Number.isInteger(s.setup) && s.setup >= 0 && s.setup < l.setups.length))
        faults.push(`${l.id} step ${i + 1}: set-up ${s.setup} is not one of its ${l.setups.length}`);
      for (const k of Object.keys(s.settings ?? {}) as (keyof TrainConfig)[])
        if (trainSetting(k).rebuilds)
          faults.push(`${l.id} step ${i + 1}: ${k} rebuilds the network (a step keeps the weights)`);
      if (s.collect !== undefined && !(Number.isInteger(s.collect) && s.collect >= 1))
        faults.push(`${l.id} step ${i + 1}: collect ${s.collect} is not a positive count`);
    });
  }
  return faults;
}

/** The five-layer net of the vanishing-gradients lesson (test/training/lessonPhysics.test.ts). */
const DEEP = 'hidden=64-64-64-64-64&opt=sgd&lr=0.1&decay=1';
const DEEP_CLAIMS: Partial<TrainConfig> = {
  hidden: [64, 64, 64, 64, 64],
  optimizer: 'sgd',
  learningRate: 0.1,
  lrDecay: 1,
};
/**
 * The handwriting lesson's network: one layer of 64 on 10,000 images, an epoch in a few seconds, so MNIST's
 * test accuracy and the test half's (both scored at every epoch's end) update often; a constant rate, so
 * fine-tuning after many epochs still moves the weights.
 */
const QUICK = 'hidden=64&train=10000&decay=1';
const QUICK_CLAIMS: Partial<TrainConfig> = { hidden: [64], trainSize: 10_000, lrDecay: 1 };
/** How many of each digit the handwriting lesson asks for (so each half has at least one of each). */
export const HANDWRITING_PER_CLASS = 3;

/** 1,000 training images, 1,000 for validation, a constant rate (so the overfitting keeps going). */
/**
 * The lesson "batch size": one small network on 10,000 images, at a constant rate, with Adam's default
 * rate — batch 1 (10,000 steps an epoch), 128 (79) and the whole set (1; micro-batched, engine/stepPlan.ts).
 */
const BATCH_BASE = 'hidden=64&train=10000&decay=1';
const BATCH_CLAIMS: Partial<TrainConfig> = { hidden: [64], trainSize: 10_000, lrDecay: 1 };
const SMALL_SET = 'train=1000&validation=1000&decay=1';
const SMALL_SET_CLAIMS: Partial<TrainConfig> = { lrDecay: 1, trainSize: 1000, validation: 1000 };

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
  {
    id: 'handwriting',
    title: 'MNIST is not your handwriting',
    text:
      'MNIST’s digits were written by about 500 people, and you are not one of them. Draw your own, see how ' +
      'the network does on them, then teach it with half of them. The other half is never trained on, so it ' +
      'says honestly how well the network reads you.',
    setups: [
      { label: 'MNIST only', query: QUICK, claims: { ...QUICK_CLAIMS, mine: 0 } },
      { label: 'With my digits ×20', query: `${QUICK}&mine=20`, claims: { ...QUICK_CLAIMS, mine: 20 } },
    ],
    steps: [
      {
        text:
          'Draw a digit in the box on the right and save it with its number button under the box (or its ' +
          'key while the box has the focus). The card asks for three of each, one at a time. On ' +
          'Fashion-MNIST, switch back to MNIST: drawing clothes is not what this lesson is for.',
        collect: HANDWRITING_PER_CLASS,
      },
      {
        text:
          'Press Train and let it run a few epochs on MNIST alone. A small network on 10,000 images keeps ' +
          'each epoch to a few seconds. Compare “your test half” with MNIST’s test accuracy beside it: ' +
          'yours is often lower.',
        view: 'my-digits',
        settings: { mine: 0 },
      },
      {
        text:
          '“My digits ×” is now 20: each epoch also shows the network your teach half twenty times, starting ' +
          'from the weights it has. Keep training and watch your test half climb, and whether MNIST’s ' +
          'accuracy holds or slips a little.',
        view: 'my-digits',
        settings: { mine: 20 },
      },
    ],
    screen: 'mine',
    view: 'draw-canvas',
  },
  {
    id: 'regularisation-lab',
    title: 'Regularisation lab',
    text:
      'The same 1,000 training images six ways: press Train on each set-up for about 20 epochs and compare. ' +
      'With nothing (A) the training loss falls to zero while the validation loss turns back up. L2, dropout ' +
      'and augmentation each keep the two curves closer; early stopping keeps the best epoch’s weights; F ' +
      'uses them all. Every run is kept: overlay them on the loss chart with “runs”.',
    setups: [
      { label: 'None', query: SMALL_SET, claims: SMALL_SET_CLAIMS },
      { label: 'L2 0.01', query: `${SMALL_SET}&l2=0.01`, claims: { ...SMALL_SET_CLAIMS, l2: 0.01 } },
      {
        label: 'Dropout',
        query: `${SMALL_SET}&dropIn=0.2&drop=0.5`,
        claims: { ...SMALL_SET_CLAIMS, inputDropout: 0.2, dropout: 0.5 },
      },
      {
        label: 'Augment',
        query: `${SMALL_SET}&augment=affine`,
        claims: { ...SMALL_SET_CLAIMS, augment: 'affine' },
      },
      {
        label: 'Early stop',
        query: `${SMALL_SET}&patience=3`,
        claims: { ...SMALL_SET_CLAIMS, patience: 3 },
      },
      {
        label: 'All',
        query: `${SMALL_SET}&l2=0.001&dropIn=0.2&drop=0.5&augment=affine&patience=5`,
        claims: {
          ...SMALL_SET_CLAIMS,
          l2: 0.001,
          inputDropout: 0.2,
          dropout: 0.5,
          augment: 'affine',
          patience: 5,
        },
      },
    ],
    screen: 'watch',
    view: 'loss-chart',
  },
  {
    id: 'batch-size',
    title: 'Batch size: 1, 128 or all of them',
    text:
      'The same small network on 10,000 images, three ways: one image a step (A), 128 (B), all 10,000 — ' +
      'full-batch gradient descent, one exact step an epoch (C). Train each to its end (it stops by ' +
      'itself), then overlay the runs on the loss chart: each is labelled with its steps per epoch, the ' +
      'time a step took and how far it got in how long.',
    setups: [
      {
        label: 'Batch 1',
        query: `${BATCH_BASE}&batch=1&epochs=1`,
        claims: { ...BATCH_CLAIMS, batchSize: 1, epochs: 1 },
      },
      {
        label: 'Batch 128',
        query: `${BATCH_BASE}&batch=128&epochs=4`,
        claims: { ...BATCH_CLAIMS, batchSize: 128, epochs: 4 },
      },
      {
        label: 'All 10,000',
        query: `${BATCH_BASE}&batch=all&epochs=20`,
        claims: { ...BATCH_CLAIMS, batchSize: 60_000, epochs: 20 },
      },
    ],
    steps: [
      {
        text:
          'Batch 1: press Train. Each step learns from one image, so an epoch is 10,000 quick steps and the ' +
          'loss is a noisy band: every image pulls the weights its own way.',
        setup: 0,
      },
      {
        text:
          'Batch 128 (B): press Train. Each step averages 128 images’ gradients — 79 steps an epoch, each ' +
          'longer, the line much smoother. Four epochs.',
        setup: 1,
      },
      {
        text:
          'All 10,000 (C): press Train. One step an epoch, from the exact gradient of the whole set; the ' +
          'status shows how far into its batch a step is. Twenty epochs are only twenty steps.',
        setup: 2,
      },
      {
        text:
          'Open “runs” on the loss chart and tick the other two. Read each line’s figures: many cheap noisy ' +
          'steps against few exact slow ones, and which got lowest in the time it had.',
        view: 'loss-chart',
      },
    ],
    screen: 'watch',
    view: 'loss-chart',
  },
  {
    id: 'layers-learn',
    title: 'What the layers learn',
    text:
      'The default network, two epochs. The map places 2,000 test images by what one layer makes of them; ' +
      'step through the layers. In the pixels the digits are tangled; each layer pulls them further apart, ' +
      'and the 5-NN figure (how often an image’s nearest images share its class) climbs.',
    setups: [{ label: 'Two epochs', query: 'epochs=2', claims: { epochs: 2 } }],
    steps: [
      {
        text:
          'Press Train and let it run its two epochs (it stops by itself). The map shows the pixels: the ' +
          'classes overlap, and the 5-NN figure is about 0.4.',
        mapLayer: 'input',
      },
      {
        text: 'Hidden layer 1: the images as the first layer’s 256 units see them. The classes start to part.',
        mapLayer: 0,
      },
      { text: 'Hidden layer 2: further apart still, and the 5-NN figure higher.', mapLayer: 1 },
      {
        text:
          'The logits, one per class: the clearest split of all. This is what hidden layers are for — ' +
          'turning tangled pixels into something a weighted sum can separate.',
        mapLayer: 'output',
      },
      {
        text:
          'Open “Loss landscape” (top right of the map) and press Compute: the loss around the weights, and ' +
          'the path training took down into the valley.',
        view: 'loss-landscape',
      },
    ],
    screen: 'layers',
    view: 'hidden-map',
  },
];

/** Every key the lessons of `table` set, `lesson` and its step: opening a lesson clears these first. */
export function lessonUrlKeys(table: readonly Lesson[]): string[] {
  return [
    VIEW_KEYS.lesson,
    VIEW_KEYS.lessonStep,
    ...new Set(table.flatMap((l) => l.setups.flatMap((s) => [...new URLSearchParams(s.query).keys()]))),
  ];
}

export const LESSON_URL_KEYS: readonly string[] = lessonUrlKeys(LESSONS);

/**
 * The query (without '?') of a lesson's set-up, the lesson named: a link that opens the lesson — on
 * guided step `step` (0-based) when it is past the first.
 */
export function lessonQuery(lesson: Lesson, setup = 0, step = 0): string {
  const at = step > 0 ? `&${VIEW_KEYS.lessonStep}=${step + 1}` : '';
  return `lesson=${lesson.id}${at}&${lesson.setups[setup]!.query}`;
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
  const n = lesson.setups.length;
  if (setup >= 0)
    return n > 1 ? `Your settings: set-up ${setupLetter(setup)}` : 'Your settings: the lesson’s set-up';
  if (n === 1) return 'Your settings are not the lesson’s set-up: load it to start as the lesson says';
  const which = n === 2 ? 'neither A nor B' : `none of A–${setupLetter(n - 1)}`;
  return `Your settings are ${which}: load one to start as the lesson says`;
}
