/**
 * Weight initialisation from the config's seed: every random draw goes through one seeded Rng, layer
 * by layer (input side first), each matrix in row-major order, so the same seed and shape give the same
 * weights bit for bit.
 */
import { Rng } from './rng.ts';
import type { InitKind } from './types.ts';

/** What initialisation needs of a layer: its fan-in, fan-out and buffers. */
export interface InitLayer {
  readonly inSize: number;
  readonly outSize: number;
  readonly weights: Float32Array;
  readonly biases: Float32Array;
  readonly gradWeights: Float32Array;
  readonly gradBiases: Float32Array;
}

/** The standard deviation of the 'small' init: fixed, whatever the fan-in — too small for wide layers. */
export const SMALL_INIT_STD = 0.01;

/**
 * Fills weights, zeroes biases and gradients: he N(0, 2/fan_in); xavier U(±sqrt(6/(fan_in+fan_out)));
 * small N(0, 0.01²) (activations fade layer by layer, a lesson); uniform U(0, 1) (the classic blow-up,
 * kept as a lesson).
 */
export function initialiseLayers(layers: readonly InitLayer[], init: InitKind, seed: number): void {
  const rng = new Rng(seed);
  for (const layer of layers) {
    const w = layer.weights;
    const fanIn = layer.inSize;
    const fanOut = layer.outSize;
    switch (init) {
      case 'he': {
        const std = Math.sqrt(2 / fanIn);
        for (let i = 0; i < w.length; i++) w[i] = rng.normal() * std;
        break;
      }
      case 'xavier': {
        const limit = Math.sqrt(6 / (fanIn + fanOut));
        for (let i = 0; i < w.length; i++) w[i] = (2 * rng.next() - 1) * limit;
        break;
      }
      case 'small':
        for (let i = 0; i < w.length; i++) w[i] = rng.normal() * SMALL_INIT_STD;
        break;
      case 'uniform':
        for (let i = 0; i < w.length; i++) w[i] = rng.next();
        break;
    }
    layer.biases.fill(0);
    layer.gradWeights.fill(0);
    layer.gradBiases.fill(0);
  }
}
