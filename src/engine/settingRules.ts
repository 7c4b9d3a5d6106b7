/**
 * The rules of the settings schema: what a row is (the types below), and the one strict and one lenient way
 * every surface applies a row to a value. The rows themselves — the schema — are in src/engine/settings.ts
 * (the network's) and src/settings/schema.ts (dataset and speed); both re-export this file.
 *
 * - {@link checkSetting}, strict (the CLI, model files): the value of the row's kind in its range, or a
 *   {@link SettingError} saying why; {@link normaliseSetting} first, for files, maps a value that means the
 *   same as one in range onto it (the seed modulo 2³²).
 * - {@link clampSetting}, lenient (links, the controls): the value clamped into the range, or undefined when
 *   nothing usable is there, so the caller keeps the default.
 * - {@link describeValue} and {@link describeRange} word values and ranges the same way in every message.
 *
 * Pure and generic: no row, no engine vocabulary.
 */

/** The values a number may take: [min, max], an end excluded when `minOpen` / `maxOpen`. */
export interface Range {
  min: number;
  max: number;
  minOpen?: boolean;
  maxOpen?: boolean;
}

/** How the CLI offers a setting. */
export interface CliEntry<T> {
  /** `--flag`, without the dashes. */
  flag: string;
  /** The placeholder shown in --help (`--lr RATE`). */
  arg: string;
  /** The CLI's own default where it differs from the app's. */
  default?: T;
  /** A stricter lower bound for the CLI only, with the reason in the row. */
  atLeast?: number;
}

/** How the controls offer a setting: a comfortable part of the range (defaults: the whole range). */
export interface ControlEntry<T> {
  min?: number;
  max?: number;
  step?: number;
  /** The values a select offers (a value from a link or file that is not one of them is added). */
  presets?: readonly T[];
  /** For layer sizes: how many layers the layer-count slider offers. */
  layers?: number;
}

interface Common<T> {
  /** The field it sets (a TrainConfig key for the rows here; `dataset` / `speed` for the app's). */
  name: string;
  /** The app's default (the CLI's may differ: `cli.default`). */
  default: T;
  /** Short, for a control's label. */
  label: string;
  /** One line, for --help and tooltips; the range is added from the row. */
  help: string;
  /** Changing it builds a new network (a new generation), rather than updating the running session. */
  rebuilds: boolean;
  /**
   * False for a setting that changes how fast a run goes, never what it learns (speed, workers): runs are
   * not told apart by it (their labels leave it out).
   */
  identity?: false;
  /** The query parameter: present when the setting belongs to the URL. */
  url?: string;
  /** Present when the setting belongs to the CLI. */
  cli?: CliEntry<T>;
  /**
   * Present when the setting belongs to model files. 'required': it describes the stored weights, so a
   * file without it is broken; 'default': a file without it (older than the setting) takes the default.
   */
  modelFile?: 'required' | 'default';
  /** Present when the controls show it. */
  control?: ControlEntry<T>;
}

export interface EnumSetting extends Common<string> {
  kind: 'enum';
  choices: readonly string[];
  /** Names for people, per choice (the controls' options). */
  choiceLabels?: Readonly<Record<string, string>>;
}

export interface NumberSetting extends Common<number> {
  kind: 'number';
  range: Range;
}

export interface IntSetting extends Common<number> {
  kind: 'int';
  range: Range;
  /** The max is a resource limit (`LIMITS`, src/engine/types.ts): a value over it is 'too-large', not just invalid. */
  limit?: boolean;
  /** Maps an integer that means the same as one in range onto it (files and links; the CLI refuses). */
  normalise?: (v: number) => number;
  /**
   * A word for one value, read and written wherever the value is (URL, CLI, model file): the batch size's
   * `all`, its max — a batch of at least the training split is the whole split.
   */
  named?: { word: string; value: number };
}

export interface LayerSizesSetting extends Common<number[]> {
  kind: 'layer-sizes';
  maxLayers: number;
  /** Units per layer (integers; the max is a resource limit). */
  size: Range;
}

/** 'full', or a number in the range (the app's speed: batches per second). */
export interface NumberOrFullSetting extends Common<'full' | number> {
  kind: 'number-or-full';
  range: Range;
}

export type Setting = EnumSetting | NumberSetting | IntSetting | LayerSizesSetting | NumberOrFullSetting;
export type SettingKind = Setting['kind'];

/** Why a value was refused: `detail` is for people; `index` names the element of a list (a layer). */
export class SettingError extends Error {
  override readonly name = 'SettingError';
  readonly kind: 'invalid-field' | 'too-large';
  readonly index?: number;
  constructor(kind: 'invalid-field' | 'too-large', detail: string, index?: number) {
    super(detail);
    this.kind = kind;
    if (index !== undefined) this.index = index;
  }
}

/** A value in a message: strings quoted and cut, arrays and objects named. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  return String(v);
}

/** The range in words: "> 0 and ≤ 1000000", "from 1 to 4096", "≥ 0 and < 1". */
export function describeRange(r: Range, integer = false): string {
  if (integer && !r.minOpen && !r.maxOpen) return `from ${r.min} to ${r.max}`;
  return `${r.minOpen ? '>' : '≥'} ${r.min} and ${r.maxOpen ? '<' : '≤'} ${r.max}`;
}

/**
 * An integer in `r` (both ends included), else a {@link SettingError}: 'too-large' when `limit` says the max is a
 * resource limit and `v` is over it, 'invalid-field' otherwise. `index` names the element of a list.
 */
export function checkInteger(v: unknown, r: Range, limit: boolean, index?: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new SettingError('invalid-field', `expected an integer, got ${describeValue(v)}`, index);
  }
  if (limit && v > r.max) {
    throw new SettingError('too-large', `${v} is over the limit of ${r.max}`, index);
  }
  if (v < r.min || v > r.max) {
    throw new SettingError('invalid-field', `expected an integer from ${r.min} to ${r.max}, got ${v}`, index);
  }
  return v;
}

function checkNumber(v: unknown, r: Range): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new SettingError('invalid-field', `expected a finite number, got ${describeValue(v)}`);
  }
  if (r.minOpen ? v <= r.min : v < r.min) {
    throw new SettingError('invalid-field', `must be ${r.minOpen ? '>' : '≥'} ${r.min}, got ${v}`);
  }
  if (r.maxOpen ? v >= r.max : v > r.max) {
    throw new SettingError('invalid-field', `must be ${r.maxOpen ? '<' : '≤'} ${r.max}, got ${v}`);
  }
  return v;
}

/**
 * The strict rule (CLI, model files): the value itself when it is of the setting's kind and in its range;
 * otherwise throws a {@link SettingError} saying why. Returns a fresh array for layer sizes.
 */
export function checkSetting(s: Setting, v: unknown): unknown {
  switch (s.kind) {
    case 'enum':
      if (typeof v !== 'string' || !s.choices.includes(v)) {
        throw new SettingError(
          'invalid-field',
          `expected one of ${s.choices.join(', ')}, got ${describeValue(v)}`,
        );
      }
      return v;
    case 'int':
      if (s.named && v === s.named.word) return s.named.value;
      return checkInteger(v, s.range, s.limit === true);
    case 'number':
      return checkNumber(v, s.range);
    case 'number-or-full':
      return v === 'full' ? v : checkNumber(v, s.range);
    case 'layer-sizes': {
      if (!Array.isArray(v)) {
        throw new SettingError('invalid-field', `expected an array of layer sizes, got ${describeValue(v)}`);
      }
      if (v.length > s.maxLayers) {
        throw new SettingError('too-large', `${v.length} hidden layers is over the limit of ${s.maxLayers}`);
      }
      return v.map((h: unknown, i) => checkInteger(h, s.size, true, i));
    }
  }
}

/** An integer setting's normalisation (e.g. the seed modulo 2³²), for the lenient surfaces: links and files. */
export function normaliseSetting(s: Setting, v: unknown): unknown {
  return s.kind === 'int' && s.normalise && typeof v === 'number' && Number.isInteger(v) ? s.normalise(v) : v;
}

function clampNumber(v: number, r: Range): number | undefined {
  if (!Number.isFinite(v)) return undefined;
  // Beyond an open end there is no nearest allowed value to clamp to (lr ≤ 0): not usable.
  if (r.minOpen && v <= r.min) return undefined;
  if (r.maxOpen && v >= r.max) return undefined;
  return Math.min(r.max, Math.max(r.min, v));
}

function clampInt(v: unknown, r: Range, normalise?: (v: number) => number): number | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
  const n = Math.round(v);
  return clampNumber(normalise ? normalise(n) : n, r);
}

/**
 * The lenient rule (links, a patch from the controls): the value clamped into the setting's range, or
 * undefined when nothing usable is there (wrong type, unknown choice, beyond an open end) — the caller
 * keeps the default. Integers are rounded; layer lists are cut to `maxLayers`.
 */
export function clampSetting(s: Setting, v: unknown): unknown {
  switch (s.kind) {
    case 'enum':
      return typeof v === 'string' && s.choices.includes(v) ? v : undefined;
    case 'int':
      if (s.named && v === s.named.word) return s.named.value;
      return clampInt(v, s.range, s.normalise);
    case 'number':
      return typeof v === 'number' ? clampNumber(v, s.range) : undefined;
    case 'number-or-full':
      return v === 'full' ? v : typeof v === 'number' ? clampNumber(v, s.range) : undefined;
    case 'layer-sizes': {
      if (!Array.isArray(v)) return undefined;
      const sizes = v.slice(0, s.maxLayers).map((h: unknown) => clampInt(h, s.size));
      return sizes.every((h) => h !== undefined) ? sizes : undefined;
    }
  }
}

/** A setting's value as its surfaces write it: the row's word for its named value (batch `all`), else itself. */
export function settingWord(s: Setting, v: unknown): unknown {
  return s.kind === 'int' && s.named && v === s.named.value ? s.named.word : v;
}
