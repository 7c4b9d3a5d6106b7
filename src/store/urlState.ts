/**
 * The URL mirrors what the user chose — every setting, the seed included — so a link reproduces a run.
 *
 * The parameters are the rows of the settings schema that have a `url` key (src/settings/schema.ts): each
 * is read as text by its kind and then clamped into the setting's one range (an absurd `?hidden=99999-99999`
 * or `?batch=1e9` from a shared link must not freeze the machine), and written back by its kind. A link can
 * only clamp: a value that is not usable (garbage, lr ≤ 0) leaves the default. The ranges are the CLI's and
 * the model file's, so whatever a file loads writes a URL that reproduces it.
 *
 * Unknown parameters (e.g. `?data=<dir>`, the data folder used by the browser tests) are kept as they are.
 */
import type { TrainConfig } from '../engine/types';
import {
  ARCHITECTURE_FIELDS,
  clampSetting,
  fitTrainSize,
  isTrainSetting,
  MAX_EPOCHS as SCHEMA_MAX_EPOCHS,
  MAX_LEARNING_RATE as SCHEMA_MAX_LEARNING_RATE,
  SETTINGS,
  SPEED_SETTING,
  TRAIN_SETTINGS,
  type Setting,
} from '../settings/schema';
import { DEFAULT_CONFIG_STATE, type ConfigState } from './config';

/** One row: a query parameter ↔ one value of the config state. */
export interface UrlParam {
  key: string;
  setting: Setting;
  get(s: ConfigState): unknown;
  set(s: ConfigState, v: unknown): void;
  /** The value, clamped, or undefined when the text is not usable (→ default). */
  parse(text: string): unknown;
  format(v: unknown): string;
}

/** Speed limits for the slowed-down mode, in batches per second (the speed row's range). */
export const SPEED_LIMITS = { min: SPEED_SETTING.range.min, max: SPEED_SETTING.range.max } as const;
/** Epochs to run: 0 = until stopped. */
export const MAX_EPOCHS = SCHEMA_MAX_EPOCHS;
/** Largest learning rate (large enough to demonstrate divergence). */
export const MAX_LEARNING_RATE = SCHEMA_MAX_LEARNING_RATE;

/**
 * The shortest text that reads back as exactly `v` (JavaScript's own number → string): a link must give back
 * the very value a model file or the CLI held, so no rounding here. The controls write clean values
 * (lrFromLog, toFixed), so their URLs stay short.
 */
function fmt(v: number): string {
  return String(v);
}

/** A number as the whole text says it, or NaN ("" and "12abc" are not numbers). */
function numberText(text: string): number {
  return text.trim() === '' ? NaN : Number(text);
}

/** Text → value of the setting's kind, before clamping. */
function readText(s: Setting, text: string): unknown {
  switch (s.kind) {
    case 'enum':
      return text;
    case 'int':
      return s.named && text.trim().toLowerCase() === s.named.word ? s.named.word : numberText(text);
    case 'number':
      return numberText(text);
    case 'number-or-full':
      return text === 'full' ? 'full' : numberText(text);
    case 'layer-sizes': {
      // "128-64" ↔ [128, 64]; "none" (or empty) ↔ [] (no hidden layer: logistic regression).
      const t = text.trim().toLowerCase();
      if (t === '' || t === 'none') return [];
      return t
        .split(/[-,_ ]+/)
        .filter((p) => p !== '')
        .map(numberText);
    }
  }
}

function writeText(s: Setting, v: unknown): string {
  switch (s.kind) {
    case 'layer-sizes':
      return (v as number[]).length === 0 ? 'none' : (v as number[]).join('-');
    case 'enum':
      return String(v);
    case 'int':
      return s.named && v === s.named.value ? s.named.word : fmt(v as number);
    default:
      return v === 'full' ? 'full' : fmt(v as number);
  }
}

function urlParam(s: Setting & { url: string }): UrlParam {
  const inConfig = isTrainSetting(s);
  const name = s.name;
  return {
    key: s.url,
    setting: s,
    get: (st) => (inConfig ? st.config[name as keyof TrainConfig] : st[name as keyof ConfigState]),
    set: (st, v) => {
      if (inConfig) st.config = { ...st.config, [name]: v };
      else Object.assign(st, { [name]: v });
    },
    parse: (text) => clampSetting(s, readText(s, text)),
    format: (v) => writeText(s, v),
  };
}

/** Every URL parameter, in the order it appears in the URL. */
export const URL_PARAMS: readonly UrlParam[] = SETTINGS.filter(
  (s): s is Setting & { url: string } => s.url !== undefined,
).map(urlParam);

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
  // Too many training images for the validation split: the training subset takes what is left.
  state.config = fitTrainSize(state.config);
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
 * The query string a link inside the page leads to (a lesson's set-up): every setting as the link says, the
 * missing ones at their defaults; the link's other parameters as they are; and the current address's other
 * parameters (the data folder, presenter mode) kept, except the keys named in `forget`.
 */
export function linkSearch(link: string, currentSearch: string, forget: readonly string[] = []): string {
  const linkParams = new URLSearchParams(link);
  const keep = new URLSearchParams(currentSearch);
  for (const k of new Set([...forget, ...linkParams.keys()])) keep.delete(k);
  for (const [k, v] of linkParams) keep.append(k, v);
  return writeUrlState(readUrlState(link), `?${keep}`);
}

/**
 * Clamps a config (from the UI or a patch) into the ranges of the settings schema — the URL's — so whatever
 * the page sends the worker is sane. Unusable values (unknown enum values, NaN) fall back to the defaults.
 */
export function sanitizeConfig(c: TrainConfig): TrainConfig {
  const out: Record<string, unknown> = {};
  for (const s of TRAIN_SETTINGS) {
    const v = clampSetting(s, c[s.name as keyof TrainConfig]);
    out[s.name] = v !== undefined ? v : Array.isArray(s.default) ? [...s.default] : s.default;
  }
  return fitTrainSize(out as unknown as TrainConfig);
}

/** The fields that define the network itself: changing one rebuilds it (a new generation). */
export { ARCHITECTURE_FIELDS };

export function architectureChanged(a: TrainConfig, b: TrainConfig): boolean {
  return ARCHITECTURE_FIELDS.some((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}
