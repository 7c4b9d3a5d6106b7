/**
 * A multi-layer perceptron: dense layers, a hidden activation, softmax + cross-entropy output.
 *
 * Memory layout (convnetjs-style flat buffers, each with a gradient twin):
 * - weights [outSize, inSize] row-major: each neuron's incoming weights are contiguous, so the forward
 *   dot products and the weight-gradient tiles stream contiguous memory, and a first-layer neuron's
 *   weights are directly a 28×28 image for the visualisations.
 * - every activation / delta buffer is allocated once for up to `maxBatch` rows when the network is
 *   built; forward and backward allocate nothing.
 *
 * The maths sits in small pieces around this file: the products (which kernel runs is decided in
 * kernels/layerProducts.ts), the activations (activations.ts), softmax and the loss (loss.ts), the
 * initialisation (init.ts). The optimizers see the network as a list of parameters (`parameters`).
 */
import { ACTIVATION_TABLE, type LayerActivation } from './activations.ts';
import { initialiseLayers } from './init.ts';
import { columnSums, gemmAB } from './kernels/dense.ts';
import {
  DenseProducts,
  SparseInputProducts,
  type FirstLayerKernels,
  type LayerProducts,
} from './kernels/layerProducts.ts';
import { applyMask, fillMask, INPUT_MASK_LAYER, type TrainingNoise } from './dropout.ts';
import { crossEntropy, crossEntropyGrad, softmaxRows } from './loss.ts';
import { ACTIVATIONS, INITS, LIMITS, type ModelConfig } from './types.ts';

export interface DenseLayer {
  readonly inSize: number;
  readonly outSize: number;
  /** Hidden layers use the config's activation; the last layer is 'softmax'. */
  readonly activation: LayerActivation;
  /** [outSize, inSize] row-major: each neuron's incoming weights contiguous. */
  readonly weights: Float32Array;
  /** [outSize] */
  readonly biases: Float32Array;
  /** Same shape as weights: dL/dW of the last backward (including λ·W when l2 > 0). */
  readonly gradWeights: Float32Array;
  /** [outSize]: dL/db of the last backward. */
  readonly gradBiases: Float32Array;
}

/**
 * One trainable tensor with its gradient twin, as the optimizers see the network. The buffers are the
 * layer's own (not copies), so an update through `value` is an update of the network.
 */
export interface Parameter {
  /** For messages: 'layer 1 weights', 'layer 1 biases', … */
  readonly name: string;
  /** The layer it belongs to, input side first. */
  readonly layer: number;
  readonly kind: 'weights' | 'biases';
  readonly value: Float32Array;
  /** dL/d(value) of the last backward, same length as value. */
  readonly grad: Float32Array;
  /** Whether L2 applies: weights yes, biases no. */
  readonly decay: boolean;
}

/** Parameters as plain arrays, input side first: weights[l] is [outSize, inSize] row-major. */
export interface NetworkParams {
  weights: Float32Array[];
  biases: Float32Array[];
}

/**
 * Where a network keeps its parameters, when the caller provides the memory (data-parallel training: the
 * weights live in one SharedArrayBuffer every compute worker reads). `values` and `grads` each hold every
 * parameter back to back in `parameters` order ({@link parameterCountOf} floats).
 */
export interface ParameterMemory {
  values: Float32Array;
  grads: Float32Array;
  /** False for a replica over weights another network already initialised (they are left as they are). */
  initialise: boolean;
}

/**
 * Adds λ·w to the gradient of every decayed parameter (weights, not biases): d(λ/2·Σw²)/dw = λw. With
 * `lo`, `hi`: only the flat indices [lo, hi) of the parameters laid back to back in list order (one
 * thread's slice of a data-parallel step).
 */
export function addWeightDecay(parameters: readonly Parameter[], l2: number, lo = 0, hi = Infinity): void {
  if (!(l2 > 0)) return;
  let offset = 0;
  for (const p of parameters) {
    const g = p.grad;
    const w = p.value;
    const from = Math.max(lo - offset, 0);
    const to = Math.min(hi - offset, g.length);
    offset += g.length;
    if (!p.decay) continue;
    for (let i = from; i < to; i++) g[i] = g[i]! + l2 * w[i]!;
  }
}

/** Default row capacity of the activation buffers. */
export const DEFAULT_MAX_BATCH = 1024;

/** Layer sizes input side first: [inputSize, ...hidden, outputSize]. */
export function layerSizes(config: ModelConfig): number[] {
  return [config.inputSize, ...config.hidden, config.outputSize];
}

/** Weights and biases of a network of this shape, in total. */
export function parameterCountOf(config: ModelConfig): number {
  const sizes = layerSizes(config);
  let n = 0;
  for (let l = 0; l + 1 < sizes.length; l++) n += sizes[l + 1]! * (sizes[l]! + 1);
  return n;
}

function isSize(v: unknown, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max;
}

/**
 * Throws an Error with a readable message when the shape part of a config is not buildable within
 * LIMITS. Network.create runs it before allocating anything.
 */
export function validateModelConfig(config: ModelConfig): void {
  if (!isSize(config.inputSize, LIMITS.maxInputSize)) {
    throw new Error(`inputSize must be an integer from 1 to ${LIMITS.maxInputSize}, got ${config.inputSize}`);
  }
  if (!isSize(config.outputSize, LIMITS.maxOutputSize) || config.outputSize < 2) {
    throw new Error(
      `outputSize must be an integer from 2 to ${LIMITS.maxOutputSize}, got ${config.outputSize}`,
    );
  }
  if (!Array.isArray(config.hidden) || config.hidden.length > LIMITS.maxHiddenLayers) {
    throw new Error(`hidden must be a list of at most ${LIMITS.maxHiddenLayers} layer sizes`);
  }
  for (const h of config.hidden) {
    if (!isSize(h, LIMITS.maxLayerSize)) {
      throw new Error(`hidden layer sizes must be integers from 1 to ${LIMITS.maxLayerSize}, got ${h}`);
    }
  }
  if (!ACTIVATIONS.includes(config.activation)) {
    throw new Error(`unknown activation "${String(config.activation)}"`);
  }
  if (!INITS.includes(config.init)) {
    throw new Error(`unknown init "${String(config.init)}"`);
  }
  if (typeof config.seed !== 'number' || !Number.isFinite(config.seed)) {
    throw new Error(`seed must be a finite number, got ${config.seed}`);
  }
}

class Layer implements DenseLayer {
  readonly weights: Float32Array;
  readonly biases: Float32Array;
  readonly gradWeights: Float32Array;
  readonly gradBiases: Float32Array;
  constructor(
    readonly inSize: number,
    readonly outSize: number,
    readonly activation: LayerActivation,
    /** z = x·Wᵀ + b and dW = dzᵀ·x, by whichever kernels suit this layer's input. */
    readonly products: LayerProducts,
    /** Views of the caller's memory from `offset` on (weights, then biases), or null for own buffers. */
    memory: ParameterMemory | null,
    offset: number,
  ) {
    const w = inSize * outSize;
    const view = (buf: Float32Array | undefined, at: number, n: number) =>
      buf ? buf.subarray(at, at + n) : new Float32Array(n);
    this.weights = view(memory?.values, offset, w);
    this.biases = view(memory?.values, offset + w, outSize);
    this.gradWeights = view(memory?.grads, offset, w);
    this.gradBiases = view(memory?.grads, offset + w, outSize);
  }
}

export class Network {
  readonly config: ModelConfig;
  readonly layers: readonly DenseLayer[];
  /** Every trainable tensor, layer by layer (input side first), weights before biases. */
  readonly parameters: readonly Parameter[];
  /** Row capacity of every internal buffer: forward accepts 1 ≤ batch ≤ maxBatch. */
  readonly maxBatch: number;

  private readonly layerImpl: Layer[];
  /** The first layer's products: they pick dense or sparse kernels per batch (MNIST pixels are ~81 % zeros). */
  private readonly firstProducts: SparseInputProducts;
  /** outs[l]: layer l's output [maxBatch, outSize_l]: post-activation for hidden layers, probabilities last. */
  private readonly outs: Float32Array[];
  /** The output layer's pre-softmax values [maxBatch, outputSize]. */
  private readonly logits: Float32Array;
  /** log Σ_j exp(z_j) per row of the last forward, float64 for a stable cross-entropy. */
  private readonly logSumExp: Float64Array;
  /** deltas[l]: dL/dz of layer l [maxBatch, outSize_l]. */
  private readonly deltas: Float32Array[];
  private lastInput: Float32Array | null = null;
  private lastBatch = 0;
  /**
   * Dropout's buffers, made on the first forward that drops (a network that never drops allocates none):
   * the input's mask and masked copy; per hidden layer its mask and masked outputs (the next layer's input —
   * outs keeps the unmasked a, from which the activation's derivative is read).
   */
  private dropBuffers: {
    inputMask: Float32Array;
    input: Float32Array;
    masks: Float32Array[];
    outs: Float32Array[];
  } | null = null;
  /** The rates of the last forward (0, 0: none dropped). */
  private lastDrop = { input: 0, hidden: 0 };
  /** Views for the last batch size, cached so steady-state forward passes allocate nothing. */
  private viewBatch = -1;
  private views: Float32Array[] = [];
  private viewInput: Float32Array | null = null;

  private constructor(config: ModelConfig, maxBatch: number, memory: ParameterMemory | null) {
    this.config = {
      inputSize: config.inputSize,
      hidden: [...config.hidden],
      outputSize: config.outputSize,
      activation: config.activation,
      init: config.init,
      seed: config.seed,
    };
    this.maxBatch = maxBatch;
    const sizes = layerSizes(config);
    this.firstProducts = new SparseInputProducts(sizes[0]!, sizes[1]!, maxBatch);
    const layers: Layer[] = [];
    for (let l = 0, offset = 0; l + 1 < sizes.length; l++) {
      const [inSize, outSize] = [sizes[l]!, sizes[l + 1]!];
      const activation = l + 2 === sizes.length ? 'softmax' : config.activation;
      const products = l === 0 ? this.firstProducts : new DenseProducts(inSize, outSize);
      layers.push(new Layer(inSize, outSize, activation, products, memory, offset));
      offset += outSize * (inSize + 1);
    }
    this.layerImpl = layers;
    this.layers = layers;
    this.parameters = layers.flatMap((layer, l): Parameter[] => [
      {
        name: `layer ${l + 1} weights`,
        layer: l,
        kind: 'weights',
        value: layer.weights,
        grad: layer.gradWeights,
        decay: true,
      },
      {
        name: `layer ${l + 1} biases`,
        layer: l,
        kind: 'biases',
        value: layer.biases,
        grad: layer.gradBiases,
        decay: false,
      },
    ]);
    this.outs = layers.map((layer) => new Float32Array(maxBatch * layer.outSize));
    this.deltas = layers.map((layer) => new Float32Array(maxBatch * layer.outSize));
    this.logits = new Float32Array(maxBatch * config.outputSize);
    this.logSumExp = new Float64Array(maxBatch);
    if (memory?.initialise !== false) initialiseLayers(layers, this.config.init, this.config.seed);
  }

  /**
   * Builds and initialises from config.seed; all buffers for up to maxBatch rows allocated once here.
   * With `memory`, the parameters and their gradients live in the caller's buffers (see ParameterMemory).
   */
  static create(
    config: ModelConfig,
    maxBatch: number = DEFAULT_MAX_BATCH,
    memory?: ParameterMemory,
  ): Network {
    validateModelConfig(config);
    if (!isSize(maxBatch, LIMITS.maxBatchSize)) {
      throw new Error(`maxBatch must be an integer from 1 to ${LIMITS.maxBatchSize}, got ${maxBatch}`);
    }
    if (memory) {
      const n = parameterCountOf(config);
      if (memory.values.length !== n || memory.grads.length !== n) {
        throw new Error(`parameter memory must hold ${n} values and ${n} gradients`);
      }
    }
    return new Network(config, maxBatch, memory ?? null);
  }

  /** Back to the seeded initial weights of `config.seed` (bit-identical to a freshly created network). */
  reinitialise(): void {
    initialiseLayers(this.layerImpl, this.config.init, this.config.seed);
    this.lastInput = null;
    this.lastBatch = 0;
  }

  /** Total number of trainable values (weights + biases). */
  parameterCount(): number {
    let n = 0;
    for (const p of this.parameters) n += p.value.length;
    return n;
  }

  /** The first-layer kernels chosen by the last forward and backward (a copy). */
  firstLayerKernels(): FirstLayerKernels {
    return { ...this.firstProducts.choice };
  }

  /**
   * Layer by layer: z = x·Wᵀ + b, then a = f(z) for hidden layers; p = softmax(z) at the output.
   * @param x [batch, inputSize] row-major, pixels as 0..1 floats. Kept by reference until the next
   *   forward (backward reads it), so do not modify it in between.
   * @param noise training only: dropout keyed by the rows' positions (engine/dropout.ts); never at
   *   evaluation or predict. layerOutputs stays the unmasked activations.
   * @returns probabilities [batch, outputSize], a view into an internal buffer valid until the next
   *   forward. No allocation (views are cached per batch size; dropout's buffers once).
   */
  forward(x: Float32Array, batch: number, noise?: TrainingNoise | null): Float32Array {
    if (!Number.isInteger(batch) || batch < 1 || batch > this.maxBatch) {
      throw new RangeError(`batch must be an integer from 1 to ${this.maxBatch}, got ${batch}`);
    }
    const inputSize = this.config.inputSize;
    if (x.length < batch * inputSize) {
      throw new RangeError(`input holds ${x.length} values, need ${batch}×${inputSize}`);
    }
    const f = ACTIVATION_TABLE[this.config.activation];
    const layers = this.layerImpl;
    const last = layers.length - 1;
    const dropIn = noise?.inputDropout ?? 0;
    const dropHidden = last > 0 ? (noise?.dropout ?? 0) : 0;
    this.lastDrop = { input: dropIn, hidden: dropHidden };
    const drop = dropIn > 0 || dropHidden > 0 ? this.dropBuffersFor() : null;
    let input = x;
    if (drop && dropIn > 0) {
      fillMask(drop.inputMask, batch, inputSize, dropIn, noise!, INPUT_MASK_LAYER);
      applyMask(x, drop.inputMask, drop.input, batch * inputSize);
      input = drop.input;
    }
    for (let l = 0; l <= last; l++) {
      const layer = layers[l]!;
      const z = l === last ? this.logits : this.outs[l]!;
      layer.products.forward(input, layer.weights, layer.biases, z, batch); // z = x·Wᵀ + b
      input = z;
      if (l === last) break;
      f.apply(z, batch * layer.outSize); // a = f(z), in place
      if (drop && dropHidden > 0) {
        fillMask(drop.masks[l]!, batch, layer.outSize, dropHidden, noise!, l + 1);
        applyMask(z, drop.masks[l]!, drop.outs[l]!, batch * layer.outSize);
        input = drop.outs[l]!;
      }
    }
    softmaxRows(this.logits, this.outs[last]!, this.logSumExp, batch, this.config.outputSize);
    this.lastInput = x;
    this.lastBatch = batch;
    this.ensureViews(batch, x);
    return this.views[this.views.length - 1]!;
  }

  private dropBuffersFor(): NonNullable<Network['dropBuffers']> {
    if (!this.dropBuffers) {
      const n = this.maxBatch;
      const hidden = this.layerImpl.slice(0, -1);
      this.dropBuffers = {
        inputMask: new Float32Array(n * this.config.inputSize),
        input: new Float32Array(n * this.config.inputSize),
        masks: hidden.map((layer) => new Float32Array(n * layer.outSize)),
        outs: hidden.map((layer) => new Float32Array(n * layer.outSize)),
      };
    }
    return this.dropBuffers;
  }

  /**
   * After a training forward that dropped: the masks it applied, [input, hidden 1, …] (each [batch, size],
   * 0 = dropped, 1/(1 − p) = kept), null for a layer not dropped. For tests and One step.
   */
  lastMasks(): (Float32Array | null)[] {
    const d = this.dropBuffers;
    const b = this.lastBatch;
    const hidden = this.layerImpl.slice(0, -1);
    return [
      d && this.lastDrop.input > 0 ? d.inputMask.subarray(0, b * this.config.inputSize) : null,
      ...hidden.map((layer, l) =>
        d && this.lastDrop.hidden > 0 ? d.masks[l]!.subarray(0, b * layer.outSize) : null,
      ),
    ];
  }

  private ensureViews(batch: number, x: Float32Array): void {
    if (this.viewBatch === batch && this.viewInput === x) return;
    this.views = [
      x.subarray(0, batch * this.config.inputSize),
      ...this.layerImpl.map((layer, l) => this.outs[l]!.subarray(0, batch * layer.outSize)),
    ];
    this.viewBatch = batch;
    this.viewInput = x;
  }

  /**
   * After forward: views of every layer's outputs [input, hidden1 (post-activation), …, probabilities],
   * each [batch, size]. Valid until the next forward.
   */
  layerOutputs(): readonly Float32Array[] {
    if (this.lastBatch === 0) throw new Error('layerOutputs: call forward first');
    return this.views;
  }

  /**
   * After forward: the output layer's logits z = a·Wᵀ + b (before softmax) [batch, outputSize], a view valid
   * until the next forward — the representation map's "output" layer.
   */
  lastLogits(): Float32Array {
    if (this.lastBatch === 0) throw new Error('lastLogits: call forward first');
    return this.logits.subarray(0, this.lastBatch * this.config.outputSize);
  }

  /**
   * Mean cross-entropy of the last forward: (1/B) Σ_b (lse(z_b) − z_b[y_b]), computed from the logits so
   * it stays finite when a probability underflows float32. No gradients.
   * @param labels [batch] class indices < outputSize
   */
  dataLoss(labels: Uint8Array): number {
    const batch = this.lastBatch;
    if (batch === 0) throw new Error('dataLoss: call forward first');
    if (labels.length < batch) throw new RangeError(`labels holds ${labels.length}, need ${batch}`);
    return crossEntropy(this.logits, this.logSumExp, labels, batch, this.config.outputSize);
  }

  /**
   * Mean cross-entropy over the batch of the last forward; gradients into grad*:
   * dL/dz = (p − onehot(y)) / batch at the output, back through each layer (dL/dW = dzᵀ·x, dL/db = Σ_b dz,
   * dL/dx = dz·W, dL/dz_prev = dL/dx ⊙ f′), plus λ·W on weights when l2 > 0 (not biases). The first
   * layer's input gradient is never computed (nothing upstream needs it).
   * @param normaliser the B of (p − onehot(y)) / B: by default this batch's size; a compute worker that
   *   trains a share of a larger batch passes the whole batch's size, so the shares' gradients add up to
   *   the batch's.
   * @param add the gradients are added to what the gradient buffers hold, each rounded to float32 first
   *   (kernels/dense.ts' put): the bits of computing them apart and adding them after — how a thread that
   *   trains a step's chunks alone sums them as it goes (training/parallel/computeShares.ts). No λ then.
   * @returns the mean data loss (without the λ/2·Σw² term).
   */
  backward(labels: Uint8Array, l2: number, normaliser?: number, add = false): number {
    if (add && l2 !== 0) throw new RangeError('backward: λw is added once to the sum, not with add');
    const loss = this.dataLoss(labels);
    const batch = this.lastBatch;
    const f = ACTIVATION_TABLE[this.config.activation];
    const layers = this.layerImpl;
    const last = layers.length - 1;
    crossEntropyGrad(this.outs[last]!, labels, this.deltas[last]!, batch, this.config.outputSize, normaliser);
    const drop = this.dropBuffers;
    const dropIn = drop && this.lastDrop.input > 0;
    const dropHidden = drop && this.lastDrop.hidden > 0;
    for (let l = last; l >= 0; l--) {
      const layer = layers[l]!;
      // This layer's input as the forward fed it: masked where dropout was on.
      const x =
        l === 0
          ? dropIn
            ? drop.input
            : this.lastInput!
          : dropHidden
            ? drop.outs[l - 1]!
            : this.outs[l - 1]!;
      const dz = this.deltas[l]!;
      layer.products.weightGrad(dz, x, layer.gradWeights, batch, add); // dW = dzᵀ·x
      columnSums(dz, layer.gradBiases, layer.outSize, batch, add); // db = Σ_b dz
      if (l > 0) {
        const dx = this.deltas[l - 1]!;
        gemmAB(dz, layer.weights, dx, batch, layer.inSize, layer.outSize); // dx = dz·W
        // Through the mask: a dropped unit passed nothing on, so it gets no error (δ = 0).
        if (dropHidden) applyMask(dx, drop.masks[l - 1]!, dx, batch * layer.inSize);
        f.backprop(dx, this.outs[l - 1]!, batch * layer.inSize); // dz_prev = dx ⊙ f′(a), a unmasked
      }
    }
    addWeightDecay(this.parameters, l2);
    return loss;
  }

  /** One sample (length inputSize) → copies: probabilities, every layer's activations (as layerOutputs) and the logits. */
  predict(x: Float32Array): {
    probabilities: Float32Array;
    activations: Float32Array[];
    logits: Float32Array;
  } {
    if (x.length !== this.config.inputSize) {
      throw new RangeError(`predict: expected ${this.config.inputSize} values, got ${x.length}`);
    }
    this.forward(x, 1);
    const activations = this.views.map((v) => v.slice());
    return {
      probabilities: activations[activations.length - 1]!.slice(),
      activations,
      logits: this.lastLogits().slice(),
    };
  }

  /** Deep copies, for snapshots and model files. */
  getParams(): NetworkParams {
    return {
      weights: this.layers.map((layer) => layer.weights.slice()),
      biases: this.layers.map((layer) => layer.biases.slice()),
    };
  }

  /**
   * Replaces parameters. Validates everything first (layer count, every length, every value finite)
   * and throws without changing anything when they don't fit.
   */
  setParams(p: NetworkParams): void {
    const layers = this.layers;
    if (!p || !Array.isArray(p.weights) || !Array.isArray(p.biases)) {
      throw new Error('setParams: expected { weights: Float32Array[], biases: Float32Array[] }');
    }
    if (p.weights.length !== layers.length || p.biases.length !== layers.length) {
      throw new Error(
        `setParams: expected ${layers.length} layers, got ${p.weights.length} weight and ${p.biases.length} bias arrays`,
      );
    }
    for (let l = 0; l < layers.length; l++) {
      const layer = layers[l]!;
      const w = p.weights[l];
      const b = p.biases[l];
      if (!(w instanceof Float32Array) || w.length !== layer.weights.length) {
        throw new Error(
          `setParams: layer ${l} weights must be a Float32Array of ${layer.outSize}×${layer.inSize} = ${layer.weights.length}`,
        );
      }
      if (!(b instanceof Float32Array) || b.length !== layer.biases.length) {
        throw new Error(`setParams: layer ${l} biases must be a Float32Array of ${layer.outSize}`);
      }
      for (const arr of [w, b]) {
        for (let i = 0; i < arr.length; i++) {
          if (!Number.isFinite(arr[i]!)) throw new Error(`setParams: layer ${l} holds a non-finite value`);
        }
      }
    }
    for (let l = 0; l < layers.length; l++) {
      layers[l]!.weights.set(p.weights[l]!);
      layers[l]!.biases.set(p.biases[l]!);
    }
  }
}
