/**
 * Every message between the page and the training worker, in one file. It imports engine and data types
 * only: the trainer (src/training), the worker and the page (src/app, src/store, src/components) all
 * depend on it, and it depends on none of them.
 *
 * Discriminated unions on `type` (string literals), switched over exhaustively with `assertNever`, so a
 * new event type is a compile error everywhere it is not handled. Large arrays travel as Float32Array
 * copies whose buffers are transferred (the sender never reuses a transferred buffer).
 *
 * Generations: every `configure` carries a new generation id; every event produced by the network of that
 * configuration carries it back. The page drops any event whose generation is older than the current one,
 * so a snapshot from a network that was just rebuilt is never drawn.
 */
import type { DatasetName } from '../data/dataset';
import type { DataErrorData } from '../data/errors';
import type { CostBudget } from '../engine/cost';
import type { InitSpread } from '../engine/initLab';
import type { LayerHealth } from '../engine/layerHealth';
import type { ActivationStats } from '../engine/stats';
import type { StepExplanation } from '../engine/stepExplain';
import type { UnitContribution } from '../engine/trace';
import type { NetworkParams } from '../engine/network';
import type { OptimizerState } from '../engine/optimizer';
import type { Activation, AugmentKind, TrainConfig } from '../engine/types';

/** Bump when a message changes shape; the worker announces its version in `hello`. */
export const PROTOCOL_VERSION = 3;

/** Some of my digits as they cross to the worker: images [count, 784] uint8 (0 = background), labels [count]. */
export interface MyDigitsPart {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

/** Progress of the dataset download, per file, in bytes (the worker's loader reports it in this shape). */
export interface DataProgress {
  dataset: DatasetName;
  /** One entry per data file, in manifest role order (train images, train labels, test images, test labels). */
  files: { file: string; received: number; total: number }[];
}

/** A data or model error the page can show as is: `message` is plain language and names the file. */
export interface WorkerError {
  kind: string;
  file?: string;
  message: string;
}

/**
 * How fast to train: 'full' runs back-to-back time slices; a number is batches per second, slowed down so
 * a learner can follow each step.
 */
export type Speed = 'full' | number;

export type RunStatus = 'idle' | 'training' | 'paused' | 'done' | 'diverged';

/**
 * Why a run stopped by itself (src/training/stopping.ts): its epoch limit; the smoothed training loss
 * reached `untilLoss`; early stopping (the validation loss did not improve for `patience` epochs — the
 * best weights are restored); or the loss stopped being a finite number. The CLI's last `--json` line
 * says the same.
 */
export type StopReason = 'epochs' | 'loss-tolerance' | 'early-stopping' | 'diverged';
export const STOP_REASONS: readonly StopReason[] = ['epochs', 'loss-tolerance', 'early-stopping', 'diverged'];

/**
 * The worker posts a `heartbeat` this often, from its event loop (between training slices), for as long
 * as it lives — paused or not — so the page can tell a worker that is gone or hung from a quiet one.
 */
export const HEARTBEAT_MS = 1000;

/**
 * Everything needed to continue a run where it was, with the same config and data (the TrainingSession's
 * getState: position, weights, optimizer state). A few MB for the default network.
 */
export interface RunCheckpoint {
  epoch: number;
  step: number;
  batchInEpoch: number;
  params: NetworkParams;
  optimizer: OptimizerState;
}

// ───────────────────────────── page → worker ─────────────────────────────

/**
 * Not a Command: what a page may send a new training worker as its very first message, before any command,
 * to fix the engine's speed instead of letting the worker time a calibration (a test's hook, see
 * src/app/testHooks.ts). The worker starts — calibrates, or takes this figure — on its first message.
 */
export interface FixedEngineSpeed {
  type: 'fixed-engine-speed';
  flopsPerSecond: number;
}

export type Command =
  /** Fetch (or re-fetch after an error) a dataset; `baseUrl` is the data folder's parent, ending in '/'. */
  | { type: 'load-data'; dataset: DatasetName; baseUrl: string }
  /**
   * Build a fresh network for this config (the dataset stays loaded). Status returns to 'idle'. With
   * `resume` (a checkpoint of a run of this config, e.g. from a worker that died), the run continues from
   * it once the data is there; a checkpoint that does not fit is reported (`error`) and the run is fresh.
   */
  | { type: 'configure'; generation: number; config: TrainConfig; resume?: RunCheckpoint }
  | { type: 'start' }
  | { type: 'pause' }
  /** Train exactly one batch, then pause. */
  | { type: 'step' }
  /**
   * Back to the seeded initial weights of the current config. With `generation`, the worker adopts it, so
   * the page can drop the old run's events still in flight (the client always sends one).
   */
  | { type: 'reset'; generation?: number }
  /**
   * Change hyper-parameters (optimizer, learning rate, schedule, batch size, L2, epochs) of the running
   * session, keeping the weights, the optimizer's state (when the optimizer kind is unchanged) and the step
   * count. The architecture, activation, init and seed must equal the current ones (else → `error`, use
   * `configure`). Same generation: the curves continue.
   */
  | { type: 'update-config'; config: TrainConfig }
  | { type: 'set-speed'; speed: Speed }
  /** Upper bound on heavy snapshots per second (default 15). */
  | { type: 'set-snapshot-rate'; perSecond: number }
  /** The page has drawn snapshot `seq`; the worker may send the next one (back-pressure). */
  | { type: 'ack-snapshot'; seq: number }
  /** Classify one image: `pixels` is [inputSize] in 0..1, already preprocessed like MNIST. */
  | { type: 'predict'; id: number; pixels: Float32Array }
  | { type: 'save-model'; id: number }
  /** A checkpoint of the current run (the page keeps the last one to resume after a worker restart). */
  | { type: 'checkpoint'; id: number }
  | { type: 'export-tfjs'; id: number }
  /**
   * Replace the model with a saved one; a bad file is rejected and the current model stays untouched.
   * `generation` is the one the loaded model will carry (the page adopts it on `model-loaded`).
   */
  | { type: 'load-model'; id: number; generation: number; text: string }
  /**
   * The inside views are open (or closed): while on, snapshots carry each layer's activation health on
   * the stats probe (a forward of 64 training images, at most a few times a second). Closed, they cost
   * nothing.
   */
  | { type: 'set-inspect'; on: boolean }
  /**
   * The learner's own digits for the current dataset (src/data/myDigits.ts): the teach half, mixed into
   * training when config.mine > 0 (the running session takes it over: weights and position kept), and the
   * test half, evaluated after every epoch (`myDigitsAccuracy` in epoch-end). Images [count, 784] uint8.
   * Sent whenever the collection changes, and again to a new worker.
   */
  | { type: 'set-my-digits'; teach: MyDigitsPart; test: MyDigitsPart }
  /** How the network reads these digits now (the gallery's marks): answered by `my-digits-evaluation`. */
  | { type: 'evaluate-my-digits'; id: number; digits: MyDigitsPart }
  /** The init lab for the current architecture: fresh networks, one per init, no training. */
  | { type: 'init-lab'; id: number }
  /** The test images that excite unit `unit` of weight layer `layer` (0 = first hidden layer) most. */
  | { type: 'unit-images'; id: number; layer: number; unit: number }
  /**
   * Test images of the last evaluation: those of true class `trueClass` read as `predicted`, or (neither
   * given) the most confident mistakes.
   */
  | { type: 'mistakes'; id: number; trueClass?: number; predicted?: number }
  /**
   * The first `count` rows of the batch the next step trains on, as gathered and as augmented for that step
   * (the same keyed distortions, computed on a copy: training/augmentedBatch.ts).
   */
  | { type: 'augmented-batch'; id: number; count: number }
  /**
   * The representation map of `layer` from the current weights, computed between training slices
   * (training/backgroundWork.ts); a newer request replaces an older one still running. `withImages`: the
   * answer also carries the map's images (the page asks once per dataset). `at`: the step of a kept moment
   * to map instead of now (the timeline).
   */
  | {
      type: 'hidden-map';
      id: number;
      layer: MapLayer;
      withImages: boolean;
      at?: number | null;
      /** The answer also carries the layer's activations (the page's UMAP embeds them). */
      withActivations?: boolean;
    }
  /**
   * The test-set evaluation of kept moment `step` (the timeline's confusion matrix), computed between
   * training slices like the map; a newer request replaces one still running.
   */
  | { type: 'moment-eval'; id: number; step: number }
  /**
   * The loss landscape around the current weights (training/landscapeJob.ts): a `grid` × `grid` of losses on
   * the plane of the path ('auto': the kept weights' two main directions once there are ≥ 3 moments, else
   * random) or of two random filter-normalised directions, computed between training slices; progress
   * comes as loss-landscape-progress events. A newer request replaces one still running.
   */
  | { type: 'loss-landscape'; id: number; grid: number; plane: LandscapePlaneChoice }
  /**
   * The same landscape up to its grid: the plane, the path on it and the grid's α and β, with the weights,
   * the directions and the images, so the page can compute the grid's losses on threads of its own
   * (app/landscapeThreads.ts) — every core at once, none of the training worker's time.
   */
  | { type: 'landscape-plan'; id: number; grid: number; plane: LandscapePlaneChoice }
  /**
   * A kept moment of the timeline (training/moments.ts): its weights and the probe through them (as a
   * snapshot's), and, with `pixels`, the drawing's prediction by them. Answered at once; training goes on.
   */
  | { type: 'moment'; id: number; step: number; pixels: Float32Array | null }
  /** Ends the landscape in progress (its request is answered with a landscape-cancelled error). */
  | { type: 'cancel-landscape' }
  /**
   * One step of backprop for neuron `unit` of weight layer `layer`: over the next training batch (what
   * Step applies), or for one test image / the drawing (what it alone would contribute; never trained on).
   */
  | {
      type: 'explain-step';
      id: number;
      layer: number;
      unit: number;
      source:
        | { kind: 'batch' }
        | { kind: 'test'; index: number }
        | { kind: 'drawing'; pixels: Float32Array; label: number };
    };

/**
 * Which layer the representation map shows: the input pixels, hidden layer k (0 = the first hidden layer, as
 * in the unit view and One step), or the output layer's logits.
 */
export type MapLayer = 'input' | 'output' | number;

/** One representation map (training/hiddenMap.ts): a 2-D PCA of one layer's activations on the map's images. */
export interface HiddenMap {
  layer: MapLayer;
  /** Steps trained when the weights were read, and the epoch (from 0) they belong to. */
  step: number;
  epoch: number;
  /** The layer's width: the length of `mean` and of each axis. */
  size: number;
  /** The map's test images (fixed, seeded), their labels and the network's reading of each. */
  indices: Int32Array;
  labels: Uint8Array;
  predicted: Uint8Array;
  /** [count · 2] each image's place on the map. */
  coords: Float32Array;
  /** The projection, for new points such as the drawing: ((a − mean)·axes[0], (a − mean)·axes[1]). */
  mean: Float32Array;
  axes: [Float32Array, Float32Array];
  /** Variance along each axis and in all, of the layer's activations on these images. */
  variance: [number, number];
  totalVariance: number;
  /** Leave-one-out 5-nearest-neighbour accuracy in the 2-D map (engine/mapNeighbours.ts). */
  knn: number;
  /** Milliseconds of worker time the map took (its pacing on the page follows it). */
  computeMs: number;
  /** The images' pixels [count · rows · cols] bytes, when asked for (the page keeps them). */
  images?: Uint8Array;
  /** [count · size] the layer's activations of the images, when asked for (withActivations). */
  activations?: Float32Array;
  rows: number;
  cols: number;
}

export type LandscapePlaneChoice = 'auto' | 'random';

/** One loss landscape (training/landscapeJob.ts, engine/landscape.ts). */
export interface LossLandscape {
  /** 'path': the kept weights' first two principal directions (unit vectors); 'random': filter-normalised. */
  plane: 'path' | 'random';
  /** The share of the path's variance each direction holds ('path' only). */
  explained: [number, number] | null;
  /** The grid's columns (α along d₁) and rows (β along d₂); the current weights are at (0, 0). */
  alphas: Float32Array;
  betas: Float32Array;
  /** [betas.length · alphas.length] the mean cross-entropy on the landscape's training images, row = β. */
  losses: Float32Array;
  /** [2 · moments] each kept moment's (α, β) on the plane, oldest first, the current weights last. */
  path: Float32Array;
  pathSteps: Uint32Array;
  /** Steps trained when the weights were read. */
  step: number;
  /** The fixed training images the loss is measured on. */
  images: number;
  /** From the request to the answer, and the worker time the work itself took (ms). */
  elapsedMs: number;
  workMs: number;
}

/** Everything a grid thread needs (engine/landscape.ts's LandscapeGrid), and what the answer carries. */
export interface LandscapePlan extends Omit<LossLandscape, 'losses'> {
  center: NetworkParams;
  d1: NetworkParams;
  d2: NetworkParams;
  activation: Activation;
  /** [images · inputSize] the landscape's training images in [0, 1], and their labels. */
  x: Float32Array;
  labels: Uint8Array;
}

/** The next batch's first rows before and after its augmentation ("what the network trains on"). */
export interface AugmentedBatch {
  kind: AugmentKind;
  /** The batch's epoch (from 0) and the position in that epoch's order of its first row. */
  epoch: number;
  firstPosition: number;
  /** Steps trained so far: these rows are step `step + 1`'s. */
  step: number;
  /** The image's side (28 × 28 for MNIST). */
  rows: number;
  cols: number;
  labels: Uint8Array;
  /** [count · inputSize] each, in [0, 1]: as gathered, and as the step trains on them. */
  originals: Float32Array;
  augmented: Float32Array;
}

/** A test image with the network's answer (its pixels are in the answer's `pixels` buffer). */
export interface ImageItem {
  /** Index in the test split. */
  index: number;
  label: number;
  predicted: number;
  /** Probability of each class. */
  probabilities: Float32Array;
  /** The asked unit's output (unit images only). */
  activation?: number;
}

/** Why the network read a drawing the way it did (see engine/trace.ts). */
export interface PredictionExplanation {
  predicted: number;
  /** ∂(logit of the predicted class)/∂pixel, [inputSize]. */
  saliency: Float32Array;
  /** The hidden units that pushed the prediction most. */
  topUnits: UnitContribution[];
}

// ───────────────────────────── worker → page ─────────────────────────────

/** One layer's heavy data in a snapshot. Arrays are copies (transferred). */
export interface LayerSnapshot {
  inSize: number;
  outSize: number;
  activation: Activation | 'softmax';
  /** [outSize, inSize] row-major. */
  weights: Float32Array;
  biases: Float32Array;
  /** ‖dL/dW‖ of the last batch — the gradient-flow view. */
  gradNorm: number;
  weightNorm: number;
  /** ‖Δw‖ / ‖w‖ of the last update (healthy ≈ 1e-3). */
  updateRatio: number;
  /** Of this layer's outputs over the probe batch (dead ReLUs, saturation). */
  activationStats: ActivationStats;
  /**
   * While the inside views are open (set-inspect): the layer's outputs on the 64-image stats probe —
   * hidden layers a = f(z), the output layer its logits. Absent otherwise, or between health updates.
   */
  health?: LayerHealth;
}

/** The fixed probe example the diagram shows when the user is not drawing. */
export interface ProbeSnapshot {
  /** [inputSize] 0..1. */
  pixels: Float32Array;
  label: number;
  /** Every layer's outputs for the probe: [input, hidden…, probabilities]. */
  activations: Float32Array[];
}

export type WorkerEvent =
  | { type: 'hello'; version: number }
  /**
   * Sent once at startup, after the worker timed a few batches of a small fixed network: the engine's speed
   * here (in engine/cost.ts's units) and the budget the page should hold configurations to. The worker
   * refuses (`error`, kind 'over-budget') a configure or update-config over its own, slightly wider budget.
   * `fixed`: the speed is the one the page gave (FixedEngineSpeed, a test's), not measured; the page keeps
   * it rather than the speed it sees while training.
   */
  | { type: 'calibration'; flopsPerSecond: number; budget: CostBudget; fixed: boolean }
  /** "Still here": every HEARTBEAT_MS while the worker lives (the page's watchdog, bridge.ts). */
  | { type: 'heartbeat' }
  /**
   * The threads training each batch (data-parallel): `used` now, the `workers` setting as `requested` (0 =
   * automatic), the machine's `cores`, and one line when it trains on fewer than asked (not isolated,
   * workers that could not start, more than the cores). Sent when any of these changes.
   */
  | { type: 'workers'; used: number; requested: number; cores: number; note: string | null }
  | { type: 'data-progress'; progress: DataProgress }
  | {
      type: 'data-ready';
      dataset: DatasetName;
      trainCount: number;
      testCount: number;
      classNames: string[];
      /** Milliseconds from the request to parsed, verified arrays. */
      loadMs: number;
    }
  /** The loader's plain-language error, naming the file (`file` is '' when no single file is to blame). */
  | { type: 'data-error'; error: DataErrorData }
  /** Slow facts, sent on every change of status and at most a few times a second otherwise. */
  | {
      type: 'status';
      generation: number;
      status: RunStatus;
      epoch: number;
      step: number;
      batchesPerEpoch: number;
      samplesPerSecond: number;
      learningRate: number;
      /**
       * The step in progress, when its batch is trained as micro-batches (engine/stepPlan.ts): rows of the
       * batch done and its rows (absent between steps, and for batches trained whole).
       */
      stepRows?: { done: number; of: number };
    }
  /**
   * Per-batch metrics since the previous `metrics` event — never dropped, only batched.
   * loss[i] and accuracy[i] belong to step `firstStep + i` (steps count from 1).
   */
  | {
      type: 'metrics';
      generation: number;
      firstStep: number;
      loss: Float32Array;
      accuracy: Float32Array;
      /** Epoch (from 0) of each point, so charts can mark epoch boundaries. */
      epoch: Uint16Array;
    }
  /** Heavy data, throttled (≤ ~15/s) and back-pressured: at most one un-acknowledged snapshot in flight. */
  | {
      type: 'snapshot';
      generation: number;
      seq: number;
      step: number;
      epoch: number;
      layers: LayerSnapshot[];
      probe: ProbeSnapshot;
    }
  | {
      type: 'epoch-end';
      generation: number;
      /** The epoch just finished, from 1 (the first full pass is epoch 1). */
      epoch: number;
      step: number;
      trainLoss: number;
      trainAccuracy: number;
      testLoss: number;
      testAccuracy: number;
      /**
       * Seconds the run has trained up to this epoch's end (the training slices only: pauses and the
       * evaluations left out) — how long its steps take (the lesson "batch size").
       */
      trainSeconds?: number;
      /** On the held-out validation images (present when the config holds some out). */
      validationLoss?: number;
      validationAccuracy?: number;
      /** On the test half of my digits (present when there is one: set-my-digits). */
      myDigitsAccuracy?: number;
      myDigitsCorrect?: number;
      myDigitsCount?: number;
      /** [classes²], row = true label, column = predicted. */
      confusion: Uint32Array;
    }
  /**
   * The run stopped by itself ('epochs', 'loss-tolerance', 'early-stopping'; a divergence is `diverged`),
   * after its last epoch-end when it stopped at one. Status `done` follows.
   */
  | {
      type: 'stopped';
      generation: number;
      reason: Exclude<StopReason, 'diverged'>;
      /** Where: the last step trained, and the epoch it belonged to (from 1). */
      step: number;
      epoch: number;
      /** The epoch whose weights the network now holds (restored after early stopping, else the last). */
      bestEpoch: number;
      /** The smoothed training loss when it stopped (what `untilLoss` watches). */
      trainLoss: number;
      /** Test figures of the weights kept (after early stopping: the best epoch's), if evaluated. */
      testLoss?: number;
      testAccuracy?: number;
      /** For people: "stopped: loss ≤ 0.15", "early stop: best epoch 7, weights restored". */
      message: string;
    }
  | {
      type: 'prediction';
      id: number;
      generation: number;
      probabilities: Float32Array;
      /** [input, hidden…, probabilities] for the predicted image. */
      activations: Float32Array[];
      /** The output layer before softmax (the representation map's "output" layer places the drawing by it). */
      logits: Float32Array;
      /** The saliency map and the units that pushed the answer (absent when the network has no answer). */
      explanation?: PredictionExplanation;
    }
  /** The loss became NaN or Infinity: training stopped before the bad update was applied. */
  | { type: 'diverged'; generation: number; step: number; lastFiniteLoss: number; message: string }
  | { type: 'model-saved'; id: number; text: string }
  | { type: 'checkpoint'; id: number; generation: number; checkpoint: RunCheckpoint }
  | { type: 'tfjs-exported'; id: number; modelJson: string; weightsBin: ArrayBuffer }
  | { type: 'model-loaded'; id: number; generation: number; config: TrainConfig }
  | { type: 'init-lab-result'; id: number; generation: number; results: InitSpread[] }
  /** Test images with the network's answers; `pixels` holds them in item order, [items · inputSize] bytes. */
  | { type: 'images'; id: number; generation: number; items: ImageItem[]; pixels: Uint8Array }
  /** The answer to augmented-batch: `originals` and `augmented` are [labels.length · rows · cols] in [0, 1]. */
  | ({ type: 'augmented-batch-result'; id: number; generation: number } & AugmentedBatch)
  | ({ type: 'hidden-map-result'; id: number; generation: number } & HiddenMap)
  | ({ type: 'loss-landscape-result'; id: number; generation: number } & LossLandscape)
  | ({ type: 'landscape-plan-result'; id: number; generation: number } & LandscapePlan)
  | {
      type: 'moment-eval-result';
      id: number;
      generation: number;
      step: number;
      loss: number;
      accuracy: number;
      count: number;
      confusion: Uint32Array;
    }
  | {
      type: 'moment-result';
      id: number;
      generation: number;
      step: number;
      epoch: number;
      layers: LayerSnapshot[];
      probe: ProbeSnapshot;
      prediction: { probabilities: Float32Array; activations: Float32Array[]; logits: Float32Array } | null;
    }
  /**
   * How far the landscape asked by `request` (its id) has got: `done` of `total` grid points (≤ 5 a second).
   * Not `id`: a progress event is not the request's answer.
   */
  | { type: 'loss-landscape-progress'; request: number; generation: number; done: number; total: number }
  /**
   * The moments whose weights the run keeps (training/timeline.ts): their steps and epochs (from 0),
   * ascending, the memory they take and the most it keeps. Sent when they change, at most once a second.
   */
  | {
      type: 'timeline';
      generation: number;
      steps: Uint32Array;
      epochs: Uint16Array;
      bytes: number;
      capacity: number;
    }
  | {
      type: 'step-explanation';
      id: number;
      generation: number;
      /** Steps trained so far: the explained update is step `step + 1`'s. */
      step: number;
      source: 'batch' | 'test' | 'drawing';
      explanation: StepExplanation;
    }
  /** A failed command (e.g. a rejected model file). Nothing was changed. */
  /**
   * The answer to evaluate-my-digits, per digit in the order sent: the class read, the probability of the
   * digit's own label, and the probability of the class read.
   */
  | {
      type: 'my-digits-evaluation';
      id: number;
      generation: number;
      step: number;
      predicted: Uint8Array;
      probabilityOfLabel: Float32Array;
      confidence: Float32Array;
      correct: number;
    }
  | { type: 'error'; id?: number; error: WorkerError };

export type WorkerEventType = WorkerEvent['type'];

/**
 * Requests: commands answered by one event carrying the same `id` (or by an `error` with that id), as
 * command type → answer type. The page's bridge derives its typed `request` from this table. (`predict`
 * also carries an id, but the bridge coalesces predicts and matches their answers itself.)
 */
export const REPLIES = {
  'save-model': 'model-saved',
  checkpoint: 'checkpoint',
  'export-tfjs': 'tfjs-exported',
  'load-model': 'model-loaded',
  'init-lab': 'init-lab-result',
  'unit-images': 'images',
  mistakes: 'images',
  'augmented-batch': 'augmented-batch-result',
  'hidden-map': 'hidden-map-result',
  'loss-landscape': 'loss-landscape-result',
  'landscape-plan': 'landscape-plan-result',
  moment: 'moment-result',
  'moment-eval': 'moment-eval-result',
  'explain-step': 'step-explanation',
  'evaluate-my-digits': 'my-digits-evaluation',
} as const satisfies Partial<Record<Command['type'], WorkerEventType>>;

export type RequestType = keyof typeof REPLIES;

/** The event that answers a request of type `T`. */
export type ReplyTo<T extends RequestType> = Extract<WorkerEvent, { type: (typeof REPLIES)[T] }>;
