/**
 * A multi-layer perceptron: dense layers, a hidden activation, softmax + cross-entropy output.
 *
 * Memory layout (convnetjs-style flat buffers, each with a gradient twin):
 * - weights [outSize, inSize] row-major: each neuron's incoming weights are contiguous, so the forward
 *   dot products and the weight-gradient tiles stream contiguous memory, and a first-layer neuron's
 *   weights are directly a 28×28 image for the visualisations.
 * - every activation / delta buffer is allocated once for up to `maxBatch` rows when the network is
 *   built; forward and backward allocate nothing.
 */
import {
  buildColumnBlockRows,
  buildRowNonzeros,
  columnSums,
  gemmAB,
  gemmABt,
  gemmAtB,
  sparseBlocksAtB,
  sparseOuterAtB,
  sparseRowsABt,
} from './kernels.ts';
import { Rng } from './rng.ts';
import { LIMITS, type Activation, type ModelConfig } from './types.ts';

export type LayerActivation = Activation | 'softmax';

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

/** Parameters as plain arrays, input side first: weights[l] is [outSize, inSize] row-major. */
export interface NetworkParams {
  weights: Float32Array[];
  biases: Float32Array[];
}

/** Leaky ReLU's slope for z < 0. */
export const LEAKY_SLOPE = 0.01;

/**
 * The first layer's forward skips zero inputs when at most this fraction of them is non-zero (measured
 * break-even of sparseRowsABt vs gemmABt for 784→128 at batch 64: ~0.5; MNIST is ~0.19).
 */
export const SPARSE_FORWARD_MAX_DENSITY = 0.45;
/**
 * The first layer's weight gradient skips (sample, 4-pixel block) pairs that are all zero when at most
 * this fraction of pairs remains (the indexed tiles run nearly as fast as dense ones; MNIST: ~0.28).
 */
export const SPARSE_GRAD_MAX_BLOCK_FRACTION = 0.85;

/**
 * Relative cost of one multiply-add of sparseOuterAtB (a read-modify-write of memory) to one of the
 * register-tiled kernels: measured ~2.7 on 784→128 at batch 64 over MNIST pixels, with dz 35 % and 50 %
 * zeros (break-even near 45 % zeros; a trained ReLU layer here has 30–50 %). The first layer's weight
 * gradient uses the outer-product form when its work × this factor is the smallest.
 */
export const SCATTER_COST = 2.75;

/** Which first-layer kernels the last forward / backward chose (for benchmarks and tests). */
export interface FirstLayerKernels {
  forward: 'dense' | 'sparse-rows';
  weightGrad: 'dense' | 'sparse-blocks' | 'sparse-outer';
}

/** Default row capacity of the activation buffers. */
export const DEFAULT_MAX_BATCH = 1024;

/** Layer sizes input side first: [inputSize, ...hidden, outputSize]. */
export function layerSizes(config: ModelConfig): number[] {
  return [config.inputSize, ...config.hidden, config.outputSize];
}

function isSize(v: unknown, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max;
}

/**
 * Throws an Error with a readable message when the shape part of a config is not buildable within
 * LIMITS. Shared by Network.create, the model-file loader and the CLI.
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
  if (!['relu', 'leaky-relu', 'sigmoid', 'tanh'].includes(config.activation)) {
    throw new Error(`unknown activation "${String(config.activation)}"`);
  }
  if (!['he', 'xavier', 'uniform'].includes(config.init)) {
    throw new Error(`unknown init "${String(config.init)}"`);
  }
  if (typeof config.seed !== 'number' || !Number.isFinite(config.seed)) {
    throw new Error(`seed must be a finite number, got ${config.seed}`);
  }
}

/** a ← f(a) in place over the first `len` values. */
function activate(a: Float32Array, len: number, act: Activation): void {
  switch (act) {
    case 'relu':
      for (let i = 0; i < len; i++) {
        const v = a[i]!;
        if (v < 0) a[i] = 0;
      }
      break;
    case 'leaky-relu':
      for (let i = 0; i < len; i++) {
        const v = a[i]!;
        if (v < 0) a[i] = v * LEAKY_SLOPE;
      }
      break;
    case 'sigmoid':
      // 1/(1+e^−z): e^−z overflows to Infinity for z < −710 and the result is then exactly 0 — no NaN.
      for (let i = 0; i < len; i++) a[i] = 1 / (1 + Math.exp(-a[i]!));
      break;
    case 'tanh':
      for (let i = 0; i < len; i++) a[i] = Math.tanh(a[i]!);
      break;
  }
}

/**
 * d ← d ⊙ f′(z), with f′ written in terms of the stored output a = f(z), so z need not be kept:
 * relu: [a > 0]; leaky: a > 0 ? 1 : 0.01; sigmoid: a(1 − a); tanh: 1 − a².
 */
function multiplyByDerivative(d: Float32Array, a: Float32Array, len: number, act: Activation): void {
  switch (act) {
    case 'relu':
      for (let i = 0; i < len; i++) if (!(a[i]! > 0)) d[i] = 0;
      break;
    case 'leaky-relu':
      for (let i = 0; i < len; i++) if (!(a[i]! > 0)) d[i] = d[i]! * LEAKY_SLOPE;
      break;
    case 'sigmoid':
      for (let i = 0; i < len; i++) {
        const v = a[i]!;
        d[i] = d[i]! * v * (1 - v);
      }
      break;
    case 'tanh':
      for (let i = 0; i < len; i++) {
        const v = a[i]!;
        d[i] = d[i]! * (1 - v * v);
      }
      break;
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
  ) {
    this.weights = new Float32Array(inSize * outSize);
    this.biases = new Float32Array(outSize);
    this.gradWeights = new Float32Array(inSize * outSize);
    this.gradBiases = new Float32Array(outSize);
  }
}

/**
 * Fills weights from the config's seed (layers in order, each matrix in row-major order) and zeroes
 * biases: he N(0, 2/fan_in); xavier U(±sqrt(6/(fan_in+fan_out))); uniform U(0, 1).
 */
function initialise(layers: readonly Layer[], config: ModelConfig): void {
  const rng = new Rng(config.seed);
  for (const layer of layers) {
    const w = layer.weights;
    const fanIn = layer.inSize;
    const fanOut = layer.outSize;
    switch (config.init) {
      case 'he': {
        const std = Math.sqrt(2 / fanIn);
        for (let i = 0; i < w.length; i++) w[i] = rng.normal() * std;
        break;
      }
      case 'xavier': {
        const limit = Math.sqrt(6 / (fanIn + fanOut));
        for (let i = 0; i < w.length; i++) w[i] = (2 * rng.next() - 1) * limit;
        break;
      }
      case 'uniform':
        for (let i = 0; i < w.length; i++) w[i] = rng.next();
        break;
    }
    layer.biases.fill(0);
    layer.gradWeights.fill(0);
    layer.gradBiases.fill(0);
  }
}

export class Network {
  readonly config: ModelConfig;
  readonly layers: readonly DenseLayer[];
  /** Row capacity of every internal buffer: forward accepts 1 ≤ batch ≤ maxBatch. */
  readonly maxBatch: number;

  private readonly layerImpl: Layer[];
  /** outs[l]: layer l's output [maxBatch, outSize_l]: post-activation for hidden layers, probabilities last. */
  private readonly outs: Float32Array[];
  /** The output layer's pre-softmax values [maxBatch, outputSize]. */
  private readonly logits: Float32Array;
  /** log Σ_j exp(z_j) per row of the last forward, float64 for a stable cross-entropy. */
  private readonly logSumExp: Float64Array;
  /** deltas[l]: dL/dz of layer l [maxBatch, outSize_l]. */
  private readonly deltas: Float32Array[];
  /** First-layer sparsity index of the last forward input: non-zero columns per row (buildRowNonzeros). */
  private readonly rowNonzeros: Uint16Array;
  private readonly rowNonzeroCount: Int32Array;
  /** Rows with a non-zero per 4-column block of the input (buildColumnBlockRows), built in backward. */
  private readonly blockRows: Uint16Array;
  private readonly blockRowCount: Int32Array;
  /** Non-zeros of the first layer's dz per row, and scratch for the packed input values (sparseOuterAtB). */
  private readonly deltaNonzeros: Uint16Array;
  private readonly deltaNonzeroCount: Int32Array;
  private readonly packedInput: Float32Array;
  private kernelChoice: FirstLayerKernels = { forward: 'dense', weightGrad: 'dense' };
  private lastInput: Float32Array | null = null;
  private lastBatch = 0;
  /** Views for the last batch size, cached so steady-state forward passes allocate nothing. */
  private viewBatch = -1;
  private views: Float32Array[] = [];
  private viewInput: Float32Array | null = null;

  private constructor(config: ModelConfig, maxBatch: number) {
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
    const layers: Layer[] = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const last = l + 2 === sizes.length;
      layers.push(new Layer(sizes[l]!, sizes[l + 1]!, last ? 'softmax' : config.activation));
    }
    this.layerImpl = layers;
    this.layers = layers;
    this.outs = layers.map((layer) => new Float32Array(maxBatch * layer.outSize));
    this.deltas = layers.map((layer) => new Float32Array(maxBatch * layer.outSize));
    this.logits = new Float32Array(maxBatch * config.outputSize);
    this.logSumExp = new Float64Array(maxBatch);
    const blocks = (config.inputSize + 3) >> 2;
    // The sparse indices are Uint16 (half the memory of Int32): column, row and unit indices must stay
    // below 65 536, which LIMITS guarantees (maxInputSize, maxBatchSize, maxLayerSize).
    if (config.inputSize > 65_536 || maxBatch > 65_536 || layers[0]!.outSize > 65_536) {
      throw new Error('Network: sizes above 65 536 need wider sparse indices');
    }
    this.rowNonzeros = new Uint16Array(maxBatch * config.inputSize);
    this.rowNonzeroCount = new Int32Array(maxBatch);
    this.blockRows = new Uint16Array(blocks * maxBatch);
    this.blockRowCount = new Int32Array(blocks);
    this.deltaNonzeros = new Uint16Array(maxBatch * layers[0]!.outSize);
    this.deltaNonzeroCount = new Int32Array(maxBatch);
    this.packedInput = new Float32Array(maxBatch * config.inputSize);
    initialise(layers, this.config);
  }

  /** Builds and initialises from config.seed; all buffers for up to maxBatch rows allocated once here. */
  static create(config: ModelConfig, maxBatch: number = DEFAULT_MAX_BATCH): Network {
    validateModelConfig(config);
    if (!isSize(maxBatch, LIMITS.maxBatchSize)) {
      throw new Error(`maxBatch must be an integer from 1 to ${LIMITS.maxBatchSize}, got ${maxBatch}`);
    }
    return new Network(config, maxBatch);
  }

  /** Back to the seeded initial weights of `config.seed` (bit-identical to a freshly created network). */
  reinitialise(): void {
    initialise(this.layerImpl, this.config);
    this.lastInput = null;
    this.lastBatch = 0;
  }

  /** Total number of trainable values (weights + biases). */
  parameterCount(): number {
    let n = 0;
    for (const layer of this.layers) n += layer.weights.length + layer.biases.length;
    return n;
  }

  /** The first-layer kernels chosen by the last forward and backward (a copy). */
  firstLayerKernels(): FirstLayerKernels {
    return { ...this.kernelChoice };
  }

  /** Rows in the last forward (0 before any). */
  get batch(): number {
    return this.lastBatch;
  }

  /**
   * @param x [batch, inputSize] row-major, pixels as 0..1 floats. Kept by reference until the next
   *   forward (backward reads it), so do not modify it in between.
   * @returns probabilities [batch, outputSize], a view into an internal buffer valid until the next
   *   forward. No allocation (views are cached per batch size).
   */
  forward(x: Float32Array, batch: number): Float32Array {
    if (!Number.isInteger(batch) || batch < 1 || batch > this.maxBatch) {
      throw new RangeError(`batch must be an integer from 1 to ${this.maxBatch}, got ${batch}`);
    }
    const inputSize = this.config.inputSize;
    if (x.length < batch * inputSize) {
      throw new RangeError(`input holds ${x.length} values, need ${batch}×${inputSize}`);
    }
    const layers = this.layerImpl;
    const last = layers.length - 1;
    let input = x;
    for (let l = 0; l <= last; l++) {
      const layer = layers[l]!;
      const out = l === last ? this.logits : this.outs[l]!;
      if (l === 0) this.forwardFirst(x, batch, out);
      else gemmABt(input, layer.weights, out, batch, layer.outSize, layer.inSize, layer.biases);
      if (l !== last) activate(out, batch * layer.outSize, this.config.activation);
      input = out;
    }
    this.softmax(batch);
    this.lastInput = x;
    this.lastBatch = batch;
    this.ensureViews(batch, x);
    return this.views[this.views.length - 1]!;
  }

  /** The first layer: skip zero inputs when they are the majority (MNIST), else the dense kernel. */
  private forwardFirst(x: Float32Array, batch: number, out: Float32Array): void {
    const layer = this.layerImpl[0]!;
    const k = layer.inSize;
    const nz = buildRowNonzeros(x, batch, k, this.rowNonzeros, this.rowNonzeroCount);
    this.kernelChoice.forward = nz <= SPARSE_FORWARD_MAX_DENSITY * batch * k ? 'sparse-rows' : 'dense';
    if (this.kernelChoice.forward === 'sparse-rows') {
      sparseRowsABt(
        x,
        this.rowNonzeros,
        this.rowNonzeroCount,
        layer.weights,
        out,
        batch,
        layer.outSize,
        k,
        layer.biases,
      );
    } else {
      gemmABt(x, layer.weights, out, batch, layer.outSize, k, layer.biases);
    }
  }

  /**
   * The first layer's weight gradient dzᵀ·x by the cheapest of three kernels, chosen per batch by counting
   * the work each would do: dense tiles (gemmAtB); tiles over the samples whose 4-pixel block is non-zero
   * (sparseBlocksAtB); or sparse outer products of each sample's non-zero dz (ReLU) and non-zero pixels
   * (sparseOuterAtB). The input's row index is still the one forward built for `lastInput`.
   */
  private weightGradFirst(d: Float32Array, batch: number): void {
    const layer = this.layerImpl[0]!;
    const x = this.lastInput!;
    const k = layer.inSize;
    const m = layer.outSize;
    buildRowNonzeros(d, batch, m, this.deltaNonzeros, this.deltaNonzeroCount);
    let outerWork = 0;
    for (let b = 0; b < batch; b++) outerWork += this.deltaNonzeroCount[b]! * this.rowNonzeroCount[b]!;
    const pairs = buildColumnBlockRows(x, batch, k, this.blockRows, this.blockRowCount);
    const denseWork = batch * k * m;
    const blockWork =
      pairs <= SPARSE_GRAD_MAX_BLOCK_FRACTION * batch * ((k + 3) >> 2) ? pairs * 4 * m : Infinity;
    if (outerWork * SCATTER_COST < Math.min(denseWork, blockWork)) {
      this.kernelChoice.weightGrad = 'sparse-outer';
      sparseOuterAtB(
        d,
        this.deltaNonzeros,
        this.deltaNonzeroCount,
        x,
        this.rowNonzeros,
        this.rowNonzeroCount,
        this.packedInput,
        layer.gradWeights,
        batch,
        m,
        k,
      );
    } else if (blockWork < denseWork) {
      this.kernelChoice.weightGrad = 'sparse-blocks';
      sparseBlocksAtB(d, x, this.blockRows, this.blockRowCount, layer.gradWeights, batch, m, k);
    } else {
      this.kernelChoice.weightGrad = 'dense';
      gemmAtB(d, x, layer.gradWeights, batch, m, k);
    }
  }

  /** p = exp(z − lse(z)), lse(z) = m + log Σ exp(z − m), m = max z: no overflow for any finite z. */
  private softmax(batch: number): void {
    const n = this.config.outputSize;
    const z = this.logits;
    const p = this.outs[this.outs.length - 1]!;
    const lse = this.logSumExp;
    for (let b = 0, o = 0; b < batch; b++, o += n) {
      let m = -Infinity;
      for (let j = 0; j < n; j++) {
        const v = z[o + j]!;
        if (v > m) m = v;
      }
      let s = 0;
      for (let j = 0; j < n; j++) s += Math.exp(z[o + j]! - m);
      const l = m + Math.log(s);
      lse[b] = l;
      for (let j = 0; j < n; j++) p[o + j] = Math.exp(z[o + j]! - l);
    }
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
   * Logits (pre-softmax output) of the last forward, [batch, outputSize] — a view, valid until the next
   * forward.
   */
  lastLogits(): Float32Array {
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
    const n = this.config.outputSize;
    const z = this.logits;
    let sum = 0;
    for (let b = 0; b < batch; b++) {
      const y = labels[b]!;
      if (y >= n) throw new RangeError(`label ${y} out of range for ${n} classes`);
      sum += this.logSumExp[b]! - z[b * n + y]!;
    }
    return sum / batch;
  }

  /**
   * Mean cross-entropy over the batch of the last forward; gradients into grad*:
   * dL/dz = (p − onehot(y)) / batch at the output, back through each layer (dL/dW = dzᵀ·x, dL/db = Σ_b dz,
   * dL/dx = dz·W, dL/dz_prev = dL/dx ⊙ f′), plus λ·W on weights when l2 > 0 (not biases). The first
   * layer's input gradient is never computed (nothing upstream needs it).
   * @returns the mean data loss (without the λ/2·Σw² term).
   */
  backward(labels: Uint8Array, l2: number): number {
    const loss = this.dataLoss(labels);
    const batch = this.lastBatch;
    const layers = this.layerImpl;
    const last = layers.length - 1;
    const n = this.config.outputSize;
    const p = this.outs[last]!;
    const dOut = this.deltas[last]!;
    const inv = 1 / batch;
    for (let b = 0, o = 0; b < batch; b++, o += n) {
      for (let j = 0; j < n; j++) dOut[o + j] = p[o + j]! * inv;
      dOut[o + labels[b]!] = (p[o + labels[b]!]! - 1) * inv;
    }
    for (let l = last; l >= 0; l--) {
      const layer = layers[l]!;
      const d = this.deltas[l]!;
      if (l === 0) this.weightGradFirst(d, batch);
      else gemmAtB(d, this.outs[l - 1]!, layer.gradWeights, batch, layer.outSize, layer.inSize);
      columnSums(d, layer.gradBiases, batch, layer.outSize);
      if (l2 > 0) {
        const gw = layer.gradWeights;
        const w = layer.weights;
        for (let i = 0; i < gw.length; i++) gw[i] = gw[i]! + l2 * w[i]!;
      }
      if (l > 0) {
        const dPrev = this.deltas[l - 1]!;
        gemmAB(d, layer.weights, dPrev, batch, layer.outSize, layer.inSize);
        multiplyByDerivative(dPrev, this.outs[l - 1]!, batch * layer.inSize, this.config.activation);
      }
    }
    return loss;
  }

  /** One sample (length inputSize) → copies: probabilities and every layer's activations (as layerOutputs). */
  predict(x: Float32Array): { probabilities: Float32Array; activations: Float32Array[] } {
    if (x.length !== this.config.inputSize) {
      throw new RangeError(`predict: expected ${this.config.inputSize} values, got ${x.length}`);
    }
    this.forward(x, 1);
    const activations = this.views.map((v) => v.slice());
    return { probabilities: activations[activations.length - 1]!.slice(), activations };
  }

  /** Σ w² over all weight matrices (for the L2 term / stats). Biases excluded, as in the L2 penalty. */
  weightSquaredSum(): number {
    let s = 0;
    for (const layer of this.layers) {
      const w = layer.weights;
      for (let i = 0; i < w.length; i++) s += w[i]! * w[i]!;
    }
    return s;
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
