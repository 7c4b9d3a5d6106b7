/**
 * The page's end of the worker pipe. It speaks the protocol and knows no store: what happens to an event
 * is the router's business (routeEvents.ts), what the user asked for is the actions' (actions.ts).
 *
 * - Request ids: `request` numbers a command and resolves with its answer (protocol REPLIES), or rejects
 *   with the message of the `error` that carries its id.
 * - Generations: the bridge numbers them. `startGeneration` adopts a new one at once (configure, reset:
 *   the old network's events still in the pipe are dropped); `load-model` carries a proposed one
 *   (`proposeGeneration`), adopted only when `model-loaded` arrives (a rejected file changes nothing).
 *   Events of any other generation are dropped here, so a snapshot of a network that was just rebuilt is
 *   never drawn; `onGeneration` tells the page to clear what the old network produced.
 * - Predict coalescing: at most one predict in flight; the newest pixels are sent when it returns. The
 *   drawn digit is classified again by every new generation and after every snapshot, so its answer
 *   stays live as the network learns (≤ the snapshot rate). After `clearPrediction`, late answers are
 *   ignored.
 * - Acks (back-pressure): a snapshot is acknowledged only after the animation frame that follows
 *   handing it on, so the worker (which keeps at most one snapshot in flight) sends them as fast as the
 *   page draws and no faster; a hidden tab (no frames) simply receives none until it is shown again.
 * - Watchdog: the worker posts a `heartbeat` every HEARTBEAT_MS (1 s) for as long as it lives, paused or
 *   not, from its event loop between slices (a slice is ≤ 25 ms; one of up to ~1 s still leaves a beat
 *   every ~2 s). Any message counts as a sign of life. No message for SILENCE_MS (3 s) — a worker the
 *   browser closed (out of memory), that crashed or hangs — or none within START_MS of starting, or an
 *   `error` event before its first message (the script failed to load): the worker is lost. The bridge
 *   terminates it, rejects the pending requests and says so (`onLost`); `restart` starts a new one. An
 *   `error` event from a worker that has spoken (an uncaught error in a timer callback: the worker lives
 *   on) is not a page error (preventDefault) and is reported as what it is (`onWorkerError`); if the
 *   worker really died, the silence says so 3 s later.
 */
import {
  HEARTBEAT_MS,
  REPLIES,
  type Command,
  type ReplyTo,
  type RequestType,
  type WorkerEvent,
} from '../protocol/messages';

/** What the bridge needs from a Worker (a fake in tests). */
export interface WorkerLike {
  postMessage(message: Command, transfer: Transferable[]): void;
  onmessage: ((ev: MessageEvent<WorkerEvent>) => void) | null;
  onerror: ((ev: Pick<ErrorEvent, 'message' | 'preventDefault'>) => void) | null;
  terminate(): void;
}

export interface BridgeEnv {
  createWorker(): WorkerLike;
  requestAnimationFrame(fn: () => void): void;
  /** The watchdog's timer and clock (ms). */
  setTimeout(fn: () => void, ms: number): void;
  now(): number;
}

/**
 * The watchdog's thresholds (ms). SILENCE_MS = 3 × HEARTBEAT_MS: a beat delayed by a 1 s slice still
 * arrives ~1 s early; a lost worker is noticed 2–3.25 s after its last beat.
 */
export const WATCHDOG = {
  /** No message at all for this long: the worker is gone or hung. */
  SILENCE_MS: 3 * HEARTBEAT_MS,
  /** A new worker's first message (`hello`) must come within this (loading the script, compiling it). */
  START_MS: 15_000,
  /** How often the watchdog looks. */
  CHECK_MS: 250,
} as const;

/** Why the worker was given up. */
export type LostReason = 'silent' | 'no-start' | 'load-failed';

export interface BridgeHooks {
  /**
   * Every event the page should see, in arrival order: those of the current generation and those without
   * one. Stale events, ignored predictions and the `error` answering a pending request never arrive.
   */
  onEvent(ev: WorkerEvent): void;
  /** A new generation became current: clear everything the old network produced. */
  onGeneration(generation: number): void;
  /**
   * The worker is gone (closed, crashed, failed to load) or hangs: it was terminated, and answers nothing
   * until `restart`. `message` says what happened, in plain words.
   */
  onLost(reason: LostReason, message: string): void;
  /** An uncaught error inside a worker that is still alive (it was kept from becoming a page error). */
  onWorkerError(message: string): void;
}

/** The fields of request `T` other than its type and id (the bridge adds those). */
export type RequestFields<T extends RequestType> = Omit<Extract<Command, { type: T }>, 'type' | 'id'>;

export interface Bridge {
  /** The generation whose events are accepted. */
  readonly generation: number;
  send(cmd: Command, transfer?: Transferable[]): void;
  /** Adopts a new generation now, then sends the command `make` builds for it (configure, reset). */
  startGeneration(make: (generation: number) => Command): void;
  /** A fresh generation number for a command that may fail (load-model); adopted when it succeeds. */
  proposeGeneration(): number;
  request<T extends RequestType>(type: T, fields: RequestFields<T>): Promise<ReplyTo<T>>;
  /** Classify `pixels` (kept, and re-sent for every new generation and snapshot). Latest wins. */
  predict(pixels: Float32Array): void;
  /** Forget the drawn pixels; answers to predicts already sent are ignored. */
  clearPrediction(): void;
  /** The drawn pixels now (a copy), or null: a past moment's prediction reads them (timeline). */
  readonly drawing: Float32Array | null;
  /** Takes one event from the worker (the worker's onmessage; tests call it directly). */
  receive(ev: WorkerEvent): void;
  /** The worker was given up by the watchdog (until `restart`). */
  readonly lost: boolean;
  /** Terminates the worker (if any is left) and starts a new one: the caller sends it data and config. */
  restart(): void;
}

interface Pending {
  expect: WorkerEvent['type'];
  resolve: (ev: WorkerEvent) => void;
  reject: (error: Error) => void;
}

export function createBridge(env: BridgeEnv, hooks: BridgeHooks): Bridge {
  let generation = 0;
  /** Last generation number handed out (proposals for load-model included). */
  let lastIssued = 0;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  let predictInFlight: number | null = null;
  let predictQueued = false;
  let lastPixels: Float32Array | null = null;
  /** Answers to predicts with an id ≤ this are ignored (the canvas was cleared since). */
  let ignorePredictionsUpTo = 0;

  let worker: WorkerLike;
  let lost = false;
  /** The worker has sent its first message (it loaded). */
  let spoken = false;
  let startedAt = 0;
  let lastHeardAt = 0;
  let lastCheckAt = 0;
  /** Bumped by every restart: a watchdog loop of an older worker stops. */
  let watchdogRun = 0;
  const send = (cmd: Command, transfer: Transferable[] = []) => {
    if (!lost) worker.postMessage(cmd, transfer);
  };

  function startWorker(): void {
    const w = env.createWorker();
    worker = w;
    lost = false;
    spoken = false;
    startedAt = lastCheckAt = env.now();
    w.onmessage = (e) => {
      if (w !== worker || lost) return;
      spoken = true;
      lastHeardAt = env.now();
      if (e.data.type !== 'heartbeat') receive(e.data);
    };
    w.onerror = (e) => {
      // Never a page error: it is reported here, as what it is.
      e.preventDefault();
      if (w !== worker || lost) return;
      const message = e.message || 'unknown error';
      if (!spoken) giveUp('load-failed', `The training worker could not start (${message}).`);
      else hooks.onWorkerError(message);
    };
    const run = ++watchdogRun;
    const check = () => {
      if (run !== watchdogRun || lost) return;
      const now = env.now();
      // A late check means this page was busy (or hidden, throttled): messages that came meanwhile may still
      // be queued behind this timer. Look again at the next one rather than judge now.
      const late = now - lastCheckAt > WATCHDOG.CHECK_MS + 1000;
      lastCheckAt = now;
      if (!late) {
        if (!spoken && now - startedAt > WATCHDOG.START_MS) {
          giveUp('no-start', `The training worker did not start within ${WATCHDOG.START_MS / 1000} s.`);
          return;
        }
        if (spoken && now - lastHeardAt > WATCHDOG.SILENCE_MS) {
          const s = Math.round((now - lastHeardAt) / 1000);
          giveUp('silent', `The training worker stopped answering (no sign of life for ${s} s).`);
          return;
        }
      }
      env.setTimeout(check, WATCHDOG.CHECK_MS);
    };
    env.setTimeout(check, WATCHDOG.CHECK_MS);
  }

  /** Terminates the worker and settles what waits on it. */
  function stopWorker(): void {
    watchdogRun++;
    try {
      worker.terminate();
    } catch {
      // Already gone.
    }
    for (const p of pending.values()) p.reject(new Error('the training worker stopped'));
    pending.clear();
    predictInFlight = null;
    predictQueued = false;
  }

  /** The worker is lost: stop it and say so. */
  function giveUp(reason: LostReason, message: string): void {
    stopWorker();
    lost = true;
    hooks.onLost(reason, message);
  }

  function adopt(gen: number): void {
    generation = gen;
    lastIssued = Math.max(lastIssued, gen);
    hooks.onGeneration(gen);
    // The drawn digit (if any) is classified again by the new network.
    if (lastPixels) requestPredict();
  }

  function proposeGeneration(): number {
    lastIssued++;
    return lastIssued;
  }

  function requestPredict(): void {
    if (!lastPixels) return;
    if (predictInFlight !== null) {
      predictQueued = true;
      return;
    }
    const id = nextId++;
    predictInFlight = id;
    predictQueued = false;
    // A copy: the buffer is transferred, and lastPixels is kept for re-predicting.
    const pixels = lastPixels.slice();
    send({ type: 'predict', id, pixels }, [pixels.buffer]);
  }

  function predictDone(id: number): void {
    if (predictInFlight !== id) return;
    predictInFlight = null;
    if (predictQueued) requestPredict();
  }

  function takePending(ev: WorkerEvent): Pending | undefined {
    if (!('id' in ev) || ev.id === undefined) return undefined;
    const p = pending.get(ev.id);
    pending.delete(ev.id);
    return p;
  }

  function receive(ev: WorkerEvent): void {
    if (ev.type === 'prediction') {
      const current = ev.generation === generation && ev.id > ignorePredictionsUpTo && lastPixels !== null;
      if (current) hooks.onEvent(ev);
      predictDone(ev.id);
      return;
    }
    if (ev.type === 'error' && ev.id !== undefined && ev.id === predictInFlight) {
      predictDone(ev.id);
      return;
    }
    if (ev.type === 'model-loaded') adopt(ev.generation);
    else if ('generation' in ev && ev.generation !== generation) {
      // About a network that is gone: a request it answers still settles (its asker must not wait for
      // ever), as a rejection; nothing reaches the stores.
      takePending(ev)?.reject(new Error('the network changed before the answer came'));
      return;
    }
    const request = takePending(ev);
    if (request && ev.type === 'error') {
      request.reject(new Error(ev.error.message));
      return;
    }
    hooks.onEvent(ev);
    if (request) {
      if (ev.type === request.expect) request.resolve(ev);
      else request.reject(new Error(`unexpected answer ${ev.type}`));
    }
    if (ev.type === 'snapshot') {
      const { seq } = ev;
      // Ack after the next frame, i.e. after the views (whose rAF callbacks were requested while the
      // snapshot was stored) have drawn it: the worker then never gets ahead of the page's drawing.
      env.requestAnimationFrame(() => send({ type: 'ack-snapshot', seq }));
      // Keep the drawn digit's prediction live as the network learns (≤ the snapshot rate).
      if (lastPixels && predictInFlight === null) requestPredict();
    }
  }

  startWorker();

  return {
    get generation() {
      return generation;
    },
    send,
    startGeneration(make) {
      const gen = proposeGeneration();
      adopt(gen);
      send(make(gen));
    },
    proposeGeneration,
    request(type, fields) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, {
          expect: REPLIES[type],
          resolve: (ev) => resolve(ev as ReplyTo<typeof type>),
          reject,
        });
        send({ ...fields, type, id } as Command);
      });
    },
    predict(pixels) {
      lastPixels = pixels.slice();
      requestPredict();
    },
    clearPrediction() {
      lastPixels = null;
      predictQueued = false;
      // A predict still in flight stays counted (at most one at a time); its answer is ignored.
      ignorePredictionsUpTo = nextId - 1;
    },
    receive,
    get drawing() {
      return lastPixels ? lastPixels.slice() : null;
    },
    get lost() {
      return lost;
    },
    restart() {
      stopWorker();
      startWorker();
    },
  };
}
