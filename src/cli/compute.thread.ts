/**
 * A compute worker of the CLI (Node worker_threads): serves the coordinator's shares of each batch
 * (src/training/parallel/computeShares.ts). Thin on purpose: the same loop runs in the browser's
 * compute worker.
 */
import { parentPort } from 'node:worker_threads';
import { COMPUTE_READY, serveShares, type ComputeBind } from '../training/parallel/computeShares.ts';

if (!parentPort) throw new Error('compute.thread.ts runs as a worker thread');
parentPort.on('message', (message: ComputeBind) => serveShares(message));
parentPort.postMessage(COMPUTE_READY);
