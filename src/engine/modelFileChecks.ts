/**
 * The checks a model file's config and training record pass, shared by reading (`parseModel`) and
 * writing (`serializeModel`), so a file this code writes is one it reads. The rules themselves are the
 * settings schema's (src/engine/settings.ts, src/engine/settingRules.ts): this file only walks the rows and
 * turns a {@link SettingError} into a {@link ModelFileError} that names the field.
 */
import { ModelFileError, isObject, type JsonObject, type TrainingInfo } from './modelFormat.ts';
import {
  fitTrainSize,
  SettingError,
  TRAIN_SETTINGS,
  checkInteger,
  checkSetting,
  describeValue,
  normaliseSetting,
  type Range,
} from './settings.ts';
import type { TrainConfig } from './types.ts';

/** `check()`, with a {@link SettingError} thrown as a {@link ModelFileError} at `path` (`path[i]` for a list element). */
export function settingAt<T>(path: string, check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (!(e instanceof SettingError)) throw e;
    throw new ModelFileError(e.kind, e.index === undefined ? path : `${path}[${e.index}]`, e.message);
  }
}

/** `obj[key]`, or a 'missing-field' error at `path.key`. */
export function field(obj: JsonObject, key: string, path: string): unknown {
  if (!(key in obj) || obj[key] === undefined) {
    throw new ModelFileError('missing-field', `${path}.${key}`, 'missing');
  }
  return obj[key];
}

/**
 * Checks an untrusted value is a sane {@link TrainConfig} and returns a clean copy (known keys only, in
 * canonical order), by the rows of the settings schema (src/engine/settings.ts) — the same kinds and ranges
 * the URL and the CLI use, so a loaded config always round-trips through a link. A missing setting takes its
 * default (a file from before that setting), except those that describe the stored weights (sizes,
 * activation); a seed outside 0…2³²−1 is read modulo 2³², as the RNG reads it. Throws {@link ModelFileError}
 * naming the field (`${path}.learningRate`, `${path}.hidden[1]`).
 */
export function validateTrainConfig(value: unknown, path = 'config'): TrainConfig {
  if (!isObject(value)) {
    throw new ModelFileError(
      value === undefined ? 'missing-field' : 'invalid-field',
      path,
      'expected an object',
    );
  }
  const out: Record<string, unknown> = {};
  for (const s of TRAIN_SETTINGS) {
    const p = `${path}.${s.name}`;
    const raw = value[s.name];
    if (raw === undefined) {
      if (s.modelFile === 'required') throw new ModelFileError('missing-field', p, 'missing');
      out[s.name] = Array.isArray(s.default) ? [...s.default] : s.default;
      continue;
    }
    out[s.name] = settingAt(p, () => checkSetting(s, normaliseSetting(s, raw)));
  }
  // "All" training images with some held out means all the rest: the one form every surface holds.
  return fitTrainSize(out as unknown as TrainConfig);
}

/** Layer sizes of a config, input first: [inputSize, ...hidden, outputSize]. */
export function sizesOf(config: Pick<TrainConfig, 'inputSize' | 'hidden' | 'outputSize'>): number[] {
  return [config.inputSize, ...config.hidden, config.outputSize];
}

/** Epochs and steps: whole counts from 0. */
const COUNT: Range = { min: 0, max: Number.MAX_SAFE_INTEGER };

/** Checks the optional `training` record of a file (or of a save) and returns a clean copy. */
export function validateTraining(value: unknown): TrainingInfo {
  const path = 'training';
  if (!isObject(value))
    throw new ModelFileError('invalid-field', path, `expected an object, got ${describeValue(value)}`);
  const epochs = settingAt(`${path}.epochs`, () => checkInteger(field(value, 'epochs', path), COUNT, false));
  const steps = settingAt(`${path}.steps`, () => checkInteger(field(value, 'steps', path), COUNT, false));
  const info: TrainingInfo = { epochs, steps };
  if (value.testAccuracy !== undefined) {
    const acc = value.testAccuracy;
    if (typeof acc !== 'number' || !(acc >= 0 && acc <= 1)) {
      throw new ModelFileError(
        'invalid-field',
        `${path}.testAccuracy`,
        `expected a fraction 0–1, got ${describeValue(acc)}`,
      );
    }
    info.testAccuracy = acc;
  }
  return info;
}
