/**
 * Whether a (well-formed) model file fits the data it will meet: `parseModel` checks the file against
 * itself; this checks it against the dataset — and that its weights are numbers a network can train from.
 *
 * - The input size must be the dataset's pixels per image, the output size its number of classes (a
 *   5-output model on 10-class data would show 5 of 10 bars, and the first label ≥ 5 would fail training).
 * - Every weight and bias must be finite and at most {@link MAX_MODEL_WEIGHT} in magnitude.
 */
import { ModelFileError, type ParsedModel } from './modelFormat.ts';

/**
 * The largest |weight| or |bias| a loaded model may have. Why 1e4: a network this app trains keeps its
 * weights below ~10 (He init for 784 inputs is ±0.2, uniform(0, 1) at most 1, a trained MNIST MLP stays
 * under ~5), so 1e4 leaves three orders of magnitude for unusual but honest files. Beyond it nothing
 * useful is left: with 784 inputs in 0..1 one such weight row gives pre-activations up to ~8e6, two
 * layers ~1e14, and the float32 softmax, loss and gradients overflow at the first step ("blows up at
 * step 0" — a file of 3e38 weights did exactly that).
 */
export const MAX_MODEL_WEIGHT = 1e4;

/** What a model must fit: the dataset's pixels per image and its number of classes. */
export interface ModelTarget {
  inputSize: number;
  classes: number;
  /** For the messages: "MNIST". */
  dataset?: string;
}

/** Index of the first value that is not finite or has |v| > max, or −1. */
function firstOutOfRange(values: Float32Array, max: number): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    // Written so that NaN fails too.
    if (!(v <= max && v >= -max)) return i;
  }
  return -1;
}

/** Throws a {@link ModelFileError} naming the field when `model` does not fit `target`; returns it otherwise. */
export function checkModelFits(model: ParsedModel, target: ModelTarget): ParsedModel {
  const { inputSize, outputSize } = model.config;
  const data = target.dataset ?? 'the dataset';
  if (inputSize !== target.inputSize) {
    throw new ModelFileError(
      'shape-mismatch',
      'config.inputSize',
      `the model expects ${inputSize} inputs, ${data}’s images have ${target.inputSize} pixels`,
    );
  }
  if (outputSize !== target.classes) {
    throw new ModelFileError(
      'shape-mismatch',
      'config.outputSize',
      `the model has ${outputSize} outputs, ${data} has ${target.classes} classes — it was made for other data`,
    );
  }
  const check = (values: Float32Array, path: string) => {
    const i = firstOutOfRange(values, MAX_MODEL_WEIGHT);
    if (i < 0) return;
    const v = values[i]!;
    throw new ModelFileError(
      Number.isFinite(v) ? 'out-of-range' : 'non-finite',
      path,
      Number.isFinite(v)
        ? `value [${i}] is ${v.toPrecision(3)}; weights beyond ±${MAX_MODEL_WEIGHT} overflow at the first ` +
            'step (a trained network’s stay below ~10) — this model has blown up'
        : `value [${i}] is ${v}; weights must be finite numbers`,
    );
  };
  model.params.weights.forEach((w, l) => check(w, `layers[${l}].weights`));
  model.params.biases.forEach((b, l) => check(b, `layers[${l}].biases`));
  return model;
}
