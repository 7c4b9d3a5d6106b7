/**
 * The training worker: thin wiring only. The Trainer (src/training/trainer.ts) does the work; this file
 * gives it `postMessage` as its `post`, A's `loadDataset` as its loader, the budget and the measured speed
 * (a short calibration at startup, announced to the page), the compute workers where the page is
 * cross-origin isolated (computeWorkers.ts), forwards every command, and posts a `heartbeat`
 * every HEARTBEAT_MS for as long as it lives (the page's watchdog, src/app/bridge.ts). The beat is a timer
 * on this worker's event loop, so it runs between the trainer's slices: a worker that hangs (or is closed)
 * stops beating, a busy one does not.
 *
 * Startup waits for the page's first message (the page posts `load-data` as soon as it creates the worker):
 * a FixedEngineSpeed (a test's hook, src/app/testHooks.ts) gives the speed, anything else is the first
 * command, handled after the ~0.1 s calibration. Only then `hello` and `calibration` are posted.
 */
import { browserBudget } from '../engine/cost';
import { calibrate } from '../training/calibration';
import { Trainer } from '../training/trainer';
import { browserCompute } from './computeWorkers';
import { loadDataset } from './loadDataset';
import {
  HEARTBEAT_MS,
  PROTOCOL_VERSION,
  type Command,
  type FixedEngineSpeed,
  type WorkerEvent,
} from '../protocol/messages';

/** The worker's global scope, typed for what we use (the app's lib has DOM, not WebWorker, types). */
const scope = self as unknown as {
  postMessage(message: WorkerEvent, options?: { transfer?: Transferable[] }): void;
  onmessage: ((ev: MessageEvent<Command | FixedEngineSpeed>) => void) | null;
  navigator: { deviceMemory?: number; hardwareConcurrency?: number };
  crossOriginIsolated?: boolean;
  setInterval(fn: () => void, ms: number): number;
};

const budget = browserBudget(scope.navigator.deviceMemory);

/** Builds the trainer for an engine speed (measured or fixed) and announces the worker to the page. */
function start(flopsPerSecond: number, fixed: boolean): Trainer {
  const trainer = new Trainer({
    post: (event, transfer) => scope.postMessage(event, { transfer: transfer ?? [] }),
    loadData: (baseUrl, name, onProgress, signal) => loadDataset(baseUrl, name, onProgress, signal),
    guard: { budget, flopsPerSecond },
    compute: browserCompute(scope),
  });
  scope.postMessage({ type: 'hello', version: PROTOCOL_VERSION });
  scope.postMessage({ type: 'calibration', flopsPerSecond, budget, fixed });
  scope.setInterval(() => scope.postMessage({ type: 'heartbeat' }), HEARTBEAT_MS);
  return trainer;
}

let trainer: Trainer | null = null;

scope.onmessage = (ev) => {
  const msg = ev.data;
  if (msg.type === 'fixed-engine-speed') {
    // Only a first message fixes the speed; a valid figure or none (then it is measured).
    const ok = Number.isFinite(msg.flopsPerSecond) && msg.flopsPerSecond > 0;
    trainer ??= ok ? start(msg.flopsPerSecond, true) : start(measure(), false);
    return;
  }
  trainer ??= start(measure(), false);
  trainer.handle(msg);
};

/** ~0.1 s of timed batches (blocks; the page's commands queue meanwhile). */
function measure(): number {
  return calibrate(() => performance.now()).flopsPerSecond;
}
