/**
 * The commands that never touch the run: the `predict`, `save-model` and `export-tfjs` replies (they only
 * read the network), and reading a file for `load-model`, fully checked before the trainer replaces
 * anything, so a bad file leaves the current model and run untouched.
 */
import type { Dataset } from '../data/dataset';
import {
  checkModelFits,
  parseModel,
  serializeModel,
  type ParsedModel,
  type TrainingInfo,
} from '../engine/modelFile';
import { exportTfjs } from '../engine/tfjsExport';
import { explainPrediction } from '../engine/trace';
import type { TrainConfig } from '../engine/types';
import type { RunCheckpoint, WorkerEvent } from '../protocol/messages';
import type { TrainingSession } from './session';
import { allFinite } from './snapshot';
import { toWorkerError } from './workerError';

/**
 * The reply to `predict`: probabilities and every layer's activations for `pixels` ([inputSize], 0..1),
 * their buffers transferred; or an error when there is no network, the input is wrong, or the network's
 * outputs are not finite (such a prediction is never posted).
 */
export function predictReply(
  id: number,
  session: TrainingSession | null,
  generation: number,
  pixels: Float32Array,
): { event: WorkerEvent; transfer?: ArrayBuffer[] } {
  if (!session) {
    return {
      event: { type: 'error', id, error: { kind: 'no-model', message: 'The network is not ready yet.' } },
    };
  }
  const n = session.config.inputSize;
  if (!(pixels instanceof Float32Array) || pixels.length !== n || !allFinite(pixels)) {
    return {
      event: {
        type: 'error',
        id,
        error: { kind: 'bad-input', message: `predict needs ${n} finite pixel values.` },
      },
    };
  }
  const { probabilities, activations, logits } = session.network.predict(pixels);
  if (!activations.every(allFinite)) {
    return {
      event: {
        type: 'error',
        id,
        error: { kind: 'non-finite', message: 'The network’s weights are broken (not finite): reset it.' },
      },
    };
  }
  // Why it said what it said: ∂logit/∂pixel and the units that pushed (one trace, ~1 ms for the default net).
  const e = explainPrediction(session.network.layers, pixels);
  const transfer = [
    probabilities.buffer as ArrayBuffer,
    logits.buffer as ArrayBuffer,
    ...activations.map((a) => a.buffer as ArrayBuffer),
  ];
  const explanation = allFinite(e.saliency)
    ? { predicted: e.predicted, saliency: e.saliency, topUnits: e.topUnits }
    : undefined;
  if (explanation) transfer.push(explanation.saliency.buffer as ArrayBuffer);
  return {
    event: {
      type: 'prediction',
      id,
      generation,
      probabilities,
      activations,
      logits,
      ...(explanation ? { explanation } : {}),
    },
    transfer,
  };
}

/** The reply to `save-model`: the model file's text, or why there is none. */
export function saveModelReply(
  id: number,
  session: TrainingSession | null,
  config: TrainConfig | null,
  training: TrainingInfo,
): WorkerEvent {
  if (!session || !config) {
    return { type: 'error', id, error: { kind: 'no-model', message: 'There is no network to save yet.' } };
  }
  try {
    return { type: 'model-saved', id, text: serializeModel(session.network, config, { training }) };
  } catch (e) {
    return { type: 'error', id, error: toWorkerError(e, 'save-failed') };
  }
}

/** The reply to `export-tfjs` and, on success, the weights buffer it transfers. */
export function exportTfjsReply(
  id: number,
  session: TrainingSession | null,
): { event: WorkerEvent; transfer?: ArrayBuffer[] } {
  if (!session) {
    return {
      event: {
        type: 'error',
        id,
        error: { kind: 'no-model', message: 'There is no network to export yet.' },
      },
    };
  }
  try {
    const { modelJson, weightsBin } = exportTfjs(session.network, {
      generatedBy: 'Backprop Lab',
      dropout: { input: session.config.inputDropout, hidden: session.config.dropout },
    });
    // A standalone buffer of exactly the file's bytes, transferred.
    const bin = weightsBin.slice().buffer as ArrayBuffer;
    return {
      event: { type: 'tfjs-exported', id, modelJson: JSON.stringify(modelJson), weightsBin: bin },
      transfer: [bin],
    };
  } catch (e) {
    return { event: { type: 'error', id, error: toWorkerError(e, 'export-failed') } };
  }
}

/**
 * Parses a model file and checks that it fits `dataset` (input size = pixels per image, output size = classes)
 * with weights a network can train from (modelFit.ts); throws ModelFileError if not.
 */
export function readModelFile(text: string, dataset: Pick<Dataset, 'train' | 'classNames'>): ParsedModel {
  const { rows, cols } = dataset.train;
  return checkModelFits(parseModel(text), { inputSize: rows * cols, classes: dataset.classNames.length });
}

/** The reply to `checkpoint`: the run's state (buffers transferred), or why there is none. */
export function checkpointReply(
  id: number,
  session: TrainingSession | null,
  generation: number,
): { event: WorkerEvent; transfer?: ArrayBuffer[] } {
  if (!session) {
    return { event: { type: 'error', id, error: { kind: 'no-model', message: 'There is no run yet.' } } };
  }
  const checkpoint = session.getState();
  const { params, optimizer } = checkpoint;
  const buffers = [...params.weights, ...params.biases, ...optimizer.slots].map(
    (a) => a.buffer as ArrayBuffer,
  );
  return { event: { type: 'checkpoint', id, generation, checkpoint }, transfer: buffers };
}

/**
 * Continues `session` from `checkpoint` (configure's `resume`), if any. A checkpoint that does not fit
 * changes nothing (setState validates first) and comes back as the `error` to post: the run is fresh.
 */
export function resumeRun(
  session: TrainingSession,
  checkpoint: RunCheckpoint | null,
): { error?: WorkerEvent } {
  if (!checkpoint) return {};
  try {
    session.setState(checkpoint);
    return {};
  } catch (e) {
    const { message } = toWorkerError(e, 'resume-failed');
    return {
      error: {
        type: 'error',
        error: {
          kind: 'resume-failed',
          message: `The saved run could not be resumed (${message}): training starts afresh.`,
        },
      },
    };
  }
}
