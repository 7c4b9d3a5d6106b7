/**
 * The page's side of the service worker (src/sw/sw.ts): registers it, and decides when a new build may
 * take over.
 *
 * A new build's worker installs in the background (a navigation, the network coming back, or the hourly
 * check finds a new sw.js) and then waits. When nothing runs in this page it takes over at once and the
 * page reloads into the new build (nothing is lost); while a run is in progress the top bar offers
 * "Reload to update" (useUpdateStore) and nothing changes until the user accepts — the page's code and
 * its cache stay one build.
 *
 * Not registered under `vite dev` (its modules change on every save; a worker would pin them), nor where
 * the browser has none (or a test blocks it): the app then simply needs the network, as before.
 */
import type { DataErrorKind } from '../data/errors';
import { SKIP_WAITING, isDataCacheOf } from '../sw/precache';
import { useConfigStore } from '../store/config';
import { useRunStore, type RunState } from '../store/run';
import { useUpdateStore } from '../store/update';

/** The service worker's URL and scope, relative to the page: the site's base (vite.config.ts `base: './'`). */
export const SERVICE_WORKER_URL = './sw.js';
export const SERVICE_WORKER_SCOPE = './';

/** How often a page left open looks for a new build (a lesson lasts hours; the check is one small GET). */
const UPDATE_CHECK_MS = 60 * 60 * 1000;

/**
 * What to do when a new build is ready: 'apply' (take over and reload) when nothing has been trained in
 * this page — a reload then loses nothing —, else 'offer' (the user decides).
 */
export function updateAction(run: Pick<RunState, 'status' | 'step'>): 'apply' | 'offer' {
  return run.status !== 'training' && run.step === 0 ? 'apply' : 'offer';
}

/**
 * Data errors that are about the bytes (not about reaching the host). When the loader refuses a
 * dataset's bytes for one of these, the page deletes that dataset's cached copy: if the copy was the
 * culprit (the service worker checks only sizes and the manifest's hash before caching), Retry then
 * fetches the files afresh rather than the same cached ones.
 */
export function dropsCachedCopy(kind: DataErrorKind): boolean {
  return kind !== 'network' && kind !== 'http';
}

let waiting: ServiceWorker | null = null;
/** Set when this page asked for the takeover: the controller's change then reloads it. */
let reloadOnTakeover = false;
/** The controller changed without this page asking (another tab accepted): a reload loads the new build. */
let tookOverElsewhere = false;

/** Registers the service worker once the page and its first dataset have loaded (its install then copies
 *  what the page already downloaded instead of competing with it). */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD) return;
  const container = typeof navigator === 'undefined' ? undefined : navigator.serviceWorker;
  if (container === undefined) return;
  let controlled = container.controller !== null;
  container.addEventListener('controllerchange', () => {
    // The first visit's page being claimed is not an update.
    if (!controlled) {
      controlled = true;
      return;
    }
    if (reloadOnTakeover) {
      location.reload();
      return;
    }
    tookOverElsewhere = true;
    newBuildReady();
  });
  useRunStore.subscribe((s, prev) => {
    const error = s.data.error;
    if (error === null || error === prev.data.error || !dropsCachedCopy(error.kind)) return;
    // The dataset being loaded is the chosen one (data.dataset is the last one that loaded).
    const dataset = useConfigStore.getState().dataset;
    void caches
      .keys()
      .then((names) =>
        Promise.all(names.filter((n) => isDataCacheOf(n, dataset)).map((n) => caches.delete(n))),
      )
      .catch(() => {});
  });
  const start = () => {
    container.register(SERVICE_WORKER_URL, { scope: SERVICE_WORKER_SCOPE }).then(watch, (error: unknown) => {
      // Offline use is a bonus: the app works without it, so a refusal is not the user's problem.
      console.info(
        `Backprop Lab works online only here: the service worker was not registered (${String(error)}).`,
      );
    });
  };
  const afterLoad = () => whenDataSettled(start);
  if (document.readyState === 'complete') afterLoad();
  else window.addEventListener('load', afterLoad, { once: true });
}

/**
 * Runs `fn` once the first dataset has loaded (or failed to). The worker's install then caches MNIST
 * from the HTTP cache (revalidations answered 304) instead of downloading it a second time alongside the
 * page's own download. Measured in Chromium with a normal profile: registered at `load`, the 9.8 MB train
 * images crossed the network twice; registered after the data, every file once. (A private window's
 * HTTP cache lives in memory and keeps no file that large: there the train images come twice.)
 */
function whenDataSettled(fn: () => void): void {
  const settled = (s: RunState) => s.data.counts !== null || s.data.error !== null;
  if (settled(useRunStore.getState())) {
    fn();
    return;
  }
  const unsubscribe = useRunStore.subscribe((s) => {
    if (!settled(s)) return;
    unsubscribe();
    fn();
  });
}

function watch(registration: ServiceWorkerRegistration | undefined): void {
  // Playwright's `serviceWorkers: 'block'` (the test suite) makes register() resolve to nothing.
  if (registration === undefined) return;
  const consider = (worker: ServiceWorker) => {
    // Installed with a page already controlled = a new build (the very first install takes over by itself).
    if (worker.state === 'installed' && navigator.serviceWorker.controller !== null) {
      waiting = worker;
      newBuildReady();
    }
  };
  if (registration.waiting !== null) consider(registration.waiting);
  registration.addEventListener('updatefound', () => {
    const worker = registration.installing;
    if (worker === null) return;
    worker.addEventListener('statechange', () => consider(worker));
  });
  const check = () => void registration.update().catch(() => {});
  window.addEventListener('online', check);
  setInterval(check, UPDATE_CHECK_MS);
}

function newBuildReady(): void {
  if (updateAction(useRunStore.getState()) === 'apply') applyUpdate();
  else useUpdateStore.setState({ ready: true });
}

/** "Reload to update": let the waiting build take over, then reload into it. */
export function applyUpdate(): void {
  reloadOnTakeover = true;
  if (tookOverElsewhere || waiting === null || waiting.state === 'redundant') {
    location.reload();
    return;
  }
  waiting.postMessage({ type: SKIP_WAITING });
}
