/**
 * The worker thread TF.js runs in during a benchmark (./tfjsThread.ts is the other side). It answers one
 * request at a time: it posts the reply on its port, then bumps the shared counter the main thread waits
 * on, so the main thread's runner stays synchronous — TF.js and ours still take turns, never overlap.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { DatasetName } from '../src/data/dataset.ts';
import type { TrainConfig } from '../src/engine/types.ts';
import { loadBenchData } from './benchData.ts';
import type { Runner } from './measure.ts';
import { initTfjs, tfRunner, type TfBackend } from './tfjsRunner.ts';

export type TfjsRequest =
  | { type: 'init'; backends: TfBackend[] }
  | { type: 'runner'; backend: TfBackend; config: TrainConfig; dataset: DatasetName }
  | { type: 'run'; runner: number; seconds: number };

export type TfjsReply = { ok: true; value: unknown } | { ok: false; error: string };

if (!parentPort) throw new Error('tfjs.thread.ts runs as a worker thread');
const { port, done } = workerData as { port: MessagePort; done: SharedArrayBuffer };
const counter = new Int32Array(done);
const runners: Runner[] = [];

async function answer(req: TfjsRequest): Promise<unknown> {
  switch (req.type) {
    case 'init':
      return initTfjs(req.backends);
    case 'runner':
      runners.push(tfRunner(req.backend, req.config, loadBenchData(req.dataset).train));
      return runners.length - 1;
    case 'run': {
      const runner = runners[req.runner];
      if (!runner) throw new Error(`no TF.js runner ${req.runner}`);
      return runner.run(req.seconds);
    }
  }
}

port.on('message', (req: TfjsRequest) => {
  void answer(req).then(
    (value) => reply({ ok: true, value }),
    (e: unknown) => reply({ ok: false, error: e instanceof Error ? e.message : String(e) }),
  );
});

function reply(r: TfjsReply): void {
  port.postMessage(r);
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
}

parentPort.postMessage('ready');
