/**
 * The URL mirrors what the user chose — every setting, the seed included — so a link reproduces a run.
 *
 * One declarative table (`URL_PARAMS`) maps each query parameter to a field of the config state, with a
 * parser that validates and clamps (an absurd `?hidden=99999-99999` or `?batch=1e9` from a shared link
 * must not freeze the machine: sizes are held to LIMITS of src/engine/types.ts) and a formatter. Reading
 * and writing both walk the table, so a new setting is one row here.
 *
 * Unknown parameters (e.g. `?data=<dir>`, the data folder used by the browser tests) are kept as they are.
 */
import { DATASET_NAMES, type DatasetName } from '../data/dataset';
import {
  ACTIVATIONS,
  DEFAULT_CONFIG,
  INITS,
  LIMITS,
  OPTIMIZERS,
  SCHEDULES,
  type TrainConfig,
} from '../engine/types';
import type { Speed } from '../worker/protocol';
import { DEFAULT_CONFIG_STATE, type ConfigState } from './config';

/** One row: a query parameter ↔ one value of the config state. */
interface UrlParam<T> {
  key: string;
  get(s: ConfigState): T;
  set(s: ConfigState, v: T): void;
  /** The value, validated and clamped, or undefined when the text is not usable (→ default). */
  parse(text: string): T | undefined;
  format(v: T): string;
}

/** Speed limits for the slowed-down mode, in batches per second. */
export const SPEED_LIMITS = { min: 0.1, max: 1000 } as const;
/** Epochs to run: 0 = until stopped. */
export const MAX_EPOCHS = 10_000;
/** Largest learning rate accepted from a URL (large enough to demonstrate divergence). */
export const MAX_LEARNING_RATE = 1e6;

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** A finite number, clamped to [lo, hi]; `open` excludes lo itself (→ undefined). */
function num(lo: number, hi: number, open = false) {
  return (text: string): number | undefined => {
    if (text.trim() === '') return undefined;
    const v = Number(text);
    if (!Number.isFinite(v)) return undefined;
    if (open && v <= lo) return undefined;
    return clamp(v, lo, hi);
  };
}

function int(lo: number, hi: number) {
  return (text: string): number | undefined => {
    const v = num(lo, hi)(text);
    return v === undefined ? undefined : clamp(Math.round(v), lo, hi);
  };
}

function oneOf<T extends string>(values: readonly T[]) {
  return (text: string): T | undefined =>
    (values as readonly string[]).includes(text) ? (text as T) : undefined;
}

/** Short, exact text for a number (no exponent noise like 0.0010000000000000002). */
function fmt(v: number): string {
  return String(Number(v.toPrecision(12)));
}

/** "128-64" ↔ [128, 64]; "none" (or empty) ↔ [] (no hidden layer: logistic regression). */
function parseHidden(text: string): number[] | undefined {
  const t = text.trim().toLowerCase();
  if (t === '' || t === 'none') return [];
  const parts = t.split(/[-,_ ]+/).filter((p) => p !== '');
  const sizes: number[] = [];
  for (const p of parts) {
    const v = int(1, LIMITS.maxLayerSize)(p);
    if (v === undefined) return undefined;
    sizes.push(v);
  }
  return sizes.slice(0, LIMITS.maxHiddenLayers);
}

/** A table row with its value type erased (each row is type-checked where it is written). */
type AnyParam = UrlParam<unknown>;
const erase = <T>(p: UrlParam<T>): AnyParam => p as unknown as AnyParam;

function configParam<K extends keyof TrainConfig>(
  key: string,
  field: K,
  parse: (text: string) => TrainConfig[K] | undefined,
  format: (v: TrainConfig[K]) => string,
): AnyParam {
  return erase<TrainConfig[K]>({
    key,
    get: (s) => s.config[field],
    set: (s, v) => {
      s.config = { ...s.config, [field]: v };
    },
    parse,
    format,
  });
}

const fmtNum = (v: number) => fmt(v);

/** Every URL parameter, in the order it appears in the URL. */
export const URL_PARAMS: readonly AnyParam[] = [
  erase<DatasetName>({
    key: 'dataset',
    get: (s) => s.dataset,
    set: (s, v: DatasetName) => {
      s.dataset = v;
    },
    parse: oneOf(DATASET_NAMES),
    format: (v: DatasetName) => v,
  }),
  configParam('hidden', 'hidden', parseHidden, (v) => (v.length === 0 ? 'none' : v.join('-'))),
  configParam('act', 'activation', oneOf(ACTIVATIONS), String),
  configParam('init', 'init', oneOf(INITS), String),
  configParam('seed', 'seed', int(0, 0xffffffff), fmtNum),
  configParam('opt', 'optimizer', oneOf(OPTIMIZERS), String),
  configParam('lr', 'learningRate', num(0, MAX_LEARNING_RATE, true), fmtNum),
  configParam('momentum', 'momentum', num(0, 0.999), fmtNum),
  configParam('beta1', 'beta1', num(0, 0.9999), fmtNum),
  configParam('beta2', 'beta2', num(0, 0.99999), fmtNum),
  configParam('eps', 'epsilon', num(1e-12, 1), fmtNum),
  configParam('l2', 'l2', num(0, 1), fmtNum),
  configParam('schedule', 'schedule', oneOf(SCHEDULES), String),
  configParam('decay', 'lrDecay', num(0.01, 1), fmtNum),
  configParam('stepEvery', 'stepEvery', int(1, 1000), fmtNum),
  configParam('batch', 'batchSize', int(1, LIMITS.maxBatchSize), fmtNum),
  configParam('epochs', 'epochs', int(0, MAX_EPOCHS), fmtNum),
  erase<Speed>({
    key: 'speed',
    get: (s) => s.speed,
    set: (s, v: Speed) => {
      s.speed = v;
    },
    parse: (text: string): Speed | undefined =>
      text === 'full' ? 'full' : num(SPEED_LIMITS.min, SPEED_LIMITS.max, true)(text),
    format: (v: Speed) => (v === 'full' ? 'full' : fmt(v)),
  }),
];

function cloneState(s: ConfigState): ConfigState {
  return { ...s, config: { ...s.config, hidden: [...s.config.hidden] } };
}

/**
 * The config state a query string describes: each known parameter parsed and clamped; missing or
 * unusable ones take the default. `inputSize`/`outputSize` come from the defaults (both datasets are
 * 28×28, 10 classes).
 */
export function readUrlState(search: string, defaults: ConfigState = DEFAULT_CONFIG_STATE): ConfigState {
  const q = new URLSearchParams(search);
  const state = cloneState(defaults);
  for (const p of URL_PARAMS) {
    const text = q.get(p.key);
    if (text === null) continue;
    const v = p.parse(text);
    if (v !== undefined) p.set(state, v);
  }
  return state;
}

/** The query string (with '?') for a state, keeping parameters that are not ours (e.g. `data`). */
export function writeUrlState(state: ConfigState, currentSearch = ''): string {
  const q = new URLSearchParams(currentSearch);
  for (const p of URL_PARAMS) q.delete(p.key);
  const ours = new URLSearchParams();
  for (const p of URL_PARAMS) ours.set(p.key, p.format(p.get(state)));
  // Foreign parameters first (stable), then ours in table order.
  const all = new URLSearchParams([...q, ...ours]);
  const text = all.toString();
  return text ? `?${text}` : '';
}

/**
 * Clamps a config (from the UI or a patch) into the same ranges the URL accepts, so whatever the page
 * sends the worker is sane. Unknown enum values fall back to the defaults.
 */
export function sanitizeConfig(c: TrainConfig): TrainConfig {
  const state = cloneState({ ...DEFAULT_CONFIG_STATE, config: { ...DEFAULT_CONFIG, ...c } });
  const out = cloneState(DEFAULT_CONFIG_STATE);
  out.config.inputSize = clamp(Math.round(c.inputSize) || DEFAULT_CONFIG.inputSize, 1, LIMITS.maxInputSize);
  out.config.outputSize = clamp(
    Math.round(c.outputSize) || DEFAULT_CONFIG.outputSize,
    2,
    LIMITS.maxOutputSize,
  );
  for (const p of URL_PARAMS) {
    if (p.key === 'dataset' || p.key === 'speed') continue;
    const v = p.parse(p.format(p.get(state)));
    if (v !== undefined) p.set(out, v);
  }
  return out.config;
}

/** The fields that define the network itself: changing one rebuilds it (a new generation). */
export const ARCHITECTURE_FIELDS = [
  'inputSize',
  'hidden',
  'outputSize',
  'activation',
  'init',
  'seed',
] as const;

export function architectureChanged(a: TrainConfig, b: TrainConfig): boolean {
  return ARCHITECTURE_FIELDS.some((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}
