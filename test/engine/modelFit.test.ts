/** checkModelFits: a parsed model against the data it will meet (sizes, weight range). */
import { describe, expect, it } from 'vitest';
import {
  checkModelFits,
  MAX_MODEL_WEIGHT,
  ModelFileError,
  type ParsedModel,
} from '../../src/engine/modelFile.ts';
import { DEFAULT_CONFIG } from '../../src/engine/types.ts';

function model(outputSize = 10, inputSize = 4, fill = 0.5): ParsedModel {
  const config = { ...DEFAULT_CONFIG, inputSize, hidden: [3], outputSize };
  return {
    config,
    params: {
      weights: [new Float32Array(inputSize * 3).fill(fill), new Float32Array(3 * outputSize).fill(fill)],
      biases: [new Float32Array(3), new Float32Array(outputSize)],
    },
  };
}

const MNIST = { inputSize: 4, classes: 10 };

function refusal(m: ParsedModel, target = MNIST): ModelFileError {
  try {
    checkModelFits(m, target);
  } catch (e) {
    expect(e).toBeInstanceOf(ModelFileError);
    return e as ModelFileError;
  }
  throw new Error('expected a refusal');
}

describe('checkModelFits', () => {
  it('accepts a model of the data’s sizes with weights up to ±MAX_MODEL_WEIGHT', () => {
    const m = model(10, 4, MAX_MODEL_WEIGHT);
    m.params.biases[1]![2] = -MAX_MODEL_WEIGHT;
    expect(checkModelFits(m, MNIST)).toBe(m);
  });

  it('refuses other output or input sizes, naming the field and both sizes', () => {
    const out = refusal(model(5));
    expect(out.kind).toBe('shape-mismatch');
    expect(out.path).toBe('config.outputSize');
    expect(out.message).toMatch(/5 outputs.*10 classes/);
    const inp = refusal(model(10, 4), { inputSize: 784, classes: 10 });
    expect(inp.path).toBe('config.inputSize');
    expect(inp.message).toMatch(/4 inputs.*784 pixels/);
  });

  it('refuses weights beyond the range, or not finite, naming the layer and the index', () => {
    const big = model();
    big.params.weights[1]![7] = 3e38;
    const e = refusal(big);
    expect(e).toMatchObject({ kind: 'out-of-range', path: 'layers[1].weights' });
    expect(e.message).toMatch(/value \[7\] is 3\.00e\+38/);
    const bias = model();
    bias.params.biases[0]![1] = -1.5e4;
    expect(refusal(bias)).toMatchObject({ kind: 'out-of-range', path: 'layers[0].biases' });
    const nan = model();
    nan.params.weights[0]![0] = NaN;
    expect(refusal(nan)).toMatchObject({ kind: 'non-finite', path: 'layers[0].weights' });
  });
});
