/**
 * The trainer behind the worker: owns the dataset, the TrainingSession and the run status; answers every
 * Command of the protocol and emits WorkerEvents through a `post` callback. Pure: no Worker, no DOM, no
 * fetch — the dataset arrives through an injected loader and time through an injected Clock, so vitest
 * drives it directly and deterministically.
 *
 * How it stays responsive: training runs in time slices (~25 ms of batches), then yields a macrotask so
 * queued commands (predict, pause, ack) are handled between slices; slices shrink while the user draws.
 * The end-of-epoch test evaluation (10k images, a few hundred ms) is cut into the same slices.
 *
 * What it sends, and how often:
 * - `metrics`: every batch's loss and accuracy, buffered and flushed as typed arrays at most every
 *   `metricsIntervalMs` (and before every status change, epoch end or divergence). Never dropped.
 * - `status`: on every change of status, and every `statusIntervalMs` while training.
 * - `snapshot` (heavy: weights, stats, probe activations): only when something changed, at most
 *   `perSecond` per second, and only once the page acknowledged the previous one (`ack-snapshot`).
 * Every event of a network carries its generation, so the page drops stale ones after a rebuild.
 *
 * Divergence guard: a batch with a non-finite loss is not applied (TrainingSession skips the update);
 * the trainer stops right there and posts `diverged` with the step and the last finite loss. Only finite
 * values reach `metrics`; a snapshot or prediction with a non-finite value is never posted.
 *
 * This file answers the commands and decides when a fresh run begins (configure, a dataset arriving,
 * reset, load-model: all through Run.begin). The run itself — status table (runStatus.ts), loop, pacing
 * (pacing.ts), stream — is run.ts; the events' contents are built next door: metricBuffer.ts,
 * snapshot.ts, evaluation.ts, modelCommands.ts (predict, save, export, load), dataLoading.ts.
 */
import type { Dataset, DatasetName } from '../data/dataset';
import { costReport, judgeCost } from '../engine/cost';
import type { TrainConfig } from '../engine/types';
import { assertNever } from '../protocol/assertNever';
import type { Command, RunCheckpoint, RunStatus } from '../protocol/messages';
import { realClock, type Clock } from './clock';
import { startDataLoad, type LoadDataFn } from './dataLoading';
import { inspectReply } from './inspectCommands';
import { explainStepReply } from './stepCommands';
import { evaluateMyDigitsReply, halvesOf } from './myDigitsCommands';
import { buildStatsProbe, type StatsProbe } from './inspection';
import {
  checkpointReply,
  exportTfjsReply,
  predictReply,
  readModelFile,
  resumeRun,
  saveModelReply,
} from './modelCommands';
import { DEFAULT_SNAPSHOTS_PER_SECOND } from './pacing';
import { Run, type PostFn, type RunHost } from './run';
import { Threads } from './parallel/threads';
import { sameArchitecture, takeOver, TrainingSession, type MyDigitsHalves } from './session';
import { buildProbe, type Probe } from './snapshot';
import { toWorkerError } from './workerError';
import { augmentedBatchReply } from './augmentedBatch';
import { BackgroundViews } from './backgroundViews';
import { MomentViews } from './moments';
import type { WeightTimeline } from './timeline';

import { DEFAULT_GUARD, DEFAULTS, type CostGuard, type TrainerOptions } from './trainerOptions';

export type { LoadDataFn } from './dataLoading';
export { type CostGuard, type TrainerOptions } from './trainerOptions';
export type { PostFn } from './run';

const copyConfig = (c: TrainConfig): TrainConfig => ({ ...c, hidden: [...c.hidden] });

export class Trainer {
  private readonly post: PostFn;
  private readonly clock: Clock;
  private readonly loadData: LoadDataFn | undefined;
  private readonly trainLimit: number | undefined;
  private readonly run: Run;
  private readonly guard: CostGuard;
  private readonly threads: Threads;
  /** The map and the landscape: long answers computed between training slices. */
  private readonly background: BackgroundViews;

  // What it trains (the run reads these through its RunHost).
  private dataset: Dataset | null = null;
  /** Probe images of the dataset's test split, shown in every snapshot. */
  private probe: Probe | null = null;
  private readonly moments = new MomentViews();
  /** 64 training images for the inside views' statistics (fixed, seeded). */
  private statsProbe: StatsProbe | null = null;
  private config: TrainConfig | null = null;
  /** The learner's own digits (set-my-digits), given to every session. */
  private myDigits: MyDigitsHalves | null = null;
  private generation = 0;
  private loadAbort: AbortController | null = null;
  /** `start` arrived before the session existed (data still loading): start once it does. */
  private startWhenReady = false;
  /** configure's `resume`: the checkpoint the next session built for this config continues from. */
  private resume: RunCheckpoint | null = null;

  constructor(options: TrainerOptions) {
    this.post = options.post;
    this.clock = options.clock ?? realClock();
    this.loadData = options.loadData;
    this.trainLimit = options.trainLimit;
    this.guard = options.guard ?? DEFAULT_GUARD;
    this.threads = new Threads(options.compute, () => this.threadsChanged());
    this.background = new BackgroundViews(this.clock, this.post);
    const host: RunHost = {
      generation: () => this.generation,
      config: () => this.config,
      dataset: () => this.dataset,
      probe: () => this.probe,
      statsProbe: () => this.statsProbe,
    };
    this.run = new Run(host, this.post, this.clock, {
      sliceMs: options.sliceMs ?? DEFAULTS.sliceMs,
      interactiveSliceMs: options.interactiveSliceMs ?? DEFAULTS.interactiveSliceMs,
      interactiveWindowMs: options.interactiveWindowMs ?? DEFAULTS.interactiveWindowMs,
      maxBatchesPerSlice: options.maxBatchesPerSlice ?? Infinity,
      metricsIntervalMs: options.metricsIntervalMs ?? DEFAULTS.metricsIntervalMs,
      statusIntervalMs: options.statusIntervalMs ?? DEFAULTS.statusIntervalMs,
      snapshotsPerSecond: options.snapshotsPerSecond ?? DEFAULT_SNAPSHOTS_PER_SECOND,
      evalChunk: options.evalChunk ?? DEFAULTS.evalChunk,
      evalLimit: options.evalLimit,
      memoryBudgetBytes: this.guard.budget.memoryBytes,
    });
  }

  // ───────────────────────────── inspection (tests, CLI) ─────────────────────────────

  get currentStatus(): RunStatus {
    return this.run.status;
  }
  get currentGeneration(): number {
    return this.generation;
  }
  /** The live session (null before data and config arrived). */
  get currentSession(): TrainingSession | null {
    return this.run.session;
  }
  /** The run's kept weights (null before a run). */
  get timeline(): WeightTimeline | null {
    return this.run.timeline;
  }
  /** Steps trained in this generation. */
  get step(): number {
    return this.run.step;
  }
  get epoch(): number {
    return this.run.epoch;
  }
  /** Sequence number of the un-acknowledged snapshot, or null. */
  get snapshotPending(): number | null {
    return this.run.snapshotInFlight;
  }

  /** Gives the trainer a dataset directly (the CLI, tests); `load-data` does this after fetching. */
  setDataset(dataset: Dataset): void {
    this.loadAbort?.abort();
    this.loadAbort = null;
    this.useDataset(dataset);
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
      this.run.fail(e, 'id' in cmd ? cmd.id : undefined);
    }
  }

  private dispatch(cmd: Command): void {
    switch (cmd.type) {
      case 'load-data':
        this.startLoad(cmd.dataset, cmd.baseUrl);
        return;
      case 'configure':
        if (!this.withinBudget(cmd.config)) return;
        this.generation = cmd.generation;
        this.config = copyConfig(cmd.config);
        this.threads.want(this.config.workers);
        this.resume = cmd.resume ?? null;
        this.rebuild();
        return;
      case 'start':
        this.start();
        return;
      case 'pause':
        this.startWhenReady = false;
        this.run.pause();
        return;
      case 'step':
        this.run.stepOnce();
        return;
      case 'reset':
        if (cmd.generation !== undefined) this.generation = cmd.generation;
        this.resetRun();
        return;
      case 'update-config':
        this.updateConfig(cmd.config);
        return;
      case 'set-speed':
        this.run.setSpeed(cmd.speed);
        return;
      case 'set-snapshot-rate':
        this.run.setSnapshotRate(cmd.perSecond);
        return;
      case 'ack-snapshot':
        this.run.ack(cmd.seq);
        return;
      case 'predict': {
        this.run.interacted();
        const { event, transfer } = predictReply(cmd.id, this.run.session, this.generation, cmd.pixels);
        this.post(event, transfer);
        return;
      }
      case 'save-model': {
        const test = this.run.lastTestAccuracy;
        const training = {
          epochs: this.epoch,
          steps: this.step,
          ...(test !== undefined ? { testAccuracy: test } : {}),
        };
        this.post(saveModelReply(cmd.id, this.run.session, this.config, training));
        return;
      }
      case 'checkpoint': {
        const { event, transfer } = checkpointReply(cmd.id, this.run.session, this.generation);
        this.post(event, transfer);
        return;
      }
      case 'export-tfjs': {
        const { event, transfer } = exportTfjsReply(cmd.id, this.run.session);
        this.post(event, transfer);
        return;
      }
      case 'load-model':
        this.loadModel(cmd.id, cmd.generation, cmd.text);
        return;
      case 'explain-step': {
        const { event, transfer } = explainStepReply(
          cmd,
          this.run.session,
          this.generation,
          this.dataset?.test ?? null,
        );
        this.post(event, transfer);
        return;
      }
      case 'set-inspect':
        this.run.setInspect(cmd.on);
        return;
      case 'set-my-digits':
        this.setMyDigits(cmd);
        return;
      case 'evaluate-my-digits': {
        const { event, transfer } = evaluateMyDigitsReply(cmd, this.run.session, this.generation);
        this.post(event, transfer);
        return;
      }
      case 'augmented-batch': {
        const { event, transfer } = augmentedBatchReply(cmd, this.run.session, this.generation);
        this.post(event, transfer);
        return;
      }
      case 'hidden-map':
        this.background.hiddenMap(
          cmd,
          this.run.session,
          this.dataset?.test ?? null,
          this.generation,
          () => this.run.session,
          this.run.timeline,
        );
        return;
      case 'moment-eval':
        this.background.momentEval(
          cmd,
          this.run.session,
          this.run.timeline,
          this.dataset?.test ?? null,
          this.generation,
          () => this.run.session,
        );
        return;
      case 'loss-landscape':
      case 'landscape-plan':
        this.background.lossLandscape(
          cmd,
          this.run.session,
          this.run.timeline?.moments ?? [],
          this.dataset?.train ?? null,
          this.generation,
          () => this.run.session,
        );
        return;
      case 'moment': {
        const { event, transfer } = this.moments.reply(
          cmd,
          this.run.session,
          this.run.timeline,
          this.probe,
          this.generation,
        );
        this.post(event, transfer);
        return;
      }
      case 'cancel-landscape':
        this.background.cancelLandscape();
        return;
      case 'init-lab':
      case 'unit-images':
      case 'mistakes': {
        const ds = this.dataset;
        const answers = this.run.inspection.answers;
        const reply = inspectReply(
          cmd,
          this.run.session,
          this.generation,
          ds?.test ?? null,
          this.statsProbe,
          answers,
        );
        this.post(reply.event, reply.transfer);
        return;
      }
      default:
        assertNever(cmd);
    }
  }

  // ───────────────────────────── data, sessions, fresh runs ─────────────────────────────

  private useDataset(dataset: Dataset | null): void {
    this.background.datasetChanged();
    this.dataset = dataset;
    this.probe = dataset ? buildProbe(dataset.test) : null;
    this.statsProbe = dataset ? buildStatsProbe(dataset.train) : null;
  }

  private startLoad(name: DatasetName, baseUrl: string): void {
    if (!this.loadData) {
      this.post({
        type: 'data-error',
        error: { kind: 'network', file: '', message: 'This trainer cannot load data (no loader).' },
      });
      return;
    }
    this.loadAbort?.abort();
    // The old dataset goes: no training on it while the new one loads.
    this.useDataset(null);
    this.run.drop();
    this.loadAbort = startDataLoad(
      this.loadData,
      name,
      baseUrl,
      { clock: this.clock, post: this.post },
      (dataset) => {
        this.loadAbort = null;
        this.useDataset(dataset);
        this.rebuild();
      },
      () => {
        this.loadAbort = null;
      },
    );
  }

  /** A fresh run of a new session for the current config and dataset (configure, data arrived). */
  private rebuild(): void {
    const wasStarting = this.startWhenReady || this.run.status === 'training';
    if (!this.dataset || !this.config) {
      this.startWhenReady = wasStarting;
      this.run.begin(null);
      return;
    }
    let session: TrainingSession;
    try {
      session = this.newSession(this.config);
    } catch (e) {
      this.startWhenReady = false;
      this.run.begin(null, () => this.post({ type: 'error', error: toWorkerError(e, 'invalid-config') }));
      return;
    }
    const resumed = resumeRun(session, this.resume);
    this.resume = null;
    this.run.begin(session, resumed.error ? () => this.post(resumed.error!) : undefined);
    this.reportWorkers();
    if (this.startWhenReady) {
      this.startWhenReady = false;
      this.start();
    }
  }

  /** A fresh run of the same session, back at its seeded initial weights. */
  private resetRun(): void {
    const session = this.run.session;
    if (!session || !this.config) {
      this.rebuild();
      return;
    }
    this.startWhenReady = false;
    session.reset();
    this.run.begin(session);
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
      const parsed = readModelFile(text, this.dataset);
      config = copyConfig(parsed.config);
      const verdict = this.verdict(config);
      if (verdict.kind === 'over') throw new Error(verdict.reason);
      this.threads.want(config.workers);
      session = this.newSession(config);
      session.network.setParams(parsed.params);
    } catch (e) {
      this.post({ type: 'error', id, error: toWorkerError(e, 'bad-model') });
      return;
    }
    this.generation = generation;
    this.config = config;
    this.resume = null;
    this.startWhenReady = false;
    this.run.begin(session, () => this.post({ type: 'model-loaded', id, generation, config }));
    this.reportWorkers();
  }

  private verdict(config: TrainConfig) {
    const { budget, flopsPerSecond } = this.guard;
    return judgeCost(costReport(config, flopsPerSecond), budget);
  }

  /**
   * A link, a message or a file can ask for any size LIMITS allow; what is over the budget is never built
   * (building it would hang the worker for minutes, or crash the tab). Says why, and keeps what runs.
   */
  private withinBudget(config: TrainConfig): boolean {
    let verdict;
    try {
      verdict = this.verdict(config);
    } catch {
      return true; // a malformed config: the session's own validation says what is wrong
    }
    if (verdict.kind !== 'over') return true;
    this.post({
      type: 'error',
      error: { kind: 'over-budget', message: `${verdict.reason} Not built: the current network is kept.` },
    });
    return false;
  }

  private newSession(config: TrainConfig): TrainingSession {
    const ds = this.dataset!;
    return new TrainingSession(
      config,
      { train: ds.train, test: ds.test },
      {
        trainLimit: this.trainLimit,
        pool: this.threads.poolForSession(),
        ...(this.myDigits ? { myDigits: this.myDigits } : {}),
      },
    );
  }

  /**
   * New halves of my digits: kept for every session from now on; the running one is taken over by a
   * session that has them (weights and position kept: fine-tuning, not a reset).
   */
  private setMyDigits(cmd: Extract<Command, { type: 'set-my-digits' }>): void {
    const classes = this.config?.outputSize ?? 10;
    this.myDigits = halvesOf(cmd, classes);
    const old = this.run.session;
    if (!old || !this.config || !this.dataset) return;
    const session = this.newSession(this.config);
    takeOver(old, session);
    this.run.continueWith(session);
  }

  /**
   * The pool reached the wanted size (or could not): the running session moves onto it — weights, position
   * and optimizer state carried over (takeOver), the same generation, the curves continuing.
   */
  private threadsChanged(): void {
    const old = this.run.session;
    if (old && this.config && this.dataset && old.workers !== this.threads.current.used) {
      try {
        const session = this.newSession(this.config);
        takeOver(old, session);
        this.run.continueWith(session);
      } catch (e) {
        this.post({ type: 'error', error: toWorkerError(e, 'invalid-config') });
      }
    }
    this.reportWorkers();
  }

  /** Posts `workers` when the threads in use, the request or the note changed. */
  private reportWorkers(): void {
    const event = this.threads.changedEvent(this.run.session?.workers ?? 1);
    if (event) this.post(event);
  }

  /** Ends the compute threads (the CLI, when it is done; a worker's end ends them anyway). */
  dispose(): void {
    this.threads.dispose();
  }

  /**
   * New hyper-parameters for the running session, which a new TrainingSession takes over (session.ts
   * `takeOver`: weights, position, optimizer moments). Same generation: the curves continue.
   */
  private updateConfig(next: TrainConfig): void {
    if (!this.withinBudget(next)) return;
    const old = this.run.session;
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
    this.threads.want(next.workers);
    if (!old || !this.dataset) {
      this.config = copyConfig(next);
      this.reportWorkers();
      return;
    }
    let session: TrainingSession;
    try {
      session = this.newSession(next);
      takeOver(old, session);
    } catch (e) {
      this.post({ type: 'error', error: toWorkerError(e, 'invalid-config') });
      return;
    }
    this.config = copyConfig(next);
    this.run.continueWith(session);
    this.reportWorkers();
  }

  // ───────────────────────────── run control ─────────────────────────────

  private start(): void {
    if (!this.run.session) {
      // Data still loading (or no config yet): remember the wish.
      this.startWhenReady = true;
      return;
    }
    this.run.start();
  }
}
