/**
 * The run's status as a state machine you can read: every state × every event → the next state, or
 * `__` where the event does not apply in that state (it is ignored: the status stays and nothing is
 * posted). The run changes its status only through this table: Run.transition (flushes metrics, posts
 * the status, starts or stops the loop) and, for the three quiet moves — step, epochs-added, new-run —
 * Run.moveQuietly, whose callers post the status themselves after more work.
 */
import type { RunStatus } from '../protocol/messages';

/** What can happen to a run, in the order of the table's columns. */
export const RUN_EVENTS = [
  /** The user asks to train, and epochs remain (or an evaluation is still running). */
  'start',
  /** The user asks to train, but every epoch is trained and evaluated. */
  'start-at-limit',
  /** The user pauses; a command failed while training; a step found nothing to train. */
  'pause',
  /** One batch is trained on request, then the run waits. */
  'step',
  /** The loss, or the network's outputs, stopped being finite numbers. */
  'diverge',
  /** The last epoch's test evaluation finished. */
  'last-epoch-evaluated',
  /** A stop rule fired (stopping.ts): the smoothed loss reached `untilLoss`, or early stopping. */
  'stop-rule',
  /** update-config lifted the epoch limit of a finished run. */
  'epochs-added',
  /** configure, reset, load-model or a dataset arriving: a fresh run (usually a new generation). */
  'new-run',
] as const;

export type RunEvent = (typeof RUN_EVENTS)[number];

/** One next status (or null) per event, in RUN_EVENTS order: the tuple type keeps the columns counted. */
type Row<Events extends readonly unknown[] = typeof RUN_EVENTS> = {
  readonly [K in keyof Events]: RunStatus | null;
};

/** Not applicable here: ignored. */
const __ = null;

// prettier-ignore
const TABLE: Readonly<Record<RunStatus, Row>> = {
  //           start       start-at-limit pause     step      diverge     last-epoch-  stop-rule epochs-   new-run
  //                                                                      evaluated              added
  idle:     [ 'training', 'done',        __,       'paused', 'diverged', __,          __,       __,       'idle' ],
  training: [ __,         __,            'paused', 'paused', 'diverged', 'done',      'done',   __,       'idle' ],
  paused:   [ 'training', 'done',        __,       'paused', 'diverged', 'done',      'done',   __,       'idle' ],
  done:     [ 'training', 'done',        __,       'paused', 'diverged', __,          __,       'paused', 'idle' ],
  diverged: [ 'training', 'done',        __,       'paused', __,         __,          __,       __,       'idle' ],
};

/**
 * The status after `event` in `status`, or null when the event does not apply there. A state that maps
 * to itself (done × start-at-limit) is a move all the same: the status is posted again.
 */
export function nextStatus(status: RunStatus, event: RunEvent): RunStatus | null {
  return TABLE[status][RUN_EVENTS.indexOf(event)] ?? null;
}
