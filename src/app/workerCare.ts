/**
 * What the page does when the training worker is lost (bridge.ts's watchdog: closed, crashed, failed to
 * load, hung) or hits an error it survives — and the checkpoints that let a new worker resume the run.
 *
 * - Checkpoints: every CHECKPOINT_MS while training, and whenever the run stops (a status other than
 *   training at a new step or generation), the page asks the worker for `checkpoint` (the session's state:
 *   position, weights, optimizer moments — a few MB, copied in a few ms and transferred) and keeps the last
 *   one of the current generation. Cheaper than a model file (no base64) and exact: the run continues bit
 *   for bit, step count and optimizer included. A new generation (configure, reset, a loaded model) drops
 *   it: that run starts over anyway.
 * - Lost: the run store stops claiming to train (status 'paused', 0 samples/s). The first time, the worker
 *   is restarted at once (`restarted`, with what happened); after that the page asks (`lost`, Restart).
 * - Restart: a new worker, the same dataset, speed, config and inside-views state; the run resumes from the
 *   last checkpoint when there is one for this generation (else a fresh run), and trains on if it was
 *   training when the worker was lost.
 */
import type { RunCheckpoint, WorkerEvent } from '../protocol/messages';
import { useConfigStore } from '../store/config';
import { useInsideStore } from '../store/inside';
import { useRunStore } from '../store/run';
import type { AppContext } from './actions';
import { loadData } from './actions';
import type { LostReason } from './bridge';
import { setRun } from './routeEvents';

/** How often a training run is checkpointed (ms). */
export const CHECKPOINT_MS = 10_000;

export interface WorkerCare {
  /** Every event the page sees (status changes trigger checkpoints). */
  onEvent(ev: WorkerEvent): void;
  onGeneration(generation: number): void;
  onLost(reason: LostReason, message: string): void;
  onWorkerError(message: string): void;
  /** Restart (the user's button): a new worker, resuming where the last checkpoint was. */
  restart(): void;
}

export function createWorkerCare(app: () => AppContext): WorkerCare {
  let last: { generation: number; checkpoint: RunCheckpoint } | null = null;
  /** Step and generation of the last checkpoint asked for on a stop (so each stop asks once). */
  let askedAt = '';
  let inFlight = false;
  let autoRestarts = 0;
  let trainingWhenLost = false;
  let timerStarted = false;

  function requestCheckpoint(): void {
    const { bridge } = app();
    if (inFlight || bridge.lost) return;
    inFlight = true;
    bridge
      .request('checkpoint', {})
      .then((ev) => {
        if (ev.generation === app().bridge.generation)
          last = { generation: ev.generation, checkpoint: ev.checkpoint };
      })
      .catch(() => {})
      .finally(() => {
        inFlight = false;
      });
  }

  function tick(): void {
    if (useRunStore.getState().status === 'training') requestCheckpoint();
    app().setTimeout(tick, CHECKPOINT_MS);
  }

  function restart(auto: boolean, why: string): void {
    const ctx = app();
    const { bridge } = ctx;
    const kept = last && last.generation === bridge.generation ? last.checkpoint : null;
    const { dataset, config, speed } = useConfigStore.getState();
    bridge.restart();
    if (speed !== 'full') bridge.send({ type: 'set-speed', speed });
    loadData(ctx, dataset);
    bridge.startGeneration((generation) => ({
      type: 'configure',
      generation,
      config,
      ...(kept ? { resume: kept } : {}),
    }));
    // Survives the new generation: a second loss before the next checkpoint resumes from the same one.
    last = kept ? { generation: bridge.generation, checkpoint: kept } : null;
    if (useInsideStore.getState().screen === 'inside') bridge.send({ type: 'set-inspect', on: true });
    if (trainingWhenLost) bridge.send({ type: 'start' });
    const resumed = kept
      ? `resumed from step ${kept.step.toLocaleString('en-US')}`
      : 'its run had not been saved yet, so it starts afresh';
    setRun({
      worker: auto
        ? { state: 'restarted', message: `${why} It was restarted with the same settings and ${resumed}.` }
        : { state: 'ok' },
    });
  }

  return {
    onEvent(ev) {
      if (!timerStarted) {
        timerStarted = true;
        app().setTimeout(tick, CHECKPOINT_MS);
      }
      if (ev.type !== 'status' || ev.status === 'training' || ev.step === 0) return;
      const key = `${ev.generation}:${ev.step}`;
      if (key === askedAt) return;
      askedAt = key;
      requestCheckpoint();
    },
    onGeneration(generation) {
      if (last && last.generation !== generation) last = null;
    },
    onLost(_reason, message) {
      const run = useRunStore.getState();
      trainingWhenLost = run.status === 'training';
      setRun({ status: trainingWhenLost ? 'paused' : run.status, samplesPerSecond: 0 });
      if (autoRestarts === 0) {
        autoRestarts++;
        restart(true, message);
        return;
      }
      setRun({
        worker: {
          state: 'lost',
          message: `${message} Restart starts a new one with the same settings${
            last ? `, resuming from step ${last.checkpoint.step.toLocaleString('en-US')}` : ''
          }.`,
        },
      });
    },
    onWorkerError(message) {
      setRun({
        error: {
          kind: 'worker-error',
          message: `An error in the training worker: ${message}. It is still running; if something looks wrong, press Reset.`,
        },
      });
    },
    restart: () => restart(false, ''),
  };
}
