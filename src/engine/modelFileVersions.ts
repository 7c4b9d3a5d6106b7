/**
 * Model file versions: one upgrade step per old version, so every file ever written keeps loading (DESIGN.md,
 * "files that age well"). A step works on the parsed JSON, before any validation: the reader upgrades a file
 * to the current version first, then checks it as a file of the current version.
 */
import { MODEL_FORMAT_VERSION, ModelFileError, type JsonObject } from './modelFormat.ts';
import { describeValue } from './settings.ts';

/** Turns the parsed JSON of a version-v file into the JSON of a version-(v + 1) file. */
export type ModelFileUpgrade = (file: JsonObject) => JsonObject;

/**
 * The upgrade steps, keyed by the version they read: `MODEL_FILE_UPGRADES[1]` will turn a version-1 file into
 * version 2 when version 2 exists. A reader of version N applies the steps from the file's version up to N in
 * turn, then validates the result as a version-N file, so every version ever written keeps loading. Today
 * version 1 is the only one, so there are no steps yet. (Purely additive settings need no step: a missing
 * setting takes its default.)
 */
export const MODEL_FILE_UPGRADES: Readonly<Record<number, ModelFileUpgrade>> = {};

/**
 * The parsed JSON of a file of any version this code knows, upgraded to `current` by `upgrades` (the
 * parameters are for tests). Throws 'unsupported-version' for a version that is not a whole number from 1
 * to `current` (a newer file: this app cannot know what it means).
 */
export function upgradeModelJson(
  file: JsonObject,
  current: number = MODEL_FORMAT_VERSION,
  upgrades: Readonly<Record<number, ModelFileUpgrade>> = MODEL_FILE_UPGRADES,
): JsonObject {
  const version = file.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1 || version > current) {
    throw new ModelFileError(
      'unsupported-version',
      'version',
      `unsupported model file version ${describeValue(version)}; this app reads versions 1 to ${current}` +
        (typeof version === 'number' && version > current ? ' (the file is from a newer Backprop Lab)' : ''),
    );
  }
  let upgraded = file;
  for (let v = version; v < current; v++) {
    const step = upgrades[v];
    if (!step) throw new Error(`model file upgrade from version ${v} is missing`);
    upgraded = step(upgraded);
    if (upgraded.version !== v + 1) {
      throw new Error(`model file upgrade from version ${v} wrote version ${String(upgraded.version)}`);
    }
  }
  return upgraded;
}
