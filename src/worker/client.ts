/**
 * The main-thread side of the training worker: plain functions, no React.
 *
 * It starts the worker, mirrors the URL into the config store, and routes every worker event into the
 * stores — slow facts into `useRunStore`, fast data into `telemetryStore` — dropping events of older
 * generations, so a snapshot of a network that was just rebuilt is never drawn.
 *
 * Back-pressure: a snapshot is acknowledged only after the animation frame that follows storing it, so
 * the worker (which keeps at most one snapshot in flight) sends them as fast as the page draws and no
 * faster; a hidden tab (no frames) simply receives none until it is shown again.
 *
 * Generations: the client numbers them. `configure`, `reset` and dataset changes adopt a new one at once
 * (the old network's events still in the pipe are dropped); `load-model` proposes one and adopts it only
 * when the worker answers `model-loaded` (a rejected file changes nothing).
 */
import type { DatasetName } from '../data/dataset';
import type { TrainConfig } from '../engine/types';
import { useConfigStore, type ConfigState } from '../store/config';
import { INITIAL_RUN_STATE, useRunStore, type RunState } from '../store/run';
import { appendSeries, createSeries } from '../store/series';
import { telemetryStore } from '../store/telemetry';
import { architectureChanged, readUrlState, sanitizeConfig, writeUrlState } from '../store/urlState';
import { resolveDataBase } from '../app/dataBase';
import { assertNever } from '../protocol/assertNever';
import {
  PROTOCOL_VERSION,
  type Command,
  type Speed,
  type WorkerError,
  type WorkerEvent,
} from '../protocol/messages';

/** What the client needs from a Worker (a fake in tests). */
export interface WorkerLike {
  postMessage(message: Command, transfer: Transferable[]): void;
  onmessage: ((ev: MessageEvent<WorkerEvent>) => void) | null;
  onerror: ((ev: ErrorEvent) => void) | null;
}

/** What the client needs from the page (injected in tests). */
export interface ClientEnv {
  createWorker(): WorkerLike;
  /** The page's location (href, search). */
  location: { href: string; search: string; pathname: string; hash: string };
  history: {
    pushState(data: unknown, unused: string, url: string): void;
    replaceState(data: unknown, unused: string, url: string): void;
  };
  addPopStateListener(fn: () => void): void;
  requestAnimationFrame(fn: () => void): void;
  setTimeout(fn: () => void, ms: number): void;
  now(): number;
}

/** How long the "network reset" notice stays. */
const NOTICE_MS = 4000;
/** Consecutive changes of the same setting within this time replace the history entry (slider drags). */
const DRAG_MS = 600;

export interface WorkerClient {
  actions: Actions;
  /** Routes one worker event into the stores (exposed for tests). */
  handleEvent(ev: WorkerEvent): void;
  /** The generation whose events are accepted. */
  readonly generation: number;
}

export interface Actions {
  toggleTraining(): void;
  start(): void;
  pause(): void;
  step(): void;
  reset(): void;
  /**
   * Patch the config. Architecture/init/activation/seed changes rebuild the network (new generation,
   * run store notice "network reset"); the others apply to the running session. Also writes the URL.
   */
  updateConfig(patch: Partial<TrainConfig>): void;
  setDataset(name: DatasetName): void;
  setSpeed(speed: Speed): void;
  /** Classify a 28×28 image (0..1); the answer lands in telemetryStore's `prediction`. Latest wins. */
  predict(pixels: Float32Array): void;
  clearPrediction(): void;
  retryData(): void;
  saveModel(): Promise<string>;
  loadModel(text: string): Promise<void>;
  exportTfjs(): Promise<{ modelJson: string; weightsBin: ArrayBuffer }>;
}

interface Pending {
  resolve: (value: WorkerEvent) => void;
  reject: (error: Error) => void;
}

/** Creates a client bound to `env`; `initWorkerClient` does this once with the browser's globals. */
export function createWorkerClient(env: ClientEnv): WorkerClient {
  let generation = 0;
  /** Last generation number handed out (proposals for load-model included). */
  let lastIssued = 0;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  // Predict coalescing: at most one in flight; the newest pixels are sent when it returns.
  let predictInFlight: number | null = null;
  let predictQueued = false;
  let lastPixels: Float32Array | null = null;
  /** Answers to predicts with an id ≤ this are ignored (the canvas was cleared since). */
  let ignorePredictionsUpTo = 0;

  let lastUrlChange: { key: string; at: number } | null = null;

  const worker = env.createWorker();
  const send = (cmd: Command, transfer: Transferable[] = []) => worker.postMessage(cmd, transfer);

  // ───────────────────────────── stores ─────────────────────────────

  const setRun = (patch: Partial<RunState>) => useRunStore.setState(patch);
  const bumpTelemetry = (patch: Partial<ReturnType<typeof telemetryStore.getState>> = {}) =>
    telemetryStore.setState((s) => ({ ...patch, version: s.version + 1 }));

  function showNotice(text: string): void {
    // Through null, so the same notice twice in a row is still a change subscribers see.
    setRun({ notice: null });
    setRun({ notice: text });
    env.setTimeout(() => {
      if (useRunStore.getState().notice === text) setRun({ notice: null });
    }, NOTICE_MS);
  }

  /** A new generation: clears everything the old network produced. */
  function adoptGeneration(gen: number): void {
    generation = gen;
    lastIssued = Math.max(lastIssued, gen);
    setRun({
      generation: gen,
      status: 'idle',
      epoch: 0,
      step: 0,
      samplesPerSecond: 0,
      epochs: [],
      confusion: null,
      diverged: null,
      error: null,
    });
    bumpTelemetry({
      loss: createSeries(),
      accuracy: createSeries(),
      snapshot: null,
      baseline: null,
      prediction: null,
    });
    // The drawn digit (if any) is classified again by the new network.
    if (lastPixels) requestPredict();
  }

  function issueGeneration(): number {
    lastIssued++;
    return lastIssued;
  }

  // ───────────────────────────── URL ─────────────────────────────

  function writeUrl(changedKey: string): void {
    const state = useConfigStore.getState();
    const search = writeUrlState(state, env.location.search);
    if (search === env.location.search) return;
    const url = `${env.location.pathname}${search}${env.location.hash}`;
    const now = env.now();
    const dragging =
      lastUrlChange !== null && lastUrlChange.key === changedKey && now - lastUrlChange.at < DRAG_MS;
    if (dragging) env.history.replaceState(null, '', url);
    else env.history.pushState(null, '', url);
    lastUrlChange = { key: changedKey, at: now };
  }

  function onPopState(): void {
    const next = readUrlState(env.location.search);
    const cur = useConfigStore.getState();
    lastUrlChange = null;
    applyState(cur, next);
  }

  /** Moves from one config state to another, telling the worker what changed (no URL write). */
  function applyState(cur: ConfigState, next: ConfigState): void {
    useConfigStore.setState({ dataset: next.dataset, config: next.config, speed: next.speed });
    if (next.speed !== cur.speed) send({ type: 'set-speed', speed: next.speed });
    if (next.dataset !== cur.dataset) {
      loadData(next.dataset);
      configure(next.config);
    } else if (architectureChanged(cur.config, next.config)) {
      configure(next.config);
      showNotice('network reset');
    } else if (JSON.stringify(cur.config) !== JSON.stringify(next.config)) {
      send({ type: 'update-config', config: next.config });
    }
  }

  // ───────────────────────────── commands ─────────────────────────────

  function loadData(name: DatasetName): void {
    setRun({ data: { ...INITIAL_RUN_STATE.data, dataset: name } });
    send({ type: 'load-data', dataset: name, baseUrl: resolveDataBase(env.location.href) });
  }

  function configure(config: TrainConfig): void {
    const gen = issueGeneration();
    adoptGeneration(gen);
    send({ type: 'configure', generation: gen, config });
  }

  function requestPredict(): void {
    if (!lastPixels) return;
    if (predictInFlight !== null) {
      predictQueued = true;
      return;
    }
    const id = nextId++;
    predictInFlight = id;
    predictQueued = false;
    // A copy: the buffer is transferred, and lastPixels is kept for re-predicting.
    const pixels = lastPixels.slice();
    send({ type: 'predict', id, pixels }, [pixels.buffer]);
  }

  function predictDone(id: number): void {
    if (predictInFlight !== id) return;
    predictInFlight = null;
    if (predictQueued) requestPredict();
  }

  function request<T extends WorkerEvent['type']>(
    make: (id: number) => Command,
    expect: T,
  ): Promise<Extract<WorkerEvent, { type: T }>> {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, {
        resolve: (ev) => {
          if (ev.type === expect) resolve(ev as Extract<WorkerEvent, { type: T }>);
          else reject(new Error(`unexpected answer ${ev.type}`));
        },
        reject,
      });
      send(make(id));
    });
  }

  const actions: Actions = {
    toggleTraining() {
      if (useRunStore.getState().status === 'training') actions.pause();
      else actions.start();
    },
    start() {
      send({ type: 'start' });
    },
    pause() {
      send({ type: 'pause' });
    },
    step() {
      send({ type: 'step' });
    },
    reset() {
      const gen = issueGeneration();
      adoptGeneration(gen);
      send({ type: 'reset', generation: gen });
    },
    updateConfig(patch) {
      const cur = useConfigStore.getState();
      const config = sanitizeConfig({ ...cur.config, ...patch });
      const next = { ...cur, config };
      if (JSON.stringify(config) === JSON.stringify(cur.config)) return;
      applyState(cur, next);
      writeUrl(Object.keys(patch).sort().join(','));
    },
    setDataset(name) {
      const cur = useConfigStore.getState();
      if (name === cur.dataset) return;
      applyState(cur, { ...cur, dataset: name });
      writeUrl('dataset');
    },
    setSpeed(speed) {
      const cur = useConfigStore.getState();
      const next = readUrlState(writeUrlState({ ...cur, speed }), cur).speed;
      if (next === cur.speed) return;
      applyState(cur, { ...cur, speed: next });
      writeUrl('speed');
    },
    predict(pixels) {
      lastPixels = pixels.slice();
      requestPredict();
    },
    clearPrediction() {
      lastPixels = null;
      predictQueued = false;
      // A predict still in flight stays counted (at most one at a time); its answer is ignored.
      ignorePredictionsUpTo = nextId - 1;
      bumpTelemetry({ prediction: null });
    },
    retryData() {
      const cur = useConfigStore.getState();
      loadData(cur.dataset);
      configure(cur.config);
    },
    async saveModel() {
      const ev = await request((id) => ({ type: 'save-model', id }), 'model-saved');
      return ev.text;
    },
    async loadModel(text) {
      const proposed = issueGeneration();
      await request((id) => ({ type: 'load-model', id, generation: proposed, text }), 'model-loaded');
    },
    async exportTfjs() {
      const ev = await request((id) => ({ type: 'export-tfjs', id }), 'tfjs-exported');
      return { modelJson: ev.modelJson, weightsBin: ev.weightsBin };
    },
  };

  // ───────────────────────────── events ─────────────────────────────

  function settle(id: number | undefined, ev: WorkerEvent, error?: WorkerError): boolean {
    if (id === undefined) return false;
    const p = pending.get(id);
    if (!p) return false;
    pending.delete(id);
    if (error) p.reject(new Error(error.message));
    else p.resolve(ev);
    return true;
  }

  function handleEvent(ev: WorkerEvent): void {
    switch (ev.type) {
      case 'hello':
        if (ev.version !== PROTOCOL_VERSION) {
          setRun({
            error: {
              kind: 'protocol',
              message: `The page (protocol ${PROTOCOL_VERSION}) and the training worker (protocol ${ev.version}) are from different versions — reload the page.`,
            },
          });
        }
        return;
      case 'data-progress': {
        const data = useRunStore.getState().data;
        if (ev.progress.dataset !== useConfigStore.getState().dataset) return;
        setRun({ data: { ...data, progress: ev.progress } });
        return;
      }
      case 'data-ready': {
        if (ev.dataset !== useConfigStore.getState().dataset) return;
        setRun({
          data: {
            dataset: ev.dataset,
            progress: null,
            counts: { train: ev.trainCount, test: ev.testCount },
            classNames: ev.classNames,
            error: null,
            loadMs: ev.loadMs,
          },
        });
        return;
      }
      case 'data-error': {
        const data = useRunStore.getState().data;
        setRun({ data: { ...data, progress: null, error: ev.error } });
        return;
      }
      case 'status':
        if (ev.generation !== generation) return;
        setRun({
          status: ev.status,
          epoch: ev.epoch,
          step: ev.step,
          batchesPerEpoch: ev.batchesPerEpoch,
          samplesPerSecond: ev.samplesPerSecond,
          learningRate: ev.learningRate,
          ...(ev.status === 'training' ? { diverged: null } : {}),
        });
        return;
      case 'metrics': {
        if (ev.generation !== generation) return;
        const { loss, accuracy } = telemetryStore.getState();
        const xs = new Float64Array(ev.loss.length);
        for (let i = 0; i < xs.length; i++) xs[i] = ev.firstStep + i;
        appendSeries(loss, xs, ev.loss);
        appendSeries(accuracy, xs, ev.accuracy);
        bumpTelemetry();
        return;
      }
      case 'snapshot': {
        if (ev.generation !== generation) return;
        const { seq, step, epoch, layers, probe } = ev;
        // The generation's first snapshot is its starting point: keep layer 0's weights to diff against.
        const baseline =
          telemetryStore.getState().baseline ??
          (layers[0] ? { seq, step, weights: layers[0].weights.slice() } : null);
        bumpTelemetry({ snapshot: { seq, step, epoch, layers, probe }, baseline });
        // Ack after the next frame, i.e. after the views (whose rAF callbacks were requested before this
        // one) have drawn it: the worker then never gets ahead of the page's drawing.
        env.requestAnimationFrame(() => send({ type: 'ack-snapshot', seq }));
        // Keep the drawn digit's prediction live as the network learns (≤ the snapshot rate).
        if (lastPixels && predictInFlight === null) requestPredict();
        return;
      }
      case 'epoch-end': {
        if (ev.generation !== generation) return;
        const { epoch, step, trainLoss, trainAccuracy, testLoss, testAccuracy } = ev;
        setRun({
          epochs: [
            ...useRunStore.getState().epochs,
            { epoch, step, trainLoss, trainAccuracy, testLoss, testAccuracy },
          ],
          confusion: ev.confusion,
        });
        return;
      }
      case 'prediction': {
        const current = ev.generation === generation && ev.id > ignorePredictionsUpTo && lastPixels !== null;
        if (current) {
          bumpTelemetry({
            prediction: { id: ev.id, probabilities: ev.probabilities, activations: ev.activations },
          });
        }
        predictDone(ev.id);
        return;
      }
      case 'diverged':
        if (ev.generation !== generation) return;
        setRun({ diverged: { step: ev.step, lastFiniteLoss: ev.lastFiniteLoss, message: ev.message } });
        return;
      case 'model-saved':
      case 'tfjs-exported':
        settle(ev.id, ev);
        return;
      case 'model-loaded': {
        const cur = useConfigStore.getState();
        const config = { ...ev.config, hidden: [...ev.config.hidden] };
        useConfigStore.setState({ config });
        adoptGeneration(ev.generation);
        showNotice('model loaded');
        // The model's config (architecture and hyper-parameters) becomes the URL's.
        if (JSON.stringify(cur.config) !== JSON.stringify(config)) writeUrl('model');
        settle(ev.id, ev);
        return;
      }
      case 'error':
        if (ev.id !== undefined && ev.id === predictInFlight) {
          predictDone(ev.id);
          return;
        }
        if (!settle(ev.id, ev, ev.error)) setRun({ error: ev.error });
        return;
      default:
        assertNever(ev);
    }
  }

  worker.onmessage = (e) => handleEvent(e.data);
  worker.onerror = (e) => {
    setRun({
      error: {
        kind: 'worker',
        message: `The training worker stopped: ${e.message || 'unknown error'}. Reload the page.`,
      },
    });
  };

  // ───────────────────────────── start ─────────────────────────────

  const initial = readUrlState(env.location.search);
  useConfigStore.setState({ dataset: initial.dataset, config: initial.config, speed: initial.speed });
  env.addPopStateListener(onPopState);
  if (initial.speed !== 'full') send({ type: 'set-speed', speed: initial.speed });
  loadData(initial.dataset);
  configure(initial.config);

  return {
    actions,
    handleEvent,
    get generation() {
      return generation;
    },
  };
}

// ───────────────────────────── the page's singleton ─────────────────────────────

let client: WorkerClient | null = null;

function browserEnv(): ClientEnv {
  return {
    createWorker: () =>
      new Worker(new URL('./training.worker.ts', import.meta.url), {
        type: 'module',
      }) as unknown as WorkerLike,
    location: window.location,
    history: window.history,
    addPopStateListener: (fn) => window.addEventListener('popstate', fn),
    requestAnimationFrame: (fn) => window.requestAnimationFrame(() => fn()),
    setTimeout: (fn, ms) => window.setTimeout(fn, ms),
    now: () => performance.now(),
  };
}

/**
 * Idempotent. Creates the worker, reads the URL into the config store, loads the chosen dataset,
 * configures the network, and routes every event into the stores (dropping events of old generations).
 * The data folder is `data/` next to the page, or `<dir>/data/` with `?data=<dir>` (see resolveDataBase).
 */
export function initWorkerClient(): void {
  if (!client) client = createWorkerClient(browserEnv());
}

function get(): WorkerClient {
  initWorkerClient();
  return client!;
}

/** The UI's commands (calling one before initWorkerClient initialises the client). */
export const actions: Actions = {
  toggleTraining: () => get().actions.toggleTraining(),
  start: () => get().actions.start(),
  pause: () => get().actions.pause(),
  step: () => get().actions.step(),
  reset: () => get().actions.reset(),
  updateConfig: (patch) => get().actions.updateConfig(patch),
  setDataset: (name) => get().actions.setDataset(name),
  setSpeed: (speed) => get().actions.setSpeed(speed),
  predict: (pixels) => get().actions.predict(pixels),
  clearPrediction: () => get().actions.clearPrediction(),
  retryData: () => get().actions.retryData(),
  saveModel: () => get().actions.saveModel(),
  loadModel: (text) => get().actions.loadModel(text),
  exportTfjs: () => get().actions.exportTfjs(),
};
