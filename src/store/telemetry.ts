/**
 * Fast data: the loss/accuracy series, the latest heavy snapshot and the latest prediction.
 *
 * This store changes many times a second. Components must NOT select from it with hooks (that would
 * re-render React per message); they `telemetryStore.subscribe(...)` into a ref and draw in a
 * requestAnimationFrame. `version` increases on every change so a drawing loop can skip unchanged frames.
 */
import { createStore } from 'zustand/vanilla';
import type { LayerSnapshot, PredictionExplanation, ProbeSnapshot } from '../protocol/messages';
import { createSeries, type Series } from './series';

export interface Prediction {
  /** Id of the predict command that produced it. */
  id: number;
  probabilities: Float32Array;
  /** [input, hidden…, probabilities] for the drawn digit. */
  activations: Float32Array[];
  /** The output layer's values before softmax. */
  logits: Float32Array;
  /** Saliency map and the units that pushed the answer (the "why did it say 7?" view), or null. */
  explanation: PredictionExplanation | null;
}

export interface TelemetryState {
  /** Bumped on every change (cheap dirty check for rAF loops). */
  version: number;
  /** Per-batch training loss, x = step. Bounded: old points downsampled, recent past at full resolution. */
  loss: Series;
  /** Per-batch training accuracy (0..1), x = step. Same bounds. */
  accuracy: Series;
  /** The latest heavy snapshot of the current generation, or null before the first. */
  snapshot: {
    seq: number;
    step: number;
    epoch: number;
    layers: LayerSnapshot[];
    probe: ProbeSnapshot;
  } | null;
  /**
   * The first layer's weights in the first snapshot of the current generation (the network's starting
   * point, a copy), so views can show what training changed. Null before that snapshot.
   */
  baseline: { seq: number; step: number; weights: Float32Array } | null;
  /** The latest prediction for the drawn digit, or null when the canvas is empty. */
  prediction: Prediction | null;
}

export function initialTelemetry(): TelemetryState {
  return {
    version: 0,
    loss: createSeries(),
    accuracy: createSeries(),
    snapshot: null,
    baseline: null,
    prediction: null,
  };
}

export const telemetryStore = createStore<TelemetryState>()(() => initialTelemetry());
