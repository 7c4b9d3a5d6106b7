/**
 * `--landscape FILE.json`: the run keeps its weights every so often (the page's timeline, the same
 * thinning), and after training the loss landscape around the final weights is computed with the page's
 * own job (training/landscapeJob.ts, run to the end in one go) and written as JSON: the plane, the grid's
 * α and β, the losses row by row (row = β), and the path of kept moments on the plane.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Split } from '../data/dataset.ts';
import type { LossLandscape, WorkerEvent } from '../protocol/messages.ts';
import { LandscapeJob } from '../training/landscapeJob.ts';
import type { TrainingSession } from '../training/session.ts';
import { WeightTimeline } from '../training/timeline.ts';

/** The kept weights of a CLI run: at most TIMELINE_MAX moments (the CLI has no page memory to share). */
export function cliTimeline(session: TrainingSession): WeightTimeline {
  const timeline = new WeightTimeline(4 * session.network.parameterCount(), Number.POSITIVE_INFINITY);
  timeline.offer(session.step, session.epoch, () => session.network.getParams());
  return timeline;
}

/** Computes the landscape (printing progress to `progress`) and returns it. */
export function computeLandscape(
  session: TrainingSession,
  timeline: WeightTimeline,
  train: Split,
  grid: number,
  progress: (done: number, total: number) => void,
): LossLandscape {
  let answer: LossLandscape | null = null;
  let failure: string | null = null;
  const clock = { now: () => performance.now(), schedule: () => () => {} };
  const post = (ev: WorkerEvent) => {
    if (ev.type === 'loss-landscape-result') answer = ev;
    else if (ev.type === 'loss-landscape-progress') progress(ev.done, ev.total);
    else if (ev.type === 'error') failure = ev.error.message;
  };
  const job = new LandscapeJob(
    { id: 1, grid, plane: 'auto' },
    session,
    timeline.moments,
    train,
    clock,
    0,
    () => true,
    post,
  );
  // Pieces of ~1 s: the same work, in order, as between the page's slices.
  while (!job.work(performance.now() + 1000)) {
    /* next piece */
  }
  if (failure !== null) throw new Error(failure);
  if (!answer) throw new Error('the landscape job ended without an answer');
  return answer;
}

/** The landscape as JSON a reader can use without our types. */
export function landscapeJson(land: LossLandscape): string {
  const cols = land.alphas.length;
  return JSON.stringify({
    plane: land.plane,
    explained: land.explained,
    step: land.step,
    images: land.images,
    alphas: Array.from(land.alphas),
    betas: Array.from(land.betas),
    losses: Array.from({ length: land.betas.length }, (_, r) =>
      Array.from(land.losses.subarray(r * cols, (r + 1) * cols)),
    ),
    path: Array.from(land.pathSteps, (step, i) => ({
      step,
      alpha: land.path[2 * i]!,
      beta: land.path[2 * i + 1]!,
    })),
    computeMs: Math.round(land.workMs),
  });
}

export function writeLandscape(file: string, land: LossLandscape): string {
  const path = resolve(file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, landscapeJson(land));
  return path;
}
