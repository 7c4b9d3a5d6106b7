/**
 * TF.js in a worker thread of its own, behind the same synchronous Runner as ours (./tfjs.thread.ts runs it).
 *
 * Why not in the main thread: loading TF.js there cost our runner ~17 % (784-128-64-10 on Fashion-MNIST,
 * one thread: ~11,000 samples/s in a process that never loads it, ~9,200 after `import
 * '@tensorflow/tfjs-core'`, nothing of it called). tsx compiles each CommonJS file it loads with a WASM
 * lexer whose memory grows for TF.js's large bundles; growing a WebAssembly memory detaches its old
 * ArrayBuffer, and the first detached buffer in an isolate switches off V8's typed-array fast path (the
 * ArrayBufferDetaching protector: `node --trace-protector-invalidation` reports it) for every function
 * compiled after — our kernels are typed-array loops. Detaching one 8-byte buffer by hand costs the same.
 * That is the harness's doing, not either engine's: in a thread of its own TF.js loads and runs as before,
 * and our runner keeps the speed it has wherever no buffer is detached.
 */
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { tsxBootstrap } from '../src/cli/computeThreads.ts';
import type { DatasetName } from '../src/data/dataset.ts';
import type { TrainConfig } from '../src/engine/types.ts';
import type { RunResult, Runner } from './measure.ts';
import type { TfjsReply, TfjsRequest } from './tfjs.thread.ts';
import type { TfBackend, TfInfo } from './tfjsRunner.ts';

/** Longest a request may take (TF.js's first load compiles ~10 MB of JavaScript). */
const REQUEST_TIMEOUT_MS = 120_000;

export class TfjsThread {
  private constructor(
    private readonly worker: Worker,
    private readonly port: MessageChannel['port1'],
    private readonly counter: Int32Array,
  ) {}

  /** Starts the thread and initialises `backends` there. */
  static async start(backends: readonly TfBackend[]): Promise<{ thread: TfjsThread; info: TfInfo }> {
    const channel = new MessageChannel();
    const done = new SharedArrayBuffer(4);
    const file = new URL('./tfjs.thread.ts', import.meta.url).href;
    const worker = new Worker(tsxBootstrap(file), {
      eval: true,
      workerData: { port: channel.port2, done },
      transferList: [channel.port2],
    });
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the TF.js thread exited with code ${code}`)));
    });
    const thread = new TfjsThread(worker, channel.port1, new Int32Array(done));
    const info = thread.request({ type: 'init', backends: [...backends] }) as TfInfo;
    return { thread, info };
  }

  /** TF.js training `config`'s network on `dataset`'s training split, in the thread (see tfRunner). */
  runner(backend: TfBackend, config: TrainConfig, dataset: DatasetName): Runner {
    const id = this.request({ type: 'runner', backend, config, dataset }) as number;
    return { run: (seconds) => this.request({ type: 'run', runner: id, seconds }) as RunResult };
  }

  close(): Promise<number> {
    this.port.close();
    return this.worker.terminate();
  }

  /** Sends `req` and blocks until the thread's reply: the runners take turns, as in one thread. */
  private request(req: TfjsRequest): unknown {
    const seen = Atomics.load(this.counter, 0);
    this.port.postMessage(req);
    if (Atomics.wait(this.counter, 0, seen, REQUEST_TIMEOUT_MS) === 'timed-out') {
      throw new Error(`the TF.js thread did not answer ${req.type} within ${REQUEST_TIMEOUT_MS / 1000} s`);
    }
    const got = receiveMessageOnPort(this.port);
    if (!got) throw new Error(`the TF.js thread answered ${req.type} without a reply`);
    const r = got.message as TfjsReply;
    if (!r.ok) throw new Error(`TF.js: ${r.error}`);
    return r.value;
  }
}
