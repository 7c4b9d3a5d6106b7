/**
 * The moments whose weights the worker keeps (training/timeline.ts): their steps and epochs, what they
 * take in memory and the most it keeps. The timeline scrubber and the loss landscape's path read it; a
 * new generation clears it (a new network has no past).
 */
import { create } from 'zustand';
import type { TelemetryState } from './telemetry';

export interface TimelineState {
  steps: Uint32Array;
  epochs: Uint16Array;
  bytes: number;
  capacity: number;
  /**
   * The kept moment the views show instead of now (the scrubber), or null: now. While set, live snapshots
   * and predictions wait in `live` (routeEvents.ts), and `livePredictions` counts the drawings predicted
   * meanwhile (the moment's prediction follows the drawing).
   */
  viewing: number | null;
  live: { snapshot: TelemetryState['snapshot']; prediction: TelemetryState['prediction'] } | null;
  livePredictions: number;
  /** The test-set evaluations of kept moments, by step, computed when first shown and kept. */
  evaluations: ReadonlyMap<number, MomentEvaluation>;
}

export interface MomentEvaluation {
  confusion: Uint32Array;
  accuracy: number;
  loss: number;
}

export const INITIAL_TIMELINE_STATE: TimelineState = {
  steps: new Uint32Array(0),
  epochs: new Uint16Array(0),
  bytes: 0,
  capacity: 0,
  viewing: null,
  live: null,
  livePredictions: 0,
  evaluations: new Map(),
};

export const useTimelineStore = create<TimelineState>(() => INITIAL_TIMELINE_STATE);
