/** Human names for the config vocabulary, shared by the controls and the visuals. */
import type { Activation } from '../../engine/types';

export const ACTIVATION_LABELS: Record<Activation, string> = {
  relu: 'ReLU',
  'leaky-relu': 'Leaky ReLU',
  sigmoid: 'Sigmoid',
  tanh: 'Tanh',
};
