/**
 * The training worker: thin wiring only. The Trainer (src/training/trainer.ts) does the work; this file
 * gives it `postMessage` as its `post`, A's `loadDataset` as its loader, and forwards every command.
 */
import { Trainer } from '../training/trainer';
import { loadDataset } from './loadDataset';
import { PROTOCOL_VERSION, type Command, type WorkerEvent } from '../protocol/messages';

/** The worker's global scope, typed for what we use (the app's lib has DOM, not WebWorker, types). */
const scope = self as unknown as {
  postMessage(message: WorkerEvent, options?: { transfer?: Transferable[] }): void;
  onmessage: ((ev: MessageEvent<Command>) => void) | null;
};

const trainer = new Trainer({
  post: (event, transfer) => scope.postMessage(event, { transfer: transfer ?? [] }),
  loadData: (baseUrl, name, onProgress, signal) => loadDataset(baseUrl, name, onProgress, signal),
});

scope.onmessage = (ev) => trainer.handle(ev.data);
scope.postMessage({ type: 'hello', version: PROTOCOL_VERSION });
