/**
 * Every setting of the app and the CLI, one row each: the network's rows (src/engine/settings.ts, where the
 * model file can reach them) plus the two that are not the network's, in the same shape:
 *
 * - `dataset`: URL and CLI, not in the model's TrainConfig (a model file does not say what it was trained
 *   on). Its names belong to src/data, which the engine must not import — hence this layer, above data.
 * - `speed`: the app's alone (URL and controls): how fast the page trains, not part of any run's result.
 *
 * The URL (src/store/urlState.ts), the CLI (src/cli/options.ts) and the controls derive from {@link SETTINGS};
 * see src/engine/settings.ts for the rules each surface applies. Imports engine and data only; DOM-free.
 */
import { DATASET_NAMES, type DatasetName } from '../data/dataset.ts';
import {
  TRAIN_SETTINGS,
  type EnumSetting,
  type IntSetting,
  type NumberOrFullSetting,
  type Setting,
} from '../engine/settings.ts';

export * from '../engine/settings.ts';

/** How fast the page trains: 'full', or batches per second (the protocol's `Speed`). */
export type SpeedSetting = 'full' | number;

export const DATASET_SETTING: EnumSetting & { default: DatasetName } = {
  name: 'dataset',
  kind: 'enum',
  choices: DATASET_NAMES,
  choiceLabels: { mnist: 'MNIST', 'fashion-mnist': 'Fashion-MNIST' } satisfies Record<DatasetName, string>,
  default: 'mnist',
  label: 'dataset',
  help: 'dataset to train on',
  rebuilds: false,
  url: 'dataset',
  cli: { flag: 'dataset', arg: 'NAME' },
  // Shown in the top bar, next to the dataset's status.
  control: {},
};

export const SPEED_SETTING: NumberOrFullSetting = {
  name: 'speed',
  kind: 'number-or-full',
  // At most 1000 batches/s; above 0.1 (a batch every 10 s is as slow as a lesson needs).
  range: { min: 0.1, minOpen: true, max: 1000 },
  default: 'full',
  label: 'speed',
  help: "'full', or batches per second",
  rebuilds: false,
  identity: false,
  url: 'speed',
  control: { presets: ['full', 200, 50, 10, 2] },
};

/**
 * Presenter mode (for a projector): large type, only the essential controls, the keyboard shortcuts shown.
 * The page's alone and URL only (`?present=1`), read with this row's rules (src/store/view.ts). It is how the
 * page looks, not part of a run, so it is not one of {@link SETTINGS} (what the config store and a link's
 * settings are): following a lesson's link replaces every setting and keeps presenter mode as it was.
 */
export const PRESENT_SETTING: IntSetting = {
  name: 'present',
  kind: 'int',
  range: { min: 0, max: 1 },
  default: 0,
  label: 'presenter mode',
  help: '1: large type, fewer controls, the shortcuts shown',
  rebuilds: false,
  url: 'present',
};

/** Every setting, in URL and --help order. */
export const SETTINGS: readonly Setting[] = [DATASET_SETTING, ...TRAIN_SETTINGS, SPEED_SETTING];

/** True for the rows of TrainConfig fields (the others are fields of the app's config state). */
export function isTrainSetting(s: Setting): boolean {
  return TRAIN_SETTINGS.includes(s);
}

/** The surfaces a setting belongs to, read off its row. */
export function surfacesOf(s: Setting): ('url' | 'cli' | 'modelFile' | 'controls')[] {
  return [
    ...(s.url ? (['url'] as const) : []),
    ...(s.cli ? (['cli'] as const) : []),
    ...(s.modelFile ? (['modelFile'] as const) : []),
    ...(s.control ? (['controls'] as const) : []),
  ];
}
