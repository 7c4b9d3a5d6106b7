/**
 * The trainer behind the worker: owns the dataset, the TrainingSession and the run status; answers every
 * Command of protocol.ts and emits WorkerEvents through a `post` callback. Pure: no Worker, no DOM, no
 * fetch — the dataset arrives through an injected loader and time through an injected Clock, so vitest
 * drives it directly and deterministically.
 *
 * How it stays responsive: training runs in time slices (`sliceMs`, ~25 ms of batches), then yields a
 * macrotask so queued commands (predict, pause, ack) are handled between slices. While the user draws
 * (a predict came in during the last `interactiveWindowMs`), slices shrink to `interactiveSliceMs`, so
 * the next predict waits for less of a slice; the throughput cost is a few more yields per second.
 * The end-of-epoch test evaluation (10k images, a few hundred ms) is cut into the same slices.
 *
 * What it sends, and how often:
 * - `metrics`: every batch's loss and accuracy, buffered and flushed as typed arrays at most every
 *   `metricsIntervalMs` (and before every status change, epoch end or divergence). Never dropped.
 * - `status`: on every change of status, and every `statusIntervalMs` while training.
 * - `snapshot` (heavy: weights, stats, probe activations): only when something changed, at most
 *   `perSecond` per second, and only once the page acknowledged the previous one (`ack-snapshot`): at
 *   most one in flight; the states in between are coalesced (only the newest is ever built).
 * Every event of a network carries its generation, so the page drops stale ones after a rebuild.
 *
 * Divergence guard: a batch with a non-finite loss is not applied (TrainingSession skips the update);
 * the trainer stops right there and posts `diverged` with the step and the last finite loss. Only finite
 * values reach `metrics`; a snapshot or prediction with a non-finite value is never posted.
 *
 * This file decides what happens when; the events' contents are built next door: metricBuffer.ts,
 * snapshot.ts (and the probe), evaluation.ts (the epoch-end job), modelCommands.ts (save, export, load).
 */
import type { Dataset, DatasetName } from '../data/dataset';
import { DataError, type DataErrorData } from '../data/errors';
import type { TrainConfig } from '../engine/types';
import { assertNever } from '../protocol/assertNever';
import type { Command, DataProgress, RunStatus, Speed, WorkerEvent } from '../protocol/messages';
import { realClock, type Clock } from './clock';
import { epochEndEvent, newEvalJob, runEvalChunks, type EvalJob } from './evaluation';
import { MetricBuffer } from './metricBuffer';
import { exportTfjsReply, readModelFile, saveModelReply } from './modelCommands';
import { TrainingSession } from './session';
import { allFinite, buildProbe, buildSnapshot, type Probe } from './snapshot';
import { toWorkerError } from './workerError';

/** Sends one event to the page; `transfer` lists buffers to move rather than copy. */
export type PostFn = (event: WorkerEvent, transfer?: ArrayBuffer[]) => void;

/** Fetches and parses a dataset (A's loadDataset in the worker; a fake in tests). */
export type LoadDataFn = (
  baseUrl: string,
  name: DatasetName,
  onProgress: (progress: DataProgress) => void,
  signal: AbortSignal,
) => Promise<Dataset>;

export interface TrainerOptions {
  post: PostFn;
  clock?: Clock;
  loadData?: LoadDataFn;
  /** Training time per slice before yielding (ms). */
  sliceMs?: number;
  /** Slice length while predicts are coming in (ms). */
  interactiveSliceMs?: number;
  /** How long after a predict the short slices are used (ms). */
  interactiveWindowMs?: number;
  /** Cap on batches per slice (tests with a fake clock); default unlimited. */
  maxBatchesPerSlice?: number;
  /** Minimum time between `metrics` events while training (ms). */
  metricsIntervalMs?: number;
  /** Minimum time between periodic `status` events while training (ms). */
  statusIntervalMs?: number;
  /** Heavy snapshots per second, at most (default 15). */
  snapshotsPerSecond?: number;
  /** Test images evaluated at each epoch end (default: the whole test split). */
  evalLimit?: number;
  /** Use only the first N training samples (tests). */
  trainLimit?: number;
  /** Images per evaluation chunk; chunks run until the slice's time is spent. */
  evalChunk?: number;
}

const DEFAULTS = {
  sliceMs: 25,
  interactiveSliceMs: 8,
  interactiveWindowMs: 1000,
  metricsIntervalMs: 66,
  statusIntervalMs: 250,
  snapshotsPerSecond: 15,
  evalChunk: 256,
};

/** Fields `update-config` may change; everything else defines the network (→ `configure`). */
const ARCH_FIELDS = ['inputSize', 'outputSize', 'activation', 'init', 'seed'] as const;

function sameArchitecture(a: TrainConfig, b: TrainConfig): boolean {
  if (a.hidden.length !== b.hidden.length || a.hidden.some((h, i) => h !== b.hidden[i])) return false;
  return ARCH_FIELDS.every((k) => a[k] === b[k]);
}

export class Trainer {
  private readonly post: PostFn;
  private readonly clock: Clock;
  private readonly loadData: LoadDataFn | undefined;
  private readonly opts: Required<
    Omit<TrainerOptions, 'post' | 'clock' | 'loadData' | 'evalLimit' | 'trainLimit'>
  > & {
    evalLimit: number | undefined;
    trainLimit: number | undefined;
  };

  private dataset: Dataset | null = null;
  private loadAbort: AbortController | null = null;
  private config: TrainConfig | null = null;
  private generation = 0;
  private session: TrainingSession | null = null;
  private probe: Probe | null = null;
  private status: RunStatus = 'idle';
  /** `start` arrived before the session existed (data still loading): start once it does. */
  private startWhenReady = false;
  private speed: Speed = 'full';

  private cancelTick: (() => void) | null = null;
  /** When the last predict arrived (short slices for a while after it). */
  private lastPredictAt = -Infinity;
  private evalJob: EvalJob | null = null;
  /** Rate control for speed = N batches/s: batches done since `rateStart`. */
  private rateStart = 0;
  private rateDone = 0;

  private readonly metrics = new MetricBuffer();
  private lastMetricsAt = -Infinity;

  // Status throttling and throughput.
  private lastStatusAt = -Infinity;
  private samplesSinceStatus = 0;
  private samplesPerSecond = 0;

  // Figures of the current epoch (for epoch-end's train loss/accuracy) and the divergence report.
  private epochLossSum = 0;
  private epochCorrect = 0;
  private epochSamples = 0;
  private lastFiniteLoss = NaN;
  private lastTestAccuracy: number | undefined;

  // Snapshots: dirty → built when allowed; ≤ 1 in flight; ≤ perSecond per second.
  private snapshotDirty = false;
  private snapshotInFlight: number | null = null;
  private snapshotSeq = 0;
  private lastSnapshotAt = -Infinity;
  private cancelSnapshotTimer: (() => void) | null = null;

  constructor(options: TrainerOptions) {
    this.post = options.post;
    this.clock = options.clock ?? realClock();
    this.loadData = options.loadData;
    this.opts = {
      sliceMs: options.sliceMs ?? DEFAULTS.sliceMs,
      interactiveSliceMs: options.interactiveSliceMs ?? DEFAULTS.interactiveSliceMs,
      interactiveWindowMs: options.interactiveWindowMs ?? DEFAULTS.interactiveWindowMs,
      maxBatchesPerSlice: options.maxBatchesPerSlice ?? Infinity,
      metricsIntervalMs: options.metricsIntervalMs ?? DEFAULTS.metricsIntervalMs,
      statusIntervalMs: options.statusIntervalMs ?? DEFAULTS.statusIntervalMs,
      snapshotsPerSecond: options.snapshotsPerSecond ?? DEFAULTS.snapshotsPerSecond,
      evalChunk: options.evalChunk ?? DEFAULTS.evalChunk,
      evalLimit: options.evalLimit,
      trainLimit: options.trainLimit,
    };
  }

  // ───────────────────────────── inspection (tests, CLI) ─────────────────────────────

  get currentStatus(): RunStatus {
    return this.status;
  }
  get currentGeneration(): number {
    return this.generation;
  }
  /** The live session (null before data and config arrived). */
  get currentSession(): TrainingSession | null {
    return this.session;
  }
  /** Steps trained in this generation. */
  get step(): number {
    return this.session ? this.session.step : 0;
  }
  get epoch(): number {
    return this.session ? this.session.epoch : 0;
  }
  /** Sequence number of the un-acknowledged snapshot, or null. */
  get snapshotPending(): number | null {
    return this.snapshotInFlight;
  }

  /** Gives the trainer a dataset directly (the CLI, tests); `load-data` does this after fetching. */
  setDataset(dataset: Dataset): void {
    this.loadAbort?.abort();
    this.loadAbort = null;
    this.dataset = dataset;
    this.rebuild();
  }

  // ───────────────────────────── commands ─────────────────────────────

  /**
   * Handles one command. Never throws: an unexpected failure becomes an `error` event (with the command's
   * id when it has one) and, if it happened while training, a pause — the worker keeps serving.
   */
  handle(cmd: Command): void {
    try {
      this.dispatch(cmd);
    } catch (e) {
      this.fail(e, 'id' in cmd ? cmd.id : undefined);
    }
  }

  private fail(e: unknown, id?: number): void {
    this.stopLoop();
    this.evalJob = null;
    const error = toWorkerError(e, 'internal');
    this.post(id === undefined ? { type: 'error', error } : { type: 'error', id, error });
    if (this.status === 'training') this.setStatus('paused');
  }

  private dispatch(cmd: Command): void {
    switch (cmd.type) {
      case 'load-data':
        this.startLoad(cmd.dataset, cmd.baseUrl);
        return;
      case 'configure':
        this.generation = cmd.generation;
        this.config = { ...cmd.config, hidden: [...cmd.config.hidden] };
        this.rebuild();
        return;
      case 'start':
        this.start();
        return;
      case 'pause':
        this.startWhenReady = false;
        if (this.status === 'training') this.setStatus('paused');
        return;
      case 'step':
        this.stepOnce();
        return;
      case 'reset':
        if (cmd.generation !== undefined) this.generation = cmd.generation;
        this.resetRun();
        return;
      case 'update-config':
        this.updateConfig(cmd.config);
        return;
      case 'set-speed':
        this.speed =
          cmd.speed === 'full' || (cmd.speed > 0 && Number.isFinite(cmd.speed)) ? cmd.speed : 'full';
        this.restartRate();
        if (this.status === 'training') this.reschedule();
        return;
      case 'set-snapshot-rate':
        this.opts.snapshotsPerSecond = Math.min(
          60,
          Math.max(0.1, cmd.perSecond || DEFAULTS.snapshotsPerSecond),
        );
        return;
      case 'ack-snapshot':
        if (cmd.seq === this.snapshotInFlight) {
          this.snapshotInFlight = null;
          this.maybeSnapshot();
        }
        return;
      case 'predict':
        this.predict(cmd.id, cmd.pixels);
        return;
      case 'save-model':
        this.saveModel(cmd.id);
        return;
      case 'export-tfjs':
        this.exportTfjs(cmd.id);
        return;
      case 'load-model':
        this.loadModel(cmd.id, cmd.generation, cmd.text);
        return;
      default:
        assertNever(cmd);
    }
  }

  // ───────────────────────────── data and sessions ─────────────────────────────

  private startLoad(name: DatasetName, baseUrl: string): void {
    if (!this.loadData) {
      this.post({
        type: 'data-error',
        error: { kind: 'network', file: '', message: 'This trainer cannot load data (no loader).' },
      });
      return;
    }
    this.loadAbort?.abort();
    const abort = new AbortController();
    this.loadAbort = abort;
    // The old dataset goes: no training on it while the new one loads.
    this.dataset = null;
    this.dropSession();
    const t0 = this.clock.now();
    let lastProgressAt = -Infinity;
    const onProgress = (progress: DataProgress): void => {
      if (abort.signal.aborted) return;
      // Loaders may report per network chunk; ~10/s is plenty, and the last one always goes out.
      const t = this.clock.now();
      const complete = progress.files.every((f) => f.total > 0 && f.received >= f.total);
      if (!complete && t - lastProgressAt < 100) return;
      lastProgressAt = t;
      this.post({ type: 'data-progress', progress });
    };
    this.loadData(baseUrl, name, onProgress, abort.signal).then(
      (dataset) => {
        if (abort.signal.aborted) return;
        this.loadAbort = null;
        this.dataset = dataset;
        this.post({
          type: 'data-ready',
          dataset: dataset.name,
          trainCount: dataset.train.count,
          testCount: dataset.test.count,
          classNames: dataset.classNames,
          loadMs: Math.round(this.clock.now() - t0),
        });
        this.rebuild();
      },
      (e: unknown) => {
        if (abort.signal.aborted) return;
        this.loadAbort = null;
        const error: DataErrorData =
          e instanceof DataError
            ? e.toData()
            : { kind: 'network', file: '', message: `The dataset could not be loaded: ${String(e)}` };
        this.post({ type: 'data-error', error });
      },
    );
  }

  /** Stops everything and forgets the session (old generation: unsent metrics are dropped, not flushed). */
  private dropSession(): void {
    this.stopLoop();
    this.session = null;
    this.probe = null;
    this.evalJob = null;
    this.metrics.clear();
    this.snapshotInFlight = null;
    this.snapshotDirty = false;
  }

  /** New session for the current config and dataset (same generation as `this.generation`). */
  private rebuild(): void {
    const wasStarting = this.startWhenReady || this.status === 'training';
    this.dropSession();
    this.resetRunFigures();
    this.lastTestAccuracy = undefined;
    this.status = 'idle';
    if (!this.dataset || !this.config) {
      this.startWhenReady = wasStarting;
      this.postStatus();
      return;
    }
    try {
      this.session = this.newSession(this.config);
    } catch (e) {
      this.startWhenReady = false;
      this.post({ type: 'error', error: toWorkerError(e, 'invalid-config') });
      this.postStatus();
      return;
    }
    this.probe = buildProbe(this.dataset.test);
    this.postStatus();
    this.snapshotDirty = true;
    this.maybeSnapshot();
    if (this.startWhenReady) {
      this.startWhenReady = false;
      this.start();
    }
  }

  private newSession(config: TrainConfig): TrainingSession {
    const ds = this.dataset!;
    return new TrainingSession(
      config,
      { train: ds.train, test: ds.test },
      { trainLimit: this.opts.trainLimit },
    );
  }

  private resetRunFigures(): void {
    this.epochLossSum = 0;
    this.epochCorrect = 0;
    this.epochSamples = 0;
    this.lastFiniteLoss = NaN;
    this.samplesSinceStatus = 0;
    this.samplesPerSecond = 0;
  }

  private resetRun(): void {
    if (!this.session || !this.config) {
      this.rebuild();
      return;
    }
    this.stopLoop();
    this.evalJob = null;
    this.metrics.clear();
    this.startWhenReady = false;
    this.session.reset();
    this.resetRunFigures();
    this.lastTestAccuracy = undefined;
    this.snapshotInFlight = null;
    this.status = 'idle';
    this.postStatus();
    this.snapshotDirty = true;
    this.maybeSnapshot();
  }

  /**
   * Applies new hyper-parameters to the running session: a new TrainingSession with the new config takes
   * over the old one's state (TrainingSession.getState/setState): weights, position (epoch, step — so the
   * schedule and the curves continue) and the optimizer's moments when the optimizer kind is unchanged
   * (a new kind starts with fresh moments). With another batch size, the position inside the epoch is
   * carried over in samples (same permutation; the batch boundary rounds up).
   */
  private updateConfig(next: TrainConfig): void {
    const old = this.session;
    if (!this.config || !sameArchitecture(this.config, next)) {
      this.post({
        type: 'error',
        error: {
          kind: 'invalid-config',
          message:
            'update-config cannot change the network’s shape, activation, init or seed: configure instead.',
        },
      });
      return;
    }
    if (!old || !this.dataset) {
      this.config = { ...next, hidden: [...next.hidden] };
      return;
    }
    let session: TrainingSession;
    try {
      session = this.newSession(next);
      const state = old.getState();
      if (session.optimizer.kind !== old.optimizer.kind) state.optimizer = session.optimizer.getState();
      if (session.config.batchSize !== old.config.batchSize) {
        const samples = state.batchInEpoch * old.config.batchSize;
        state.batchInEpoch = Math.ceil(samples / session.config.batchSize);
        if (state.batchInEpoch >= session.batchesPerEpoch) {
          state.batchInEpoch = 0;
          state.epoch++;
        }
      }
      session.setState(state);
    } catch (e) {
      this.post({ type: 'error', error: toWorkerError(e, 'invalid-config') });
      return;
    }
    this.flushMetrics();
    this.config = { ...next, hidden: [...next.hidden] };
    this.session = session;
    if (this.status === 'done' && !this.epochLimitReached()) this.status = 'paused';
    this.postStatus();
  }

  // ───────────────────────────── run control ─────────────────────────────

  private start(): void {
    if (!this.session) {
      // Data still loading (or no config yet): remember the wish.
      this.startWhenReady = true;
      return;
    }
    if (this.status === 'training') return;
    if (this.epochLimitReached() && !this.evalJob) {
      this.setStatus('done');
      return;
    }
    this.setStatus('training');
  }

  private stepOnce(): void {
    if (!this.session) return;
    if (this.epochLimitReached() || this.evalJob) {
      // Nothing to train (done), or the epoch's evaluation is still running: it ends by itself.
      if (this.status === 'training') this.setStatus('paused');
      return;
    }
    this.stopLoop();
    this.status = 'paused';
    this.trainOne();
    this.flushMetrics();
    if (this.status === 'paused') this.postStatus();
    this.maybeSnapshot();
    this.reschedule();
  }

  private epochLimitReached(): boolean {
    const epochs = this.config?.epochs ?? 0;
    return epochs > 0 && this.epoch >= epochs;
  }

  /** Changes the status (flushing metrics first, so the page has every point up to the change). */
  private setStatus(status: RunStatus): void {
    this.flushMetrics();
    const changed = status !== this.status;
    this.status = status;
    if (status === 'training') this.restartRate();
    else this.samplesPerSecond = 0;
    this.postStatus();
    if (changed || status === 'training') this.reschedule();
  }

  private postStatus(): void {
    const now = this.clock.now();
    if (this.status === 'training') {
      const dt = now - this.lastStatusAt;
      if (dt > 0 && Number.isFinite(dt) && this.samplesSinceStatus > 0) {
        this.samplesPerSecond = (this.samplesSinceStatus * 1000) / dt;
      }
    }
    this.lastStatusAt = now;
    this.samplesSinceStatus = 0;
    const s = this.session;
    this.post({
      type: 'status',
      generation: this.generation,
      status: this.status,
      epoch: this.epoch,
      step: this.step,
      batchesPerEpoch: s ? s.batchesPerEpoch : 0,
      samplesPerSecond: Math.round(this.samplesPerSecond),
      learningRate: s ? s.learningRate : (this.config?.learningRate ?? 0),
    });
  }

  // ───────────────────────────── the loop ─────────────────────────────

  private stopLoop(): void {
    this.cancelTick?.();
    this.cancelTick = null;
  }

  private restartRate(): void {
    this.rateStart = this.clock.now();
    this.rateDone = 0;
  }

  /** Schedules the next tick if there is work: an evaluation in progress, or training. */
  private reschedule(): void {
    this.stopLoop();
    let delay: number;
    if (this.evalJob) delay = 0;
    else if (this.status !== 'training') return;
    else if (this.speed === 'full') delay = 0;
    else {
      const nextDue = this.rateStart + ((this.rateDone + 1) * 1000) / this.speed;
      delay = Math.max(0, nextDue - this.clock.now());
    }
    this.cancelTick = this.clock.schedule(() => {
      this.cancelTick = null;
      try {
        this.tick();
      } catch (e) {
        this.fail(e);
      }
    }, delay);
  }

  private tick(): void {
    const t0 = this.clock.now();
    const interactive = t0 - this.lastPredictAt < this.opts.interactiveWindowMs;
    let deadline = t0 + (interactive ? this.opts.interactiveSliceMs : this.opts.sliceMs);
    // End the slice when the next snapshot falls due (the page has acked the last one), so snapshots go
    // out on time instead of up to a slice late.
    if (this.snapshotInFlight === null) {
      deadline = Math.min(deadline, this.lastSnapshotAt + 1000 / this.opts.snapshotsPerSecond);
    }
    if (this.evalJob) {
      this.evalChunks(deadline);
    } else if (this.status === 'training') {
      let budget = this.opts.maxBatchesPerSlice;
      if (this.speed !== 'full') {
        const due = Math.floor(((t0 - this.rateStart) * this.speed) / 1000) - this.rateDone;
        budget = Math.min(budget, Math.max(0, due));
      }
      let n = 0;
      while (n < budget && this.status === 'training' && !this.evalJob) {
        this.trainOne();
        n++;
        this.rateDone++;
        if (this.clock.now() >= deadline) break;
      }
      // An evaluation that starts now gets the rest of this slice.
      if (this.evalJob && this.clock.now() < deadline) this.evalChunks(deadline);
    }
    this.afterSlice();
    this.reschedule();
  }

  private afterSlice(): void {
    const now = this.clock.now();
    if (now - this.lastMetricsAt >= this.opts.metricsIntervalMs) this.flushMetrics();
    if (this.status === 'training' && now - this.lastStatusAt >= this.opts.statusIntervalMs)
      this.postStatus();
    this.maybeSnapshot();
  }

  /** One batch: metrics, divergence guard, epoch end. */
  private trainOne(): void {
    const session = this.session!;
    const r = session.trainBatch();
    const step = r.step;
    if (!Number.isFinite(r.loss)) {
      this.diverge(step);
      return;
    }
    const accuracy = r.correct / r.batchSize;
    this.pushMetric(step, r.loss, accuracy, r.epoch);
    this.lastFiniteLoss = r.loss;
    this.epochLossSum += r.loss * r.batchSize;
    this.epochCorrect += r.correct;
    this.epochSamples += r.batchSize;
    this.samplesSinceStatus += r.batchSize;
    this.snapshotDirty = true;
    if (r.epochEnded) this.beginEval(step);
  }

  private diverge(step: number, message?: string): void {
    const last = this.lastFiniteLoss;
    const lastText = Number.isFinite(last) ? ` (last finite loss ${last.toPrecision(3)})` : '';
    this.flushMetrics();
    this.post({
      type: 'diverged',
      generation: this.generation,
      step,
      lastFiniteLoss: Number.isFinite(last) ? last : 0,
      message: message ?? `The loss exploded at step ${step}${lastText} — try a smaller learning rate`,
    });
    this.setStatus('diverged');
  }

  // ───────────────────────────── metrics ─────────────────────────────

  private pushMetric(step: number, loss: number, accuracy: number, epoch: number): void {
    // Points in one event are consecutive steps; a gap (a skipped diverged batch) starts a new event.
    if (!this.metrics.continues(step)) this.flushMetrics();
    this.metrics.push(step, loss, accuracy, epoch);
  }

  private flushMetrics(): void {
    this.lastMetricsAt = this.clock.now();
    const batch = this.metrics.take(this.generation);
    if (batch) this.post(batch.event, batch.transfer);
  }

  // ───────────────────────────── epoch-end evaluation ─────────────────────────────

  private beginEval(step: number): void {
    const test = this.dataset!.test;
    const n = this.epochSamples;
    this.evalJob = newEvalJob(
      this.epoch,
      step,
      n > 0 ? this.epochLossSum / n : 0,
      n > 0 ? this.epochCorrect / n : 0,
      Math.min(test.count, this.opts.evalLimit ?? test.count),
      this.session!.config.outputSize,
    );
    this.epochLossSum = 0;
    this.epochCorrect = 0;
    this.epochSamples = 0;
  }

  /** Evaluates chunks of the test split until `deadline` (at least one chunk), then finishes the epoch. */
  private evalChunks(deadline: number): void {
    const job = this.evalJob!;
    const test = this.dataset!.test;
    if (runEvalChunks(job, this.session!.network, test, this.opts.evalChunk, this.clock, deadline)) {
      this.finishEval(job);
    }
  }

  private finishEval(job: EvalJob): void {
    this.evalJob = null;
    this.flushMetrics();
    const { event, transfer } = epochEndEvent(job, this.generation);
    this.lastTestAccuracy = event.testAccuracy;
    this.post(event, transfer);
    if (this.epochLimitReached() && (this.status === 'training' || this.status === 'paused')) {
      this.setStatus('done');
    } else {
      this.postStatus();
    }
  }

  // ───────────────────────────── snapshots ─────────────────────────────

  /** Sends a snapshot if one is due: something changed, none in flight, and the rate allows it. */
  private maybeSnapshot(): void {
    if (!this.session || !this.snapshotDirty || this.snapshotInFlight !== null) return;
    const wait = this.lastSnapshotAt + 1000 / this.opts.snapshotsPerSecond - this.clock.now();
    if (wait > 0) {
      if (!this.cancelSnapshotTimer) {
        this.cancelSnapshotTimer = this.clock.schedule(() => {
          this.cancelSnapshotTimer = null;
          this.maybeSnapshot();
        }, wait);
      }
      return;
    }
    this.sendSnapshot();
  }

  private sendSnapshot(): void {
    const built = buildSnapshot(this.session!, this.probe!, this.generation, this.snapshotSeq + 1);
    if (!built) {
      this.networkBroken();
      return;
    }
    this.snapshotSeq++;
    this.snapshotInFlight = this.snapshotSeq;
    this.snapshotDirty = false;
    this.lastSnapshotAt = this.clock.now();
    this.post(built.event, built.transfer);
  }

  /**
   * Weights or activations that are not finite numbers: they are never drawn, and training stops like a
   * divergence (the next batch's loss would be NaN anyway).
   */
  private networkBroken(): void {
    this.snapshotDirty = false;
    if (this.status === 'diverged') return;
    this.stopLoop();
    const step = this.step;
    this.diverge(
      step,
      `The network blew up at step ${step}: its outputs are no longer finite numbers — try a smaller learning rate`,
    );
  }

  // ───────────────────────────── predict and model files ─────────────────────────────

  private predict(id: number, pixels: Float32Array): void {
    this.lastPredictAt = this.clock.now();
    const session = this.session;
    if (!session) {
      this.post({ type: 'error', id, error: { kind: 'no-model', message: 'The network is not ready yet.' } });
      return;
    }
    const n = session.config.inputSize;
    if (!(pixels instanceof Float32Array) || pixels.length !== n || !allFinite(pixels)) {
      this.post({
        type: 'error',
        id,
        error: { kind: 'bad-input', message: `predict needs ${n} finite pixel values.` },
      });
      return;
    }
    const { probabilities, activations } = session.network.predict(pixels);
    if (!activations.every(allFinite)) {
      this.post({
        type: 'error',
        id,
        error: { kind: 'non-finite', message: 'The network’s weights are broken (not finite): reset it.' },
      });
      return;
    }
    this.post({ type: 'prediction', id, generation: this.generation, probabilities, activations }, [
      probabilities.buffer as ArrayBuffer,
      ...activations.map((a) => a.buffer as ArrayBuffer),
    ]);
  }

  private saveModel(id: number): void {
    this.post(
      saveModelReply(id, this.session, this.config, {
        epochs: this.epoch,
        steps: this.step,
        ...(this.lastTestAccuracy !== undefined ? { testAccuracy: this.lastTestAccuracy } : {}),
      }),
    );
  }

  private exportTfjs(id: number): void {
    const { event, transfer } = exportTfjsReply(id, this.session);
    this.post(event, transfer);
  }

  /** Validates fully before touching anything: a bad file leaves the current model and run untouched. */
  private loadModel(id: number, generation: number, text: string): void {
    if (!this.dataset) {
      this.post({
        type: 'error',
        id,
        error: { kind: 'no-data', message: 'Wait until the dataset has loaded, then load the model again.' },
      });
      return;
    }
    let session: TrainingSession;
    let config: TrainConfig;
    try {
      const parsed = readModelFile(text, this.dataset.train);
      config = parsed.config;
      session = this.newSession(config);
      session.network.setParams(parsed.params);
    } catch (e) {
      this.post({ type: 'error', id, error: toWorkerError(e, 'bad-model') });
      return;
    }
    this.generation = generation;
    this.config = { ...config, hidden: [...config.hidden] };
    this.dropSession();
    this.resetRunFigures();
    this.lastTestAccuracy = undefined;
    this.startWhenReady = false;
    this.session = session;
    this.probe = buildProbe(this.dataset.test);
    this.status = 'idle';
    this.post({ type: 'model-loaded', id, generation, config: this.config });
    this.postStatus();
    this.snapshotDirty = true;
    this.maybeSnapshot();
  }
}
