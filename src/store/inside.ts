/**
 * The "inside the network" views' state.
 *
 * - `useInsideStore` (React store, slow): what is selected — a unit, a confusion cell — and the answers to
 *   the worker's on-demand computations (init lab, a unit's top images, a cell's images). Selection is
 *   shared: a unit clicked in the layer diagram is the selected unit in every view.
 * - `flowStore` (vanilla, fast): per-layer gradient norms and update ratios over the steps, and the latest
 *   activation health, fed by snapshots and drawn in requestAnimationFrame — never selected with hooks.
 */
import { create } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { StepExplanation } from '../engine/stepExplain';

/** A unit: `layer` is the weight layer it is the output of (0 = first hidden layer; the last = output). */
export interface UnitRef {
  layer: number;
  unit: number;
}

/**
 * Why the selected unit is selected when the page chose it (the one-step view never opens empty): the most
 * active hidden unit, or with no hidden layer the most likely class, for the example the diagram shows.
 */
export interface AutoSelection {
  reason: 'most-active' | 'most-likely';
  example: 'drawing' | 'probe';
}

/** A confusion-matrix cell. */
export interface CellRef {
  trueClass: number;
  predicted: number;
}

/** One layer's spread at initialisation (the engine's InitSpread, as it travels). */
export interface InitLabLayer {
  layer: number;
  meanAbs: number;
  std: number;
  growth: number;
}

export interface InitLabResult {
  init: string;
  layers: InitLabLayer[];
}

/** A test image with the network's answer. */
export interface ImageAnswer {
  /** Index in the test split. */
  index: number;
  label: number;
  predicted: number;
  /** Probability of each class. */
  probabilities: Float32Array;
  /** 28×28 bytes. */
  pixels: Uint8Array;
  /** The selected unit's output for this image (unit images only). */
  activation?: number;
}

/** An on-demand answer from the worker: pending while asked, then the items or an error. */
export interface Pending<Q, T> {
  query: Q;
  pending: boolean;
  items: T[];
  error: string | null;
}

/** Where one step's numbers come from: the next training batch, a test image, or the drawing. */
export type StepSource =
  { kind: 'batch' } | { kind: 'test'; index: number } | { kind: 'drawing'; label: number };

/** The one-step explanation as it arrived (the engine's StepExplanation). */
export interface StepAnswer {
  /** Steps trained when it was computed: the explained update is step `step + 1`'s (batch source). */
  step: number;
  source: StepSource['kind'];
  explanation: StepExplanation;
}

export interface InsideState {
  /**
   * Which screen is on: the first screen ('watch'), the inside views ('inside'), one step ('step'), what the
   * layers represent ('layers') or my digits ('mine').
   */
  screen: 'watch' | 'inside' | 'step' | 'layers' | 'mine';
  selectedUnit: UnitRef | null;
  /** Set when the page chose the selected unit itself (null: the user did, or none is selected). */
  selectedAuto: AutoSelection | null;
  selectedCell: CellRef | null;
  /** Init lab results for the current architecture and activation, one per init. */
  initLab: Pending<{ key: string }, InitLabResult> | null;
  /** The test images of the selected cell, or the most confident mistakes (query null). */
  mistakes: Pending<CellRef | null, ImageAnswer> | null;
  /** The test images that excite the selected unit most. */
  unitImages: Pending<UnitRef, ImageAnswer> | null;
  /** Where the one-step view takes its example from. */
  stepSource: StepSource;
  /** One step explained for the selected unit (items: at most one answer). */
  stepExplanation: Pending<UnitRef & { source: StepSource }, StepAnswer> | null;
}

export const INITIAL_INSIDE_STATE: InsideState = {
  screen: 'watch',
  selectedUnit: null,
  selectedAuto: null,
  selectedCell: null,
  initLab: null,
  mistakes: null,
  unitImages: null,
  stepSource: { kind: 'batch' },
  stepExplanation: null,
};

export const useInsideStore = create<InsideState>()(() => ({ ...INITIAL_INSIDE_STATE }));

/** One hidden or output layer's activation health on the probe batch (the engine's LayerHealth). */
export interface HealthData {
  mean: number;
  std: number;
  meanAbs: number;
  deadFraction: number;
  saturatedFraction: number;
  histogram: { lo: number; hi: number; counts: Uint32Array };
}

/** Most points kept per line: when full, every other old point is dropped (the curve keeps its shape). */
export const FLOW_MAX_POINTS = 2000;

export interface FlowState {
  version: number;
  /** Step of each point. */
  steps: number[];
  /** gradNorm[l][i]: ‖∂L/∂W‖ of weight layer l at point i. */
  gradNorm: number[][];
  /** updateRatio[l][i]: ‖ΔW‖ / ‖W‖ of weight layer l at point i. */
  updateRatio: number[][];
  /** The latest health of every weight layer's outputs (the last one: the logits), or null. */
  health: HealthData[] | null;
  /** Activation of the hidden layers, for labels. */
  activation: string;
}

export function initialFlow(): FlowState {
  return { version: 0, steps: [], gradNorm: [], updateRatio: [], health: null, activation: '' };
}

export const flowStore = createStore<FlowState>()(() => initialFlow());

/** Halves a history in place, keeping the first point, every other point after it, and the last. */
function decimate(a: number[]): void {
  const last = a[a.length - 1]!;
  let w = 1;
  for (let r = 2; r < a.length - 1; r += 2) a[w++] = a[r]!;
  a[w++] = last;
  a.length = w;
}

/**
 * Adds one snapshot's per-layer figures. A step that does not advance (a snapshot of a paused network)
 * replaces nothing and adds nothing; a network with another number of layers starts a new history.
 */
export function appendFlow(
  step: number,
  layers: readonly { gradNorm: number; updateRatio: number; health?: HealthData }[],
  activation: string,
): void {
  const s = flowStore.getState();
  const fresh = s.gradNorm.length !== layers.length || s.activation !== activation;
  const base = fresh ? initialFlow() : s;
  const healthy = layers.every((l) => l.health) ? layers.map((l) => l.health!) : base.health;
  const steps = base.steps;
  const grow = step > 0 && (steps.length === 0 || step > steps[steps.length - 1]!);
  const gradNorm = fresh ? layers.map(() => [] as number[]) : base.gradNorm;
  const updateRatio = fresh ? layers.map(() => [] as number[]) : base.updateRatio;
  if (grow) {
    steps.push(step);
    layers.forEach((l, i) => {
      gradNorm[i]!.push(l.gradNorm);
      updateRatio[i]!.push(l.updateRatio);
    });
    if (steps.length > FLOW_MAX_POINTS) {
      decimate(steps);
      for (const a of gradNorm) decimate(a);
      for (const a of updateRatio) decimate(a);
    }
  }
  flowStore.setState({
    version: s.version + 1,
    steps,
    gradNorm,
    updateRatio,
    health: healthy,
    activation,
  });
}

/** A new network: its history starts empty. */
export function resetFlow(): void {
  flowStore.setState({ ...initialFlow(), version: flowStore.getState().version + 1 });
}
