/**
 * The main-thread side of the training worker, put together: the bridge (bridge.ts) carries messages,
 * the router (routeEvents.ts) puts events into the stores, the URL sync (urlSync.ts) mirrors the config
 * store in the address bar, and the actions (actions.ts) are what the components call.
 *
 * At start it reads the URL into the config store (a lesson's bare link first becomes the link of its first
 * set-up), loads the chosen dataset and configures the network (generation 1). `initWorkerClient` does this once for the page, with the browser's globals.
 */
import { resolveDataBase } from './dataBase';
import { applyConfig, configure, createActions, loadData, type Actions, type AppContext } from './actions';
import { createBridge, type BridgeEnv } from './bridge';
import { reconsiderHeld } from './costGate';
import { clearForGeneration, routeEvent } from './routeEvents';
import { testEngineSpeed } from './testHooks';
import { createWorkerCare } from './workerCare';
import { myDigitsEpochEnded, myDigitsNewGeneration } from './myDigitsActions';
import { createUrlSync, type UrlEnv } from './urlSync';
import { syncView } from './viewActions';
import type { FixedEngineSpeed, WorkerEvent } from '../protocol/messages';
import { useConfigStore } from '../store/config';
import { bareLessonSearch } from '../components/lessons/lessons';

export type { WorkerLike } from './bridge';
export type { Actions } from './actions';

/** What the client needs from the page (injected in tests). */
export interface ClientEnv extends BridgeEnv, UrlEnv {
  setTimeout(fn: () => void, ms: number): void;
}

export interface WorkerClient {
  actions: Actions;
  /** Takes one worker event as if the worker had sent it (tests). */
  handleEvent(ev: WorkerEvent): void;
  /** The generation whose events are accepted. */
  readonly generation: number;
}

/** Starts a client: the worker, the URL sync, then the first dataset load and configure. */
function startClient(env: ClientEnv): AppContext {
  const care = createWorkerCare(() => ctx);
  const bridge = createBridge(env, {
    onEvent: (ev) => {
      routeEvent(ev, {
        writeUrl: (key) => url.write(key),
        setTimeout: env.setTimeout,
        reconsider: () => reconsiderHeld(bridge),
      });
      care.onEvent(ev);
      if (ev.type === 'epoch-end') myDigitsEpochEnded(ctx, ev);
    },
    onGeneration: (generation) => {
      clearForGeneration(generation);
      care.onGeneration(generation);
      myDigitsNewGeneration();
    },
    onLost: care.onLost,
    onWorkerError: care.onWorkerError,
  });
  // A lesson's bare link (`?lesson=vanishing`) starts on the lesson's first set-up: the address says so
  // before anything is read from it (the same history entry, so Back leaves the page as before).
  const bare = bareLessonSearch(env.location.search);
  if (bare !== null)
    env.history.replaceState(null, '', `${env.location.pathname}${bare}${env.location.hash}`);
  const url = createUrlSync(env, (next, search) => {
    applyConfig(ctx, useConfigStore.getState(), next);
    syncView(search);
  });
  const ctx: AppContext = {
    bridge,
    url,
    dataBase: () => resolveDataBase(env.location.href),
    setTimeout: env.setTimeout,
    restartWorker: care.restart,
  };

  const { initial } = url;
  syncView(env.location.search);
  useConfigStore.setState({ dataset: initial.dataset, config: initial.config, speed: initial.speed });
  if (initial.speed !== 'full') bridge.send({ type: 'set-speed', speed: initial.speed });
  loadData(ctx, initial.dataset);
  configure(ctx, initial.config);
  return ctx;
}

/** Creates a client bound to `env` (tests; the page uses `initWorkerClient` and `actions`). */
export function createWorkerClient(env: ClientEnv): WorkerClient {
  const ctx = startClient(env);
  return {
    actions: createActions(() => ctx),
    handleEvent: ctx.bridge.receive,
    get generation() {
      return ctx.bridge.generation;
    },
  };
}

// ───────────────────────────── the page's singleton ─────────────────────────────

let page: AppContext | null = null;

function browserEnv(): ClientEnv {
  return {
    createWorker: () => {
      const worker = new Worker(new URL('../worker/training.worker.ts', import.meta.url), {
        type: 'module',
      });
      // A test's fixed engine speed goes first, before any command (testHooks.ts); absent for users.
      const flopsPerSecond = testEngineSpeed();
      if (flopsPerSecond !== null) {
        worker.postMessage({ type: 'fixed-engine-speed', flopsPerSecond } satisfies FixedEngineSpeed);
      }
      return worker as unknown as ReturnType<ClientEnv['createWorker']>;
    },
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
  if (!page) page = startClient(browserEnv());
}

/** The UI's commands (calling one before initWorkerClient initialises the client). */
export const actions: Actions = createActions(() => {
  initWorkerClient();
  return page!;
});
