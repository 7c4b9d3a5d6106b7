/**
 * How a failure reaches the page: the data and model-file errors keep their own kind (and the field they
 * name), anything else gets the kind of the command that failed.
 */
import { DataError } from '../data/errors';
import { ModelFileError } from '../engine/modelFile';
import type { WorkerError } from '../protocol/messages';

export function toWorkerError(e: unknown, fallbackKind: string): WorkerError {
  if (e instanceof DataError) return e.toData();
  // A model file's error names the field (`layers[1].weights`) in its message.
  if (e instanceof ModelFileError) return { kind: e.kind, message: e.message };
  const message = e instanceof Error ? e.message : String(e);
  return { kind: fallbackKind, message };
}
