/**
 * The answer to `explain-step`: one step of backprop for one neuron, for the next training batch (what
 * Step will apply), a test image or the user's drawing (what that one example alone would contribute —
 * test images are never trained on). See engine/stepExplain.ts.
 */
import type { Split } from '../data/dataset.ts';
import { toFloatPixels } from '../engine/evaluate.ts';
import { rowMasks } from '../engine/dropout.ts';
import { explainStep, type ExplainRequest } from '../engine/stepExplain.ts';
import type { Command, WorkerEvent } from '../protocol/messages.ts';
import type { TrainingSession } from './session.ts';

type ExplainCommand = Extract<Command, { type: 'explain-step' }>;

export function explainStepReply(
  cmd: ExplainCommand,
  session: TrainingSession | null,
  generation: number,
  test: Split | null,
): { event: WorkerEvent; transfer?: ArrayBuffer[] } {
  const fail = (kind: string, message: string) => ({
    event: { type: 'error', id: cmd.id, error: { kind, message } } as WorkerEvent,
  });
  if (!session || !test) return fail('no-model', 'The network is not ready yet.');
  const net = session.network;
  const n = session.config.inputSize;
  const layer = net.layers[cmd.layer];
  if (!layer || !(cmd.unit >= 0 && cmd.unit < layer.outSize)) {
    return fail('bad-unit', `There is no unit ${cmd.unit} in layer ${cmd.layer + 1}.`);
  }
  let x: Float32Array;
  let label: number;
  let batch: { gradRow: Float32Array; gradBias: number; size: number } | null = null;
  let dropout: ExplainRequest['dropout'] = null;
  const src = cmd.source;
  if (src.kind === 'batch') {
    // The engine's own forward and backward over the very batch the next Step trains on, by the step's
    // plan (the same chunks, summed in the same order, whichever threads Step then runs on).
    const next = session.nextBatchGradient();
    batch = {
      gradRow: layer.gradWeights.slice(cmd.unit * layer.inSize, (cmd.unit + 1) * layer.inSize),
      gradBias: layer.gradBiases[cmd.unit]!,
      size: next.size,
    };
    x = next.x;
    label = next.label;
    // The first row's masks, as that step's forward draws them (keyed by its place: engine/dropout.ts).
    const c = session.config;
    if (c.inputDropout > 0 || c.dropout > 0) {
      const sizes = [c.inputSize, ...c.hidden];
      const key = { seed: c.seed, ...session.batchPlace() };
      dropout = {
        masks: rowMasks(sizes, { ...key, inputDropout: c.inputDropout, dropout: c.dropout }),
        inputRate: c.inputDropout,
        hiddenRate: c.dropout,
      };
    }
  } else if (src.kind === 'test') {
    if (!(Number.isInteger(src.index) && src.index >= 0 && src.index < test.count)) {
      return fail('bad-example', `There is no test image ${src.index}.`);
    }
    x = new Float32Array(n);
    toFloatPixels(test.images, src.index * n, n, x);
    label = test.labels[src.index]!;
  } else {
    if (!(src.pixels instanceof Float32Array) || src.pixels.length !== n) {
      return fail('bad-input', `The drawing needs ${n} pixel values.`);
    }
    x = src.pixels;
    label = src.label;
  }
  const params = net.parameters;
  const weightsParam = params.findIndex((p) => p.layer === cmd.layer && p.kind === 'weights');
  const biasParam = params.findIndex((p) => p.layer === cmd.layer && p.kind === 'biases');
  const explanation = explainStep({
    layers: net.layers,
    layer: cmd.layer,
    unit: cmd.unit,
    x,
    label,
    batch,
    config: session.config,
    learningRate: session.learningRate,
    state: session.optimizer.getState(),
    weightsParam,
    biasParam,
    parameterCount: params.length,
    dropout,
    // Max-norm follows the update of a training step; a single example's preview shows the plain update.
    maxNorm: batch ? session.config.maxNorm : 0,
  });
  return {
    event: {
      type: 'step-explanation',
      id: cmd.id,
      generation,
      step: session.step,
      source: src.kind,
      explanation,
    },
  };
}
