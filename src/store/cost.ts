/**
 * What a configuration costs and whether the page let the worker build it (src/app/costGate.ts decides):
 * the engine's speed (the worker's calibration, then what training measured), the budget, the config the
 * worker was last given, and the reason the current one is held back. Slow facts: hooks may select them.
 */
import { create } from 'zustand';
import { browserBudget, type CostBudget } from '../engine/cost';
import type { TrainConfig } from '../engine/types';

export interface Held {
  /** over: never built (a smaller setting is offered); slow: built once confirmed; waiting: speed unknown yet. */
  kind: 'over' | 'slow' | 'waiting';
  reason: string;
  config: TrainConfig;
  /** A configuration within the budget, close to `config` (null: none found). */
  suggestion: TrainConfig | null;
}

export interface CostState {
  /** The worker's calibration at startup (cost.ts units), or null until it arrives. */
  calibration: number | null;
  /**
   * The calibration is a speed a test fixed (src/app/testHooks.ts), not measured: training does not
   * replace it (`measured` stays null).
   */
  speedFixed: boolean;
  /** The speed of the last full-speed training of the built network, or null. */
  measured: number | null;
  budget: CostBudget;
  /** What the worker was last told to build or run (null: nothing yet). */
  built: TrainConfig | null;
  held: Held | null;
}

/** The budget before the worker says: the same rule the worker applies (navigator.deviceMemory). */
const deviceMemory = (globalThis as { navigator?: { deviceMemory?: number } }).navigator?.deviceMemory;

export const INITIAL_COST_STATE: CostState = {
  calibration: null,
  speedFixed: false,
  measured: null,
  budget: browserBudget(deviceMemory),
  built: null,
  held: null,
};

export const useCostStore = create<CostState>()(() => ({ ...INITIAL_COST_STATE }));

/** The speed to estimate with: measured while training if there is such a figure, else the calibration. */
export function engineSpeed(s: Pick<CostState, 'calibration' | 'measured'>): number | null {
  return s.measured ?? s.calibration;
}
