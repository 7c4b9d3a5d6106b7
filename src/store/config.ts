/**
 * What the user chose: the training config, the dataset and the speed. Mirrored in the URL (every
 * setting, the seed included), so a link reproduces the setup and back/forward work.
 */
import { create } from 'zustand';
import type { DatasetName } from '../data/dataset';
import { DEFAULT_CONFIG, type TrainConfig } from '../engine/types';
import { DATASET_SETTING, SPEED_SETTING } from '../settings/schema';
import type { Speed } from '../protocol/messages';

export interface ConfigState {
  dataset: DatasetName;
  config: TrainConfig;
  speed: Speed;
}

export const DEFAULT_CONFIG_STATE: ConfigState = {
  dataset: DATASET_SETTING.default,
  config: { ...DEFAULT_CONFIG, hidden: [...DEFAULT_CONFIG.hidden] },
  speed: SPEED_SETTING.default,
};

export const useConfigStore = create<ConfigState>()(() => ({
  ...DEFAULT_CONFIG_STATE,
  config: { ...DEFAULT_CONFIG_STATE.config, hidden: [...DEFAULT_CONFIG_STATE.config.hidden] },
}));
