/**
 * Named recipes: a set of settings one click (the page) or one flag (`--preset NAME`, the CLI) away. A
 * preset only sets settings — rows of the schema — so whatever it sets, the URL, the controls and a model
 * file show and reproduce; in the CLI an explicit flag still wins over the preset's value.
 */
import type { TrainConfig } from '../engine/types.ts';

export interface Preset {
  name: string;
  /** For the page's button. */
  label: string;
  /** One or two sentences: what it is and what it reaches (measured: see the figure's note). */
  about: string;
  settings: Partial<TrainConfig>;
}

/**
 * mnist-99: two layers of 800 trained on elastically distorted digits (Simard et al. 2003's augmentation on
 * a wider MLP), Adam 1e-3 decaying ×0.85 per epoch.
 */
export const PRESETS: readonly Preset[] = [
  {
    name: 'mnist-99',
    label: '99 % on MNIST',
    about:
      'Two hidden layers of 800 trained on elastically distorted digits (each image bent by a smooth random warp, new every epoch) for 12 epochs.',
    settings: {
      hidden: [800, 800],
      augment: 'elastic',
      learningRate: 0.001,
      lrDecay: 0.85,
      schedule: 'exponential',
      epochs: 12,
    },
  },
];

export const PRESET_NAMES: readonly string[] = PRESETS.map((p) => p.name);

/** The preset called `name`, or undefined. */
export function presetNamed(name: string): Preset | undefined {
  return PRESETS.find((p) => p.name === name);
}
