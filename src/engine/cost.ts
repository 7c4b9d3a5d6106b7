/**
 * What a configuration costs before it is built: parameters, FLOPs, memory and time — pure maths, no
 * measurement here. The page shows these beside the controls, the worker refuses what is over its budget,
 * and `npm run train -- --dry-run` prints them.
 *
 * Memory mirrors the engine's actual allocations, buffer by buffer (a unit test walks a built
 * TrainingSession's object graph and compares):
 * - network.ts, per layer: weights [out, in] + biases [out] and their gradient twins (float32);
 *   outs[l] and deltas[l] [maxBatch, out] (float32); logits [maxBatch, outputSize] (float32);
 *   logSumExp [maxBatch] (float64);
 * - kernels/layerProducts.ts, the first layer's sparse-input index buffers: rowNonzeros [maxBatch, in] and
 *   deltaNonzeros [maxBatch, out1] (uint16), blockRows [⌈in/4⌉, maxBatch] (uint16), three int32 counts
 *   ([maxBatch], [⌈in/4⌉], [maxBatch]), rowNonzeroValues and packedInput [maxBatch, in] (float32);
 * - optimizer.ts: one float32 slot per parameter for momentum (v), two for Adam (m, v), none for SGD;
 * - training/session.ts: the micro-batch buffers x [microCapacity, in] (float32) and y [microCapacity]
 *   (uint8), and the epoch's order [trainCount] (uint32). The session builds its network with
 *   maxBatch = max(microCapacity, EVAL_BATCH) (engine/stepPlan.ts: a batch of 60,000 is trained as
 *   micro-batches, so it costs little more than one of a thousand: one more gradient buffer, the sum).
 * Besides the engine: the dataset's bytes (one byte per pixel and per label), and each snapshot's copy of
 * every weight and bias on its way to the page.
 *
 * FLOPs per sample (one multiply-add = 2 FLOPs): forward 2·in·out per layer; backward 2·in·out for the
 * weight gradient (dW = dzᵀ·x) and 2·in·out for the input gradient (dx = dz·W), which the first layer never
 * computes — so backward ≈ 2× forward. Plus the optimizer's per-batch pass over every parameter. The first
 * layer's sparse kernels skip zero pixels; that saving is left to the measured speed (calibration).
 */
import type { AugmentKind, OptimizerKind, TrainConfig } from './types.ts';
import { stepPlan } from './stepPlan.ts';

/** Rows the evaluation forwards at once; the session sizes the network's buffers for at least this. */
export const EVAL_BATCH = 256;

/** Optimizer state slots per parameter (optimizer.ts: momentum v; Adam m and v). */
export const OPTIMIZER_SLOTS: Readonly<Record<OptimizerKind, number>> = { sgd: 0, momentum: 1, adam: 2 };

/**
 * Approximate FLOPs of the optimizer's update per parameter per batch (read-modify-write, norms of the
 * update for the inside views; Adam's sqrt and division count as a few).
 */
export const OPTIMIZER_FLOPS_PER_PARAMETER: Readonly<Record<OptimizerKind, number>> = {
  sgd: 6,
  momentum: 8,
  adam: 20,
};

/**
 * What augmenting one training image costs, in the units flopsPerBatch counts time in. Measured with the
 * engine's Augmenter (one thread, Node, best of 12 batches of 128 MNIST images; elastic with σ 6): shift
 * 0.21 ms, affine 1.45 ms, elastic 10.8 ms, affine+elastic 10.8 ms per batch; converted at 3 GFLOP/s, one thread's
 * calibrated speed on the default network here (2-core machine, `npm run train -- --dry-run`).
 */
export const AUGMENT_FLOPS_PER_SAMPLE: Readonly<Record<AugmentKind, number>> = {
  none: 0,
  shift: 5e3,
  affine: 3.5e4,
  elastic: 2.55e5,
  'affine+elastic': 2.55e5,
};

/** The shape part of a config. */
export type CostShape = Pick<TrainConfig, 'inputSize' | 'hidden' | 'outputSize'>;
/** What the cost depends on. */
export type CostConfig = CostShape &
  Pick<TrainConfig, 'batchSize' | 'optimizer'> &
  Partial<Pick<TrainConfig, 'augment'>>;

/** [input, hidden…, output]. */
export function costSizes(c: CostShape): number[] {
  return [c.inputSize, ...c.hidden, c.outputSize];
}

/** Trainable values per weight layer, input side first: in·out weights + out biases. 784-800-10 → [628000, 8010]. */
export function layerParameters(c: CostShape): number[] {
  const s = costSizes(c);
  const out: number[] = [];
  for (let l = 0; l + 1 < s.length; l++) out.push(s[l]! * s[l + 1]! + s[l + 1]!);
  return out;
}

/** All trainable values (784-800-10: 636,010). */
export function parameterCount(c: CostShape): number {
  return layerParameters(c).reduce((a, b) => a + b, 0);
}

export interface FlopCount {
  forward: number;
  backward: number;
  /** forward + backward. */
  total: number;
}

/** FLOPs to train on one sample (see the top comment). */
export function flopsPerSample(c: CostShape): FlopCount {
  const s = costSizes(c);
  let forward = 0;
  let backward = 0;
  for (let l = 0; l + 1 < s.length; l++) {
    const macs = s[l]! * s[l + 1]!;
    forward += 2 * macs;
    backward += (l === 0 ? 2 : 4) * macs;
  }
  return { forward, backward, total: forward + backward };
}

/**
 * For time, not for counting: how much slower than average a layer's multiply-adds run here, measured with
 * the engine's kernels (bench in the commit that added this). The first layer's sparse kernels skip zero
 * pixels (MNIST: ~81 %), so its work costs about half; a weight matrix beyond the caches (over 1 M values,
 * 4 MB) streams from memory and runs about twice as slow per FLOP.
 */
export function layerTimeWeight(layer: number, inSize: number, outSize: number): number {
  if (layer === 0) return 0.55;
  return inSize * outSize > 1 << 20 ? 2.2 : 1;
}

/**
 * The work of one training batch of `batch` samples, for time: the samples' forward + backward weighted by
 * layerTimeWeight, and one optimizer step. Calibration measures FLOP/s in these units, so the weights
 * cancel out for the calibrated network and move the estimate only for networks unlike it.
 */
export function flopsPerBatch(c: CostConfig, batch = c.batchSize): number {
  const s = costSizes(c);
  let perSample = 0;
  for (let l = 0; l + 1 < s.length; l++) {
    const macs = s[l]! * s[l + 1]!;
    perSample += (l === 0 ? 4 : 6) * macs * layerTimeWeight(l, s[l]!, s[l + 1]!);
  }
  perSample += AUGMENT_FLOPS_PER_SAMPLE[c.augment ?? 'none'];
  return batch * perSample + parameterCount(c) * OPTIMIZER_FLOPS_PER_PARAMETER[c.optimizer];
}

/** Bytes by what they hold. */
export interface MemoryBreakdown {
  /** Weights and biases. */
  weights: number;
  /** Their gradient twins. */
  gradients: number;
  /** The optimizer's moments. */
  optimizer: number;
  /** Per-row buffers for maxBatch rows: outs, deltas, logits, logSumExp, the sparse indices, packed input. */
  activations: number;
  /** The session's batch buffers (x, y) and the epoch's sample order. */
  batch: number;
  /** The training and test images and labels, one byte each. */
  dataset: number;
  /** One snapshot's copy of the weights and biases (made in the worker, moved to the page). */
  snapshot: number;
}

export interface DatasetSize {
  trainCount: number;
  testCount: number;
}

/** MNIST and Fashion-MNIST. */
export const MNIST_SIZE: DatasetSize = { trainCount: 60_000, testCount: 10_000 };

/**
 * The images a run of `c` trains on (training/session.ts's split: the validation images held out, then at
 * most trainSize): an epoch's steps, and a step's rows at batch `all`.
 */
export function runSize(
  c: Partial<Pick<TrainConfig, 'trainSize' | 'validation'>>,
  base: DatasetSize = MNIST_SIZE,
): DatasetSize {
  const held = Math.max(0, Math.min(base.trainCount - 1, c.validation ?? 0));
  return {
    trainCount: Math.max(1, Math.min(base.trainCount - held, c.trainSize ?? Infinity)),
    testCount: base.testCount,
  };
}

export interface MemoryEstimate {
  breakdown: MemoryBreakdown;
  /** What a TrainingSession allocates: weights + gradients + optimizer + activations + batch. */
  sessionBytes: number;
  /** Everything the run needs: the session, the dataset and a snapshot. */
  totalBytes: number;
}

/** A Network's buffers for `rows` rows: outs and deltas, logits, log-sum-exp, the sparse first layer's indices. */
function activationBytes(s: readonly number[], outputSize: number, rows: number): number {
  const F32 = 4;
  let bytes = 0;
  for (let l = 1; l < s.length; l++) bytes += 2 * rows * s[l]! * F32; // outs + deltas
  bytes += rows * outputSize * F32 + rows * 8; // logits, logSumExp (float64)
  // The first layer's sparse-input products (layerProducts.ts).
  const inSize = s[0]!;
  const out1 = s[1]!;
  const blocks = (inSize + 3) >> 2;
  bytes +=
    rows * inSize * 2 + // rowNonzeros (uint16)
    rows * 4 + // rowNonzeroCount
    blocks * rows * 2 + // blockRows (uint16)
    blocks * 4 + // blockRowCount
    rows * out1 * 2 + // deltaNonzeros (uint16)
    rows * 4 + // deltaNonzeroCount
    rows * inSize * F32 + // rowNonzeroValues
    rows * inSize * F32; // packedInput
  return bytes;
}

/** The buffers of the sections above, in bytes. `trainCount`: samples in use (the session's order buffer). */
export function memoryEstimate(c: CostConfig, data: DatasetSize = MNIST_SIZE): MemoryEstimate {
  const s = costSizes(c);
  const params = parameterCount(c);
  const F32 = 4;
  // The step's plan: the network's own buffers, and a replica's activations and a gradient buffer for
  // every other chunk (training/parallel/computeShares.ts; one thread builds them too), and the batch's
  // sum between micro-batches when it has several.
  const plan = stepPlan(c.batchSize, params);
  const maxBatch = Math.max(plan.microCapacity, EVAL_BATCH);
  const inSize = s[0]!;
  // A thread training a batch of one micro-batch and several chunks alone adds each chunk's gradient to
  // the first's as it goes: the sparse outer-product kernel then sums the first layer's in a buffer of its
  // own (kernels/layerProducts.ts, made the first time that kernel is chosen there).
  const outerSum = plan.chunks > 1 && plan.micros === 1 ? inSize * (s[1] ?? 0) * F32 : 0;
  const activations =
    activationBytes(s, c.outputSize, maxBatch) +
    (plan.chunks - 1) * activationBytes(s, c.outputSize, plan.chunkCapacity) +
    outerSum;
  const breakdown: MemoryBreakdown = {
    weights: params * F32,
    gradients: (plan.chunks + (plan.micros > 1 ? 1 : 0)) * params * F32,
    optimizer: OPTIMIZER_SLOTS[c.optimizer] * params * F32,
    activations,
    batch: plan.microCapacity * inSize * F32 + plan.microCapacity + data.trainCount * 4,
    dataset: (data.trainCount + data.testCount) * (inSize + 1),
    snapshot: params * F32,
  };
  const sessionBytes =
    breakdown.weights + breakdown.gradients + breakdown.optimizer + breakdown.activations + breakdown.batch;
  return { breakdown, sessionBytes, totalBytes: sessionBytes + breakdown.dataset + breakdown.snapshot };
}

export interface TimeEstimate {
  /** One step: a batch (the whole training split for `all`). */
  secondsPerBatch: number;
  secondsPerEpoch: number;
  batchesPerEpoch: number;
}

/** Time at a measured `flopsPerSecond` (full batches; the epoch's last batch may be smaller). */
export function timeEstimate(
  c: CostConfig,
  flopsPerSecond: number,
  trainCount = MNIST_SIZE.trainCount,
): TimeEstimate {
  // A batch larger than the split is the split (batch `all`).
  const batch = Math.min(c.batchSize, trainCount);
  const batchesPerEpoch = Math.ceil(trainCount / batch);
  const last = trainCount - (batchesPerEpoch - 1) * batch;
  c = { ...c, batchSize: batch };
  const rate = flopsPerSecond > 0 ? flopsPerSecond : NaN;
  const secondsPerBatch = flopsPerBatch(c) / rate;
  const secondsPerEpoch = ((batchesPerEpoch - 1) * flopsPerBatch(c) + flopsPerBatch(c, last)) / rate;
  return { secondsPerBatch, secondsPerEpoch, batchesPerEpoch };
}

/**
 * The engine's speed from a measured training rate of the network `c`: samples/s × FLOPs per sample (the
 * optimizer's share spread over the batch's samples).
 */
export function flopsPerSecondFrom(c: CostConfig, samplesPerSecond: number): number {
  return (samplesPerSecond * flopsPerBatch(c)) / c.batchSize;
}

// ───────────────────────────── budgets ─────────────────────────────

/**
 * A budget a configuration is judged against:
 * - memoryBytes: the most the whole run (MemoryEstimate.totalBytes) may need — the only refusal;
 * - slowSecondsPerEpoch: longer epochs are allowed, but only once the user confirms (undefined: never asks).
 * Time never refuses: a long batch is trained as micro-batches of bounded work (engine/stepPlan.ts), and
 * the trainer answers pause, predict and a rebuild between them.
 */
export interface CostBudget {
  memoryBytes: number;
  slowSecondsPerEpoch?: number;
}

const GiB = 1024 ** 3;

/**
 * The page's and the worker's memory budget. Both live in one renderer process, whose typed arrays sit
 * outside the JS heap (so `performance.memory.jsHeapSizeLimit` says nothing about them, and workers do not
 * have it): the device's memory is the only figure both can read. A quarter of it (a phone's browser kills
 * a tab well before it has all the RAM), between 0.5 and 2 GiB; 1 GiB when the browser does not say
 * (`navigator.deviceMemory` is Chromium-only, rounded down to a power of two, at most 8).
 */
export function browserMemoryBudget(deviceMemoryGb: number | undefined): number {
  if (deviceMemoryGb === undefined || !(deviceMemoryGb > 0)) return GiB;
  return Math.min(2, Math.max(0.5, deviceMemoryGb / 4)) * GiB;
}

/** Epochs longer than this ask for a confirmation first (2 minutes: a learner's patience). */
export const BROWSER_SLOW_SECONDS_PER_EPOCH = 120;

export function browserBudget(deviceMemoryGb: number | undefined): CostBudget {
  return {
    memoryBytes: browserMemoryBudget(deviceMemoryGb),
    slowSecondsPerEpoch: BROWSER_SLOW_SECONDS_PER_EPOCH,
  };
}

export interface CostReport {
  parameters: number;
  layers: number[];
  flopsPerSample: FlopCount;
  memory: MemoryEstimate;
  /** null until the engine's speed is known. */
  time: TimeEstimate | null;
}

export function costReport(c: CostConfig, flopsPerSecond: number | null, data = MNIST_SIZE): CostReport {
  return {
    parameters: parameterCount(c),
    layers: layerParameters(c),
    flopsPerSample: flopsPerSample(c),
    memory: memoryEstimate(c, data),
    time: flopsPerSecond && flopsPerSecond > 0 ? timeEstimate(c, flopsPerSecond, data.trainCount) : null,
  };
}

/**
 * ok; slow (over slowSecondsPerEpoch: build after a confirmation); over (memory over the budget: never
 * built). Without a speed, only memory can be judged: 'ok' then means "memory fits".
 */
export type Verdict =
  { kind: 'ok' } | { kind: 'slow'; reason: string } | { kind: 'over'; reason: string; memory: true };

export function judgeCost(report: CostReport, budget: CostBudget): Verdict {
  const mem = report.memory.totalBytes;
  const t = report.time;
  if (mem > budget.memoryBytes) {
    return {
      kind: 'over',
      reason: `This network needs ${formatBytes(mem)} of memory (the limit here is ${formatBytes(budget.memoryBytes)}).`,
      memory: true,
    };
  }
  if (t && budget.slowSecondsPerEpoch !== undefined && t.secondsPerEpoch > budget.slowSecondsPerEpoch) {
    return { kind: 'slow', reason: `One epoch would take about ${formatSeconds(t.secondsPerEpoch)}.` };
  }
  return { kind: 'ok' };
}

/**
 * The closest smaller configuration that is 'ok': halves the batch while the batch's share dominates
 * (activation memory over parameter memory, or a batch over 64 when the epoch is slow), else halves the
 * widest hidden layers. Returns null when even the smallest is not ok.
 */
export function suggestWithinBudget<C extends CostConfig>(
  c: C,
  flopsPerSecond: number | null,
  budget: CostBudget,
  data = MNIST_SIZE,
): C | null {
  let cand: C = { ...c, hidden: [...c.hidden] };
  for (let i = 0; i < 64; i++) {
    const report = costReport(cand, flopsPerSecond, data);
    const v = judgeCost(report, budget);
    if (v.kind === 'ok') return i === 0 ? null : cand;
    const { breakdown } = report.memory;
    const batchHeavy =
      v.kind === 'over' && v.memory
        ? breakdown.activations + breakdown.batch > breakdown.weights * 3
        : cand.batchSize > 64;
    const widest = Math.max(0, ...cand.hidden);
    if ((batchHeavy || widest <= 16) && cand.batchSize > 1) {
      cand = { ...cand, batchSize: Math.max(1, cand.batchSize >> 1) };
    } else if (widest > 1) {
      cand = { ...cand, hidden: cand.hidden.map((h) => (h === widest ? Math.max(1, h >> 1) : h)) };
    } else {
      return null;
    }
  }
  return null;
}

// ───────────────────────────── words ─────────────────────────────

/** 1.2 GB, 340 MB, 12 KB (powers of 1024, as the memory limits are). */
export function formatBytes(n: number): string {
  if (n >= GiB) return `${(n / GiB).toFixed(n >= 10 * GiB ? 0 : 1)} GB`;
  if (n >= 1024 ** 2) return `${Math.round(n / 1024 ** 2)} MB`;
  return `${Math.max(1, Math.round(n / 1024))} KB`;
}

/** 3 ms, 250 ms, 1.4 s, 12 s, 4 min, 2.5 h. */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '—';
  if (s < 1) return `${Math.max(1, Math.round(s * 1000))} ms`;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}
