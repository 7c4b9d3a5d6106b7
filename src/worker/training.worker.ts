/**
 * The training worker: thin wiring only. The Trainer (src/training/trainer.ts) does the work; this file
 * gives it `postMessage` as its `post`, A's `loadDataset` as its loader, the budget and the measured speed
 * (a short calibration at startup, announced to the page), the compute workers where the page is
 * cross-origin isolated (computeWorkers.ts), forwards every command, and posts a `heartbeat`
 * every HEARTBEAT_MS for as long as it lives (the page's watchdog, src/app/bridge.ts). The beat is a timer
 * on this worker's event loop, so it runs between the trainer's slices: a worker that hangs (or is closed)
 * stops beating, a busy one does not.
 */
import { browserBudget } from '../engine/cost';
import { calibrate } from '../training/calibration';
import { Trainer, WORKER_TIME_SLACK } from '../training/trainer';
import { browserCompute } from './computeWorkers';
import { loadDataset } from './loadDataset';
import { HEARTBEAT_MS, PROTOCOL_VERSION, type Command, type WorkerEvent } from '../protocol/messages';

/** The worker's global scope, typed for what we use (the app's lib has DOM, not WebWorker, types). */
const scope = self as unknown as {
  postMessage(message: WorkerEvent, options?: { transfer?: Transferable[] }): void;
  onmessage: ((ev: MessageEvent<Command>) => void) | null;
  navigator: { deviceMemory?: number; hardwareConcurrency?: number };
  crossOriginIsolated?: boolean;
  setInterval(fn: () => void, ms: number): number;
};

// ~0.1 s, before any command is handled (they queue meanwhile).
const { flopsPerSecond } = calibrate(() => performance.now());
const budget = browserBudget(scope.navigator.deviceMemory);

const trainer = new Trainer({
  post: (event, transfer) => scope.postMessage(event, { transfer: transfer ?? [] }),
  loadData: (baseUrl, name, onProgress, signal) => loadDataset(baseUrl, name, onProgress, signal),
  guard: {
    budget: { ...budget, maxSecondsPerBatch: budget.maxSecondsPerBatch * WORKER_TIME_SLACK },
    flopsPerSecond,
  },
  compute: browserCompute(scope),
});

scope.onmessage = (ev) => trainer.handle(ev.data);
scope.postMessage({ type: 'hello', version: PROTOCOL_VERSION });
scope.postMessage({ type: 'calibration', flopsPerSecond, budget });
scope.setInterval(() => scope.postMessage({ type: 'heartbeat' }), HEARTBEAT_MS);
