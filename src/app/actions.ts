/**
 * What the components can ask for: plain functions, no React. Each action is written once, here; its
 * type (`Actions`) is derived from this object, and the page's singleton (client.ts) is this same object
 * bound to a lazily created client. Commands go out through the bridge, which derives the typed
 * `request` of the answered ones from the protocol's REPLIES table.
 */
import type { DatasetName } from '../data/dataset';
import type { TrainConfig } from '../engine/types';
import type { Speed } from '../protocol/messages';
import { useConfigStore, type ConfigState } from '../store/config';
import { INITIAL_RUN_STATE, useRunStore } from '../store/run';
import { useCostStore } from '../store/cost';
import { readUrlState, sanitizeConfig, writeUrlState } from '../store/urlState';
import type { Bridge } from './bridge';
import { requestBuild } from './costGate';
import { createInsideActions } from './insideActions';
import { createTimelineActions } from './timelineActions';
import { createMyDigitsActions, syncMyDigits } from './myDigitsActions';
import { createViewActions } from './viewActions';
import { bumpTelemetry, setRun, showNotice } from './routeEvents';
import type { UrlSync } from './urlSync';

/** Everything an action may use. */
export interface AppContext {
  bridge: Bridge;
  url: UrlSync;
  /** The `baseUrl` of `load-data` (see dataBase.ts). */
  dataBase(): string;
  setTimeout(fn: () => void, ms: number): void;
  /** A new training worker, resuming the run from its last checkpoint (workerCare.ts). */
  restartWorker(): void;
}

/** Fetches a dataset; the run store's data panel starts over for it. */
export function loadData(ctx: AppContext, name: DatasetName): void {
  setRun({ data: { ...INITIAL_RUN_STATE.data, dataset: name } });
  ctx.bridge.send({ type: 'load-data', dataset: name, baseUrl: ctx.dataBase() });
  // The worker (a new one too, after a restart) gets this dataset's own digits.
  syncMyDigits(ctx, name);
}

/**
 * Builds a fresh network for `config` (a new generation, adopted at once) when its cost is within the
 * budget; else holds it back and says why (costGate.ts).
 */
export function configure(ctx: AppContext, config: TrainConfig): void {
  requestBuild(ctx.bridge, config, { rebuild: true });
}

/**
 * Moves the config store from `cur` to `next`, telling the worker what changed: another dataset loads
 * and rebuilds, another architecture rebuilds (notice "network reset"), other settings apply to the
 * running session — each only within the budget (costGate.ts: over it, the page holds the config back and
 * says what it would cost). No URL write (the caller decides: a user change writes, back/forward does not).
 * Returns true when a new network was built (or the config is held back: nothing to reset then).
 */
export function applyConfig(ctx: AppContext, cur: ConfigState, next: ConfigState): boolean {
  useConfigStore.setState({ dataset: next.dataset, config: next.config, speed: next.speed });
  if (next.speed !== cur.speed) ctx.bridge.send({ type: 'set-speed', speed: next.speed });
  if (next.dataset !== cur.dataset) {
    loadData(ctx, next.dataset);
    configure(ctx, next.config);
    return true;
  }
  if (JSON.stringify(cur.config) !== JSON.stringify(next.config) || useCostStore.getState().held) {
    const r = requestBuild(ctx.bridge, next.config, { onRebuilt: () => showNotice('network reset', ctx) });
    return r === 'rebuilt' || r === 'held';
  }
  return false;
}

/** The UI's commands, bound to the context `app()` returns (called on every action, so it may be lazy). */
export function createActions(app: () => AppContext) {
  const actions = {
    toggleTraining(): void {
      if (useRunStore.getState().status === 'training') actions.pause();
      else actions.start();
    },
    start(): void {
      // A configuration held back (over the budget, or waiting for a confirmation) is not what runs.
      if (useCostStore.getState().held) return;
      app().bridge.send({ type: 'start' });
    },
    pause(): void {
      app().bridge.send({ type: 'pause' });
    },
    /** Train exactly one batch, then pause. */
    step(): void {
      if (useCostStore.getState().held) return;
      app().bridge.send({ type: 'step' });
    },
    /** Build a slow configuration the page held back (it asked first). */
    confirmBuild(): void {
      const held = useCostStore.getState().held;
      if (held?.kind !== 'slow') return;
      requestBuild(app().bridge, held.config, { confirmed: true, rebuild: true });
    },
    /** Back to the seeded initial weights: a new generation, so the old run's events are dropped. */
    reset(): void {
      app().bridge.startGeneration((generation) => ({ type: 'reset', generation }));
    },
    /**
     * Patch the config. Architecture/init/activation/seed changes rebuild the network (new generation,
     * run store notice "network reset"); the others apply to the running session. Also writes the URL.
     */
    updateConfig(patch: Partial<TrainConfig>): void {
      const ctx = app();
      const cur = useConfigStore.getState();
      const config = sanitizeConfig({ ...cur.config, ...patch });
      if (JSON.stringify(config) === JSON.stringify(cur.config)) return;
      applyConfig(ctx, cur, { ...cur, config });
      ctx.url.write(Object.keys(patch).sort().join(','));
    },
    setDataset(name: DatasetName): void {
      const ctx = app();
      const cur = useConfigStore.getState();
      if (name === cur.dataset) return;
      applyConfig(ctx, cur, { ...cur, dataset: name });
      ctx.url.write('dataset');
    },
    setSpeed(speed: Speed): void {
      const ctx = app();
      const cur = useConfigStore.getState();
      // Through the URL's own rules, so the speed is one a link can carry.
      const next = readUrlState(writeUrlState({ ...cur, speed }), cur).speed;
      if (next === cur.speed) return;
      applyConfig(ctx, cur, { ...cur, speed: next });
      ctx.url.write('speed');
    },
    /** Classify a 28×28 image (0..1); the answer lands in telemetryStore's `prediction`. Latest wins. */
    predict(pixels: Float32Array): void {
      app().bridge.predict(pixels);
    },
    clearPrediction(): void {
      app().bridge.clearPrediction();
      bumpTelemetry({ prediction: null });
    },
    /** The training worker was lost: start a new one (the notice's Restart button). */
    restartWorker(): void {
      app().restartWorker();
    },
    retryData(): void {
      const ctx = app();
      const cur = useConfigStore.getState();
      loadData(ctx, cur.dataset);
      configure(ctx, cur.config);
    },
    async saveModel(): Promise<string> {
      const answer = await app().bridge.request('save-model', {});
      return answer.text;
    },
    /** Replace the model with a saved one; rejects (changing nothing) when the file is refused. */
    async loadModel(text: string): Promise<void> {
      const { bridge } = app();
      await bridge.request('load-model', { generation: bridge.proposeGeneration(), text });
    },
    async exportTfjs(): Promise<{ modelJson: string; weightsBin: ArrayBuffer }> {
      const answer = await app().bridge.request('export-tfjs', {});
      return { modelJson: answer.modelJson, weightsBin: answer.weightsBin };
    },
    ...createInsideActions(app),
    ...createTimelineActions(app),
    ...createMyDigitsActions(app),
    ...createViewActions(app),
  };
  return actions;
}

export type Actions = ReturnType<typeof createActions>;
