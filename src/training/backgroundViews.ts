/**
 * The views whose answers take longer than a message (the representation map; the loss landscape next to
 * it): each question starts a job that runs in pieces between the training slices (backgroundWork.ts).
 * The trainer hands over the current session and split; this file keeps what the jobs share between
 * questions (the last map of each layer, the map's images).
 */
import type { Split } from '../data/dataset.ts';
import type { Command } from '../protocol/messages.ts';
import { BackgroundWork } from './backgroundWork.ts';
import type { Clock } from './clock.ts';
import { MapJob, MapMemory, mapIndices } from './hiddenMap.ts';
import { LandscapeJob } from './landscapeJob.ts';
import type { PostFn } from './run.ts';
import type { TrainingSession } from './session.ts';
import type { Moment, WeightTimeline } from './timeline.ts';
import { MomentEvalJob } from './moments.ts';

export class BackgroundViews {
  readonly work: BackgroundWork;
  private readonly maps = new MapMemory();
  private indices: { split: Split; indices: Int32Array } | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly post: PostFn,
  ) {
    this.work = new BackgroundWork(clock);
  }

  /** A new dataset (or none): every job ends, the maps' memory goes. */
  datasetChanged(): void {
    this.work.cancelAll();
    this.maps.clear();
    this.indices = null;
  }

  private mapImages(test: Split): Int32Array {
    if (this.indices?.split !== test) this.indices = { split: test, indices: mapIndices(test.count) };
    return this.indices.indices;
  }

  /**
   * Starts the map `cmd` asks for (replacing one still running). `current` says whether `session` is still
   * the run's: a rebuild ends the job.
   */
  hiddenMap(
    cmd: Extract<Command, { type: 'hidden-map' }>,
    session: TrainingSession | null,
    test: Split | null,
    generation: number,
    current: () => TrainingSession | null,
    timeline: WeightTimeline | null = null,
  ): void {
    const fail = (kind: string, message: string) =>
      this.post({ type: 'error', id: cmd.id, error: { kind, message } });
    if (!session || !test) return fail('no-model', 'The network is not ready yet.');
    const at = cmd.at ?? null;
    const moment = at === null ? undefined : timeline?.at(at);
    if (at !== null && !moment) return fail('no-moment', `Step ${at} is not a kept moment.`);
    let job: MapJob;
    try {
      job = new MapJob(
        {
          id: cmd.id,
          layer: cmd.layer,
          withImages: cmd.withImages === true,
          withActivations: cmd.withActivations === true,
          ...(moment ? { moment } : {}),
        },
        session,
        test,
        this.mapImages(test),
        this.maps,
        this.clock,
        generation,
        () => current() === session,
        this.post,
      );
    } catch (e) {
      if (e instanceof RangeError) return fail('bad-layer', e.message);
      throw e;
    }
    this.work.add('hidden-map', job);
  }

  /** Starts the loss landscape `cmd` asks for over `kept` (the run's kept moments), replacing one running. */
  lossLandscape(
    cmd: Extract<Command, { type: 'loss-landscape' | 'landscape-plan' }>,
    session: TrainingSession | null,
    kept: readonly Moment[],
    train: Split | null,
    generation: number,
    current: () => TrainingSession | null,
  ): void {
    const fail = (kind: string, message: string) =>
      this.post({ type: 'error', id: cmd.id, error: { kind, message } });
    if (!session || !train) return fail('no-model', 'The network is not ready yet.');
    let job: LandscapeJob;
    try {
      job = new LandscapeJob(
        { id: cmd.id, grid: cmd.grid, plane: cmd.plane, planOnly: cmd.type === 'landscape-plan' },
        session,
        kept,
        train,
        this.clock,
        generation,
        () => current() === session,
        this.post,
      );
    } catch (e) {
      if (e instanceof RangeError) return fail('bad-grid', e.message);
      throw e;
    }
    this.work.add('loss-landscape', job);
  }

  /** Starts the test-set evaluation of kept moment `cmd.step` (replacing one running). */
  momentEval(
    cmd: Extract<Command, { type: 'moment-eval' }>,
    session: TrainingSession | null,
    timeline: WeightTimeline | null,
    test: Split | null,
    generation: number,
    current: () => TrainingSession | null,
  ): void {
    const fail = (kind: string, message: string) =>
      this.post({ type: 'error', id: cmd.id, error: { kind, message } });
    if (!session || !test) return fail('no-model', 'The network is not ready yet.');
    const moment = timeline?.at(cmd.step);
    if (!moment) return fail('no-moment', `Step ${cmd.step} is not a kept moment.`);
    this.work.add(
      'moment-eval',
      new MomentEvalJob(
        cmd.id,
        moment,
        session,
        test,
        this.clock,
        generation,
        () => current() === session,
        this.post,
      ),
    );
  }

  cancelLandscape(): void {
    this.work.cancel('loss-landscape');
  }
}
