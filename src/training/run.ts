/**
 * One network's run, from its first batch: the session, the status (moved only through runStatus.ts),
 * the loop of time slices, the epoch-end evaluations, and the stream it sends — metrics, status,
 * snapshots — paced by pacing.ts. The trainer (trainer.ts) owns the data, the config and the generation,
 * decides when a fresh run begins, and answers the commands; this file decides what happens when.
 */
import type { Dataset } from '../data/dataset';
import type { TrainConfig } from '../engine/types';
import type { RunStatus, Speed, StopReason, WorkerEvent } from '../protocol/messages';
import type { Clock } from './clock';
import { DivergenceWatch } from './divergence';
import { EpochTally, epochEndEvent, newEvalJob, runEvalChunks, type EvalJob } from './evaluation';
import { MetricBuffer } from './metricBuffer';
import { SlicePacing, SnapshotPacing, Throughput, type SliceOptions } from './pacing';
import { nextStatus, type RunEvent } from './runStatus';
import type { BatchResult, TrainingSession } from './session';
import { Inspection, type StatsProbe } from './inspection';
import { lastStepEpoch, stopMessage, StopRules } from './stopping';
import { buildSnapshot, type Probe } from './snapshot';
import { toWorkerError } from './workerError';
import { WeightTimeline } from './timeline';

/** Sends one event to the page; `transfer` lists buffers to move rather than copy. */
export type PostFn = (event: WorkerEvent, transfer?: ArrayBuffer[]) => void;

/** What a run reads from its trainer, which owns these and changes them. */
export interface RunHost {
  /** The generation every event carries. */
  generation(): number;
  /** The epoch limit, and the learning rate shown before a session exists. */
  config(): TrainConfig | null;
  /** The test split (epoch-end evaluations) and its probe images (snapshots). */
  dataset(): Dataset | null;
  probe(): Probe | null;
  /** The inside views' 64 training images (activation health). */
  statsProbe(): StatsProbe | null;
}

export interface RunOptions extends SliceOptions {
  /** Minimum time between `metrics` events while training (ms). */
  metricsIntervalMs: number;
  /** Minimum time between periodic `status` events while training (ms). */
  statusIntervalMs: number;
  /** Heavy snapshots per second, at most. */
  snapshotsPerSecond: number;
  /** Images per evaluation chunk; chunks run until the slice's time is spent. */
  evalChunk: number;
  /** Test images evaluated at each epoch end (default: the whole test split). */
  evalLimit: number | undefined;
  /** The memory budget; the timeline of kept weights takes at most a quarter of it (timeline.ts). */
  memoryBudgetBytes: number;
}

/** The page hears of new kept moments at most this often (ms). */
const TIMELINE_EVENT_MS = 1000;

export class Run {
  private currentSession: TrainingSession | null = null;
  private currentStatus: RunStatus = 'idle';
  private cancelTick: (() => void) | null = null;
  private evalJob: EvalJob | null = null;
  private readonly tally = new EpochTally();
  private lastFiniteLoss = NaN;
  /** Finite divergence (divergence.ts): a loss far above the run's early loss that does not come back. */
  private watch = new DivergenceWatch(10);
  private testAccuracy: number | undefined;
  /** untilLoss and patience (stopping.ts), for the current session. */
  private stops = new StopRules({ untilLoss: 0, patience: 0 });
  /** Why the run last stopped by itself (cleared by the next start), so a stop is said once. */
  private stoppedBy: StopReason | null = null;
  /** The loss tolerance was reached on an epoch's last batch: stop once that epoch is evaluated. */
  private stopAfterEval = false;
  /** Step was pressed on a batch of several micro-batches: they train across slices, then the run pauses. */
  private stepThenPause = false;
  /** Step was asked for while the epoch's evaluation ran: that step follows the evaluation. */
  private stepAfterEval = false;
  /** Milliseconds this run has spent training (its training slices), and that figure at the last epoch end. */
  private trainedMs = 0;
  private trainedMsAtEpochEnd = 0;
  /** The inside views: open or not, and the last evaluation's answers (inspection.ts). */
  readonly inspection = new Inspection();
  /** The weights kept every so often (scrubbing back, the landscape's path); null without a session. */
  private kept: WeightTimeline | null = null;
  private keptPosted = -1;
  private keptPostedAt = -Infinity;

  private readonly metrics = new MetricBuffer();
  private lastMetricsAt = -Infinity;
  private readonly slices: SlicePacing;
  private readonly snapshots: SnapshotPacing;
  private readonly throughput = new Throughput();

  constructor(
    private readonly host: RunHost,
    private readonly post: PostFn,
    private readonly clock: Clock,
    private readonly opts: RunOptions,
  ) {
    this.slices = new SlicePacing(opts, clock);
    this.snapshots = new SnapshotPacing(opts.snapshotsPerSecond, clock);
  }

  get session(): TrainingSession | null {
    return this.currentSession;
  }
  get status(): RunStatus {
    return this.currentStatus;
  }
  /** Test accuracy of the last epoch-end evaluation (saved with the model), if there was one. */
  get lastTestAccuracy(): number | undefined {
    return this.testAccuracy;
  }
  /** Sequence number of the un-acknowledged snapshot, or null. */
  get snapshotInFlight(): number | null {
    return this.snapshots.inFlight;
  }
  get timeline(): WeightTimeline | null {
    return this.kept;
  }

  /** Steps trained in this run. */
  get step(): number {
    return this.currentSession ? this.currentSession.step : 0;
  }
  get epoch(): number {
    return this.currentSession ? this.currentSession.epoch : 0;
  }

  // ───────────────────────────── fresh runs ─────────────────────────────

  /** Stops all work and forgets the session (old generation: unsent metrics are dropped, not flushed). */
  drop(): void {
    this.stopLoop();
    this.currentSession = null;
    this.evalJob = null;
    this.metrics.clear();
    this.snapshots.forget();
  }

  /**
   * The one path to a fresh run (the trainer has set the generation). Stops all work, forgets everything
   * the previous run produced, takes `session` (null while the data or the config is missing, or when it
   * could not be built) with status idle. `announce` posts what the page must see before that status
   * (model-loaded, a config error); then come the status and the new network's first snapshot.
   */
  begin(session: TrainingSession | null, announce?: () => void): void {
    this.drop();
    this.currentSession = session;
    this.tally.reset();
    this.lastFiniteLoss = NaN;
    this.watch = new DivergenceWatch(session ? session.config.outputSize : 10);
    this.testAccuracy = undefined;
    this.stops = new StopRules(session?.config ?? { untilLoss: 0, patience: 0 });
    this.stoppedBy = null;
    this.stopAfterEval = false;
    this.stepThenPause = false;
    this.stepAfterEval = false;
    this.trainedMs = 0;
    this.trainedMsAtEpochEnd = 0;
    this.inspection.forget();
    this.throughput.reset();
    this.kept = session
      ? new WeightTimeline(4 * session.network.parameterCount(), this.opts.memoryBudgetBytes)
      : null;
    this.keptPosted = -1;
    if (session) this.kept!.offer(session.step, session.epoch, () => session.network.getParams());
    this.moveQuietly('new-run');
    announce?.();
    this.postStatus();
    if (!session) return;
    this.snapshots.dirty = true;
    this.maybeSnapshot();
  }

  /**
   * update-config: `session` (which took over the current one) continues this run — same generation,
   * the curves continue. A finished run whose epoch limit was lifted waits again ('paused').
   */
  continueWith(session: TrainingSession): void {
    this.flushMetrics();
    this.currentSession = session;
    this.stops.setRules(session.config);
    if (!this.epochLimitReached()) this.moveQuietly('epochs-added');
    this.postStatus();
  }

  /**
   * Something failed (a command, or a slice): stop the loop and any evaluation, post the `error` (with
   * the command's id when it has one), and a training run pauses. The worker keeps serving.
   */
  fail(e: unknown, id?: number): void {
    this.stopLoop();
    this.evalJob = null;
    const error = toWorkerError(e, 'internal');
    this.post(id === undefined ? { type: 'error', error } : { type: 'error', id, error });
    this.transition('pause');
  }

  setSpeed(speed: Speed): void {
    this.slices.setSpeed(speed);
    if (this.currentStatus === 'training') this.reschedule();
  }

  /** The inside views opened (a snapshot with activation health follows at once) or closed. */
  setInspect(on: boolean): void {
    this.inspection.setOn(on);
    this.snapshots.dirty = on || this.snapshots.dirty;
    this.maybeSnapshot();
  }

  setSnapshotRate(perSecond: number): void {
    this.snapshots.setRate(perSecond);
  }

  /** The page drew snapshot `seq`: the next may go. */
  ack(seq: number): void {
    if (this.snapshots.ack(seq)) this.maybeSnapshot();
  }

  /** A predict arrived: short slices for a while. */
  interacted(): void {
    this.slices.interacted();
  }

  // ───────────────────────────── run control ─────────────────────────────

  /** Train (or, with every epoch trained and evaluated, say 'done' again). Needs a session. */
  start(): void {
    const atLimit = this.epochLimitReached() && !this.evalJob;
    this.stepAfterEval = false;
    if (!atLimit) {
      // Training on after a stop: the rules watch again (patience counts from here).
      this.stoppedBy = null;
      this.stops.resume();
    }
    this.transition(atLimit ? 'start-at-limit' : 'start');
  }

  /** The user pauses (a no-op unless training). */
  pause(): void {
    this.stepThenPause = false;
    this.stepAfterEval = false;
    this.transition('pause');
  }

  /**
   * Train exactly one batch, then wait (nothing without a session or past the last epoch). Asked while the
   * epoch's evaluation runs (Step pressed on the step that ended an epoch), the step follows the evaluation:
   * it was dropped before, and the click did nothing.
   */
  stepOnce(): void {
    if (!this.currentSession) return;
    if (this.epochLimitReached() && !this.evalJob) {
      this.transition('pause');
      return;
    }
    if (this.evalJob) {
      // The evaluation goes on in its own ticks, paused too; finishEval takes the step (unless the run ends).
      this.stepAfterEval = true;
      this.transition('pause');
      return;
    }
    // Training on after a stop: the rules watch again.
    this.stoppedBy = null;
    this.stops.resume();
    if (this.currentSession.microsPerBatch > 1) {
      // A batch of several micro-batches (up to the whole training set) trains across slices, so pause and
      // predict answer meanwhile; the run pauses when its step is done.
      this.stepThenPause = true;
      this.transition('start');
      return;
    }
    this.stopLoop();
    this.moveQuietly('step');
    this.trainOne();
    this.flushMetrics();
    if (this.currentStatus === 'paused') this.postStatus();
    this.maybeSnapshot();
    this.maybePostTimeline(this.clock.now(), true);
    this.reschedule();
  }

  private epochLimitReached(): boolean {
    const epochs = this.host.config()?.epochs ?? 0;
    return epochs > 0 && this.epoch >= epochs;
  }

  /**
   * Moves the status by `event` (runStatus.ts) and says so: metrics first, so the page has every point
   * up to the change, then the status; training restarts the rate count and the loop. Returns false,
   * doing nothing, when the event does not apply in the current status.
   */
  private transition(event: RunEvent): boolean {
    const next = nextStatus(this.currentStatus, event);
    if (next === null) return false;
    this.flushMetrics();
    const changed = next !== this.currentStatus;
    this.currentStatus = next;
    if (next === 'training') this.slices.restart();
    else this.throughput.stopped();
    this.postStatus();
    if (changed || next === 'training') this.reschedule();
    return true;
  }

  /** Moves the status by `event` without a word: the caller posts the status after more work. */
  private moveQuietly(event: RunEvent): void {
    this.currentStatus = nextStatus(this.currentStatus, event) ?? this.currentStatus;
  }

  private postStatus(): void {
    const samplesPerSecond = this.throughput.posted(this.clock.now(), this.currentStatus === 'training');
    const s = this.currentSession;
    const progress = s?.stepProgress ?? null;
    this.post({
      type: 'status',
      generation: this.host.generation(),
      status: this.currentStatus,
      epoch: this.epoch,
      step: this.step,
      batchesPerEpoch: s ? s.batchesPerEpoch : 0,
      samplesPerSecond,
      learningRate: s ? s.learningRate : (this.host.config()?.learningRate ?? 0),
      ...(progress ? { stepRows: { done: progress.rowsDone, of: progress.rows } } : {}),
    });
  }

  // ───────────────────────────── the loop ─────────────────────────────

  private stopLoop(): void {
    this.cancelTick?.();
    this.cancelTick = null;
  }

  /** Schedules the next tick if there is work: an evaluation in progress, or training. */
  private reschedule(): void {
    this.stopLoop();
    let delay: number;
    if (this.evalJob) delay = 0;
    else if (this.currentStatus !== 'training') return;
    else delay = this.slices.delay();
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
    let deadline = this.slices.sliceEnd(t0);
    // End the slice when the next snapshot falls due (the page has acked the last one), so snapshots go
    // out on time instead of up to a slice late.
    if (this.snapshots.inFlight === null) deadline = Math.min(deadline, this.snapshots.nextDueAt());
    if (this.evalJob) {
      this.evalChunks(deadline);
    } else if (this.currentStatus === 'training') {
      const budget = this.slices.budget(t0);
      let n = 0;
      // A step of several micro-batches (engine/stepPlan.ts) counts once, when its last is done; the slice
      // may end between them — pause, predict and snapshots are answered there.
      // The loop's own clock reads time the slice (no extra read: the tests' clock moves on every read).
      let now = t0;
      while (n < budget && this.currentStatus === 'training' && !this.evalJob) {
        if (this.trainOne()) {
          n++;
          this.slices.trained();
        }
        now = this.clock.now();
        if (now >= deadline) break;
      }
      this.trainedMs += now - t0;
      // The epoch ended in this slice (its evaluation starts now): its time is up to its last step.
      if (this.evalJob) this.trainedMsAtEpochEnd = this.trainedMs;
      // An evaluation that starts now gets the rest of this slice.
      if (this.evalJob && this.clock.now() < deadline) this.evalChunks(deadline);
    }
    this.afterSlice();
    this.reschedule();
  }

  private afterSlice(): void {
    const now = this.clock.now();
    if (now - this.lastMetricsAt >= this.opts.metricsIntervalMs) this.flushMetrics();
    if (this.currentStatus === 'training' && now - this.throughput.lastAt >= this.opts.statusIntervalMs)
      this.postStatus();
    this.maybeSnapshot();
    // Paused or stopped after this slice: the page gets the last moments now, not a second later.
    this.maybePostTimeline(now, this.currentStatus !== 'training');
  }

  /** Tells the page which moments are kept, when that changed (at most once a second while training). */
  private maybePostTimeline(now: number, force = false): void {
    const t = this.kept;
    if (!t || t.version === this.keptPosted) return;
    if (!force && now - this.keptPostedAt < TIMELINE_EVENT_MS) return;
    this.keptPosted = t.version;
    this.keptPostedAt = now;
    const steps = Uint32Array.from(t.moments, (m) => m.step);
    const epochs = Uint16Array.from(t.moments, (m) => m.epoch);
    this.post(
      {
        type: 'timeline',
        generation: this.host.generation(),
        steps,
        epochs,
        bytes: t.bytes,
        capacity: t.capacity,
      },
      [steps.buffer, epochs.buffer],
    );
  }

  /**
   * One micro-batch; once it ends a step, that step's metrics, divergence guard, epoch end. Returns true
   * when a step ended.
   */
  private trainOne(): boolean {
    const r = this.currentSession!.trainMicroBatch();
    if (!r) return false;
    this.afterStep(r);
    if (this.stepThenPause) {
      this.stepThenPause = false;
      this.transition('pause');
    }
    return true;
  }

  /** A step ended: metrics, divergence guard, epoch end. */
  private afterStep(r: BatchResult): void {
    if (!Number.isFinite(r.loss)) {
      this.diverge(r.step);
      return;
    }
    this.pushMetric(r.step, r.loss, r.correct / r.batchSize, r.epoch);
    this.lastFiniteLoss = r.loss;
    this.tally.add(r.loss, r.correct, r.batchSize);
    this.throughput.trained(r.batchSize);
    this.snapshots.dirty = true;
    const s = this.currentSession!;
    this.kept?.offer(r.step, r.epoch, () => s.network.getParams());
    const verdict = this.watch.push(r.loss);
    if (verdict) {
      this.diverge(r.step, `Training diverged at step ${r.step}: ${verdict.message}`);
      return;
    }
    if (r.epochEnded) this.beginEval(r.step);
    if (this.stops.afterBatch(r.loss) && !this.stoppedBy) {
      // On an epoch's last batch, the epoch's evaluation comes first (its point belongs on the curves).
      if (this.evalJob) this.stopAfterEval = true;
      else this.stopBy('loss-tolerance');
    }
  }

  /**
   * The run stops by itself: after early stopping the best epoch's weights come back (and its test figures
   * are the ones saved with the model); `stopped` says why and where, then the status `done`.
   */
  private stopBy(
    reason: Exclude<StopReason, 'diverged'>,
    lastTest?: { loss: number; accuracy: number },
  ): void {
    const session = this.currentSession!;
    const epoch = lastStepEpoch(session);
    let bestEpoch = epoch;
    let test = lastTest;
    const best = this.stops.best;
    if (reason === 'early-stopping' && best) {
      session.network.setParams(best.params);
      bestEpoch = best.epoch;
      test = best.test;
      this.testAccuracy = best.test?.accuracy;
      this.snapshots.dirty = true;
    }
    this.stoppedBy = reason;
    this.flushMetrics();
    const untilLoss = session.config.untilLoss;
    this.post({
      type: 'stopped',
      generation: this.host.generation(),
      reason,
      step: session.step,
      epoch,
      bestEpoch,
      trainLoss: this.stops.smoothed.value,
      ...(test ? { testLoss: test.loss, testAccuracy: test.accuracy } : {}),
      message: stopMessage(reason, { untilLoss, epoch, bestEpoch }),
    });
    this.transition(reason === 'epochs' ? 'last-epoch-evaluated' : 'stop-rule');
  }

  private diverge(step: number, message?: string): void {
    const last = this.lastFiniteLoss;
    const lastText = Number.isFinite(last) ? ` (last finite loss ${last.toPrecision(3)})` : '';
    this.flushMetrics();
    this.post({
      type: 'diverged',
      generation: this.host.generation(),
      step,
      lastFiniteLoss: Number.isFinite(last) ? last : 0,
      message: message ?? `The loss exploded at step ${step}${lastText} — try a smaller learning rate`,
    });
    this.transition('diverge');
  }

  // ───────────────────────────── metrics ─────────────────────────────

  private pushMetric(step: number, loss: number, accuracy: number, epoch: number): void {
    // Points in one event are consecutive steps; a gap (a skipped diverged batch) starts a new event.
    if (!this.metrics.continues(step)) this.flushMetrics();
    this.metrics.push(step, loss, accuracy, epoch);
  }

  private flushMetrics(): void {
    this.lastMetricsAt = this.clock.now();
    const batch = this.metrics.take(this.host.generation());
    if (batch) this.post(batch.event, batch.transfer);
  }

  // ───────────────────────────── epoch-end evaluation ─────────────────────────────

  private beginEval(step: number): void {
    const test = this.host.dataset()!.test;
    const train = this.tally.take();
    const limit = Math.min(test.count, this.opts.evalLimit ?? test.count);
    const session = this.currentSession!;
    const classes = session.config.outputSize;
    const validation = session.validationSplit?.count ?? 0;
    this.evalJob = newEvalJob(this.epoch, step, train.loss, train.accuracy, limit, classes, validation);
    // Ended by Step (no slice running); in a slice, the slice adds its time when its loop ends.
    this.trainedMsAtEpochEnd = this.trainedMs;
  }

  /**
   * Evaluates chunks of the validation images, then of the test split, until `deadline` (at least one
   * chunk), then finishes the epoch.
   */
  private evalChunks(deadline: number): void {
    const job = this.evalJob!;
    const test = this.host.dataset()!.test;
    const session = this.currentSession!;
    const { evalChunk } = this.opts;
    const validation = session.validationSplit;
    if (runEvalChunks(job, session.network, test, evalChunk, this.clock, deadline, validation)) {
      this.finishEval(job);
    }
  }

  /** Posts the epoch's figures, then applies the rules that watch them: early stopping, the epoch limit. */
  private finishEval(job: EvalJob): void {
    this.evalJob = null;
    const stepNext = this.stepAfterEval;
    this.stepAfterEval = false;
    this.flushMetrics();
    const { event, transfer } = epochEndEvent(job, this.host.generation());
    event.trainSeconds = this.trainedMsAtEpochEnd / 1000;
    const mySession = this.currentSession;
    if (mySession?.hasMyDigitsTest) {
      // A few hundred digits at most: one synchronous pass, after the sliced test evaluation.
      const mine = mySession.evaluate('mine');
      event.myDigitsAccuracy = mine.accuracy;
      event.myDigitsCount = mine.count;
      event.myDigitsCorrect = Math.round(mine.accuracy * mine.count);
    }
    const test = { loss: event.testLoss, accuracy: event.testAccuracy };
    this.testAccuracy = event.testAccuracy;
    this.inspection.answers = { perSample: job.answers, count: job.limit };
    this.post(event, transfer);
    const session = this.currentSession!;
    const v = event.validationLoss;
    const patienceRanOut =
      v !== undefined &&
      this.stops.afterValidation(
        event.epoch,
        { loss: v, accuracy: event.validationAccuracy ?? 0 },
        () => session.network.getParams(),
        test,
      );
    if (this.stopAfterEval) {
      this.stopAfterEval = false;
      if (!this.stoppedBy) return this.stopBy('loss-tolerance', test);
    }
    if (this.stoppedBy) return this.postStatus();
    if (patienceRanOut) return this.stopBy('early-stopping', test);
    if (this.epochLimitReached() && nextStatus(this.currentStatus, 'last-epoch-evaluated') !== null) {
      return this.stopBy('epochs', test);
    }
    if (stepNext && this.currentStatus === 'paused') return this.stepOnce();
    this.postStatus();
  }

  // ───────────────────────────── snapshots ─────────────────────────────

  /** Sends a snapshot if one is due (pacing.ts: something changed, none in flight, the rate allows). */
  private maybeSnapshot(): void {
    if (!this.currentSession) return;
    if (this.snapshots.due(() => this.maybeSnapshot())) this.sendSnapshot();
  }

  private sendSnapshot(): void {
    const probe = this.host.probe()!;
    const stats = this.inspection.healthDue(this.clock.now()) ? this.host.statsProbe() : null;
    const seq = this.snapshots.nextSeq;
    const built = buildSnapshot(this.currentSession!, probe, this.host.generation(), seq, stats);
    if (!built) {
      this.networkBroken();
      return;
    }
    this.snapshots.sent();
    this.post(built.event, built.transfer);
  }

  /**
   * Weights or activations that are not finite numbers: they are never drawn, and training stops like a
   * divergence (the next batch's loss would be NaN anyway).
   */
  private networkBroken(): void {
    this.snapshots.dirty = false;
    if (nextStatus(this.currentStatus, 'diverge') === null) return;
    this.stopLoop();
    const step = this.step;
    this.diverge(
      step,
      `The network blew up at step ${step}: its outputs are no longer finite numbers — try a smaller learning rate`,
    );
  }
}
