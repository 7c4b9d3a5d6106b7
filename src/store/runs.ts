/**
 * The runs of a session, kept across a reload (localStorage, bounded): each network the user trained
 * for at least one epoch, with its settings, its smoothed loss curve (downsampled) and its per-epoch
 * figures — so any of them can be overlaid on the loss chart, labelled by the settings in which it
 * differs from the current one.
 */
import { create } from 'zustand';
import type { DatasetName } from '../data/dataset';
import type { TrainConfig } from '../engine/types';
import { SETTINGS, type Setting } from '../settings/schema';

/** Runs kept (the oldest go first) and points kept per curve. */
export const MAX_RUNS = 12;
export const MAX_CURVE_POINTS = 240;
export const STORAGE_KEY = 'backprop-lab:runs:v1';

export interface RunEpoch {
  epoch: number;
  step: number;
  trainLoss: number;
  testLoss: number;
  testAccuracy: number;
  /** Seconds trained up to this epoch's end (absent in runs kept before it was recorded). */
  trainSeconds?: number;
}

export interface SavedRun {
  id: string;
  /** When the run began (ms since 1970). */
  startedAt: number;
  dataset: DatasetName;
  config: TrainConfig;
  /** The smoothed training loss over steps, downsampled. */
  curve: { steps: number[]; loss: number[] };
  epochs: RunEpoch[];
}

export interface RunsState {
  runs: SavedRun[];
  /** Ids of the runs drawn on the loss chart. */
  shown: string[];
  /** Reference lines from the literature on the accuracy axis. */
  references: boolean;
}

/** Figures from the literature a learner can compare with (test error on MNIST). */
export const REFERENCES: readonly { label: string; accuracy: number; dataset: DatasetName }[] = [
  { label: 'linear classifier, 12 % error (LeCun et al. 1998)', accuracy: 0.88, dataset: 'mnist' },
  { label: '784-300-100-10, 3.05 % (LeCun et al. 1998)', accuracy: 0.9695, dataset: 'mnist' },
  { label: '784-800-10, 1.6 % (Simard et al. 2003)', accuracy: 0.984, dataset: 'mnist' },
];

/** Every other point of a long curve, the last one always kept, until it fits `max`. */
export function downsample(steps: number[], loss: number[], max = MAX_CURVE_POINTS): SavedRun['curve'] {
  if (steps.length <= max) return { steps: [...steps], loss: [...loss] };
  const every = Math.ceil(steps.length / max);
  const s: number[] = [];
  const l: number[] = [];
  for (let i = 0; i < steps.length; i += every) {
    s.push(steps[i]!);
    l.push(loss[i]!);
  }
  if (s[s.length - 1] !== steps[steps.length - 1]) {
    s.push(steps[steps.length - 1]!);
    l.push(loss[loss.length - 1]!);
  }
  return { steps: s, loss: l };
}

/** The value of a setting in (dataset, config), as the URL writes it. */
function settingText(row: Setting, dataset: DatasetName, config: TrainConfig): string | null {
  if (row.name === 'dataset') return dataset;
  if (!(row.name in config)) return null;
  const v = (config as unknown as Record<string, unknown>)[row.name];
  return Array.isArray(v) ? (v.length ? v.join('-') : 'none') : String(v);
}

/**
 * "lr 0.01 · L2 0.0001": the settings in which `run` differs from the current ones, by their URL
 * names (the legend names only those); "same settings" when none differs.
 */
export function differences(
  run: Pick<SavedRun, 'dataset' | 'config'>,
  dataset: DatasetName,
  config: TrainConfig,
): string {
  const parts: string[] = [];
  for (const row of SETTINGS) {
    if (!row.url || row.identity === false) continue;
    const a = settingText(row, run.dataset, run.config);
    const b = settingText(row, dataset, config);
    if (a !== null && a !== b) parts.push(`${row.url} ${a}`);
  }
  return parts.length ? parts.join(' · ') : 'same settings';
}

function load(): RunsState {
  const empty: RunsState = { runs: [], shown: [], references: false };
  try {
    if (typeof localStorage === 'undefined') return empty;
    const text = localStorage.getItem(STORAGE_KEY);
    if (!text) return empty;
    const parsed = JSON.parse(text) as Partial<RunsState>;
    const runs = Array.isArray(parsed.runs) ? parsed.runs.filter(isSavedRun).slice(-MAX_RUNS) : [];
    const ids = new Set(runs.map((r) => r.id));
    const shown = Array.isArray(parsed.shown) ? parsed.shown.filter((id) => ids.has(id)) : [];
    return { runs, shown, references: parsed.references === true };
  } catch {
    // A corrupt or foreign entry: start afresh rather than fail the page.
    return empty;
  }
}

/** Enough of a stored run's shape to draw it (a stored entry from elsewhere is dropped, not trusted). */
function isSavedRun(v: unknown): v is SavedRun {
  const r = v as SavedRun;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.id === 'string' &&
    typeof r.config === 'object' &&
    r.config !== null &&
    Array.isArray(r.curve?.steps) &&
    Array.isArray(r.curve?.loss) &&
    r.curve.steps.length === r.curve.loss.length &&
    Array.isArray(r.epochs)
  );
}

export const useRunsStore = create<RunsState>()(() => load());

function persist(): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(useRunsStore.getState()));
  } catch {
    // Storage full or disabled (private mode): runs live for this page only.
  }
}

/** Creates or updates the run `id` (the newest last; the oldest dropped beyond MAX_RUNS). */
export function recordRun(run: SavedRun): void {
  const { runs, shown } = useRunsStore.getState();
  const others = runs.filter((r) => r.id !== run.id);
  const next = [...others, run].slice(-MAX_RUNS);
  const ids = new Set(next.map((r) => r.id));
  useRunsStore.setState({ runs: next, shown: shown.filter((id) => ids.has(id)) });
  persist();
}

export function toggleShown(id: string): void {
  const { shown } = useRunsStore.getState();
  useRunsStore.setState({ shown: shown.includes(id) ? shown.filter((s) => s !== id) : [...shown, id] });
  persist();
}

export function setReferences(on: boolean): void {
  useRunsStore.setState({ references: on });
  persist();
}

export function clearRuns(): void {
  useRunsStore.setState({ runs: [], shown: [] });
  persist();
}
