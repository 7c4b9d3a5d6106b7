/**
 * Where each worker event lands: slow facts in `useRunStore`, fast data in `telemetryStore`, a loaded
 * model's config in `useConfigStore`. The bridge has already dropped stale generations and settled
 * requests; this file only turns events into store updates, one exhaustive switch.
 */
import { assertNever } from '../protocol/assertNever';
import { epochEnded, newRun } from './runRecorder';
import { PROTOCOL_VERSION, type WorkerEvent } from '../protocol/messages';
import { flopsPerSecondFrom } from '../engine/cost';
import { useConfigStore } from '../store/config';
import { useCostStore } from '../store/cost';
import { INITIAL_RUN_STATE, useRunStore, type RunState } from '../store/run';
import { appendFlow, INITIAL_INSIDE_STATE, resetFlow, useInsideStore } from '../store/inside';
import { appendSeries } from '../store/series';
import { useLandscapeProgress } from '../store/landscape';
import { INITIAL_TIMELINE_STATE, useTimelineStore } from '../store/timeline';
import { initialTelemetry, telemetryStore, type TelemetryState } from '../store/telemetry';

/** How long a notice ("network reset") stays. */
const NOTICE_MS = 4000;

/** What routing needs besides the stores. */
export interface RouteContext {
  /** Writes the config store into the URL (`changedKey` groups slider drags into one history entry). */
  writeUrl(changedKey: string): void;
  setTimeout(fn: () => void, ms: number): void;
  /** The worker's speed is known: a configuration waiting for it can be judged (costGate.ts). */
  reconsider?(): void;
}

export const setRun = (patch: Partial<RunState>): void => useRunStore.setState(patch);

/** Updates the fast store; `version` always moves, so drawing loops see the change. */
export const bumpTelemetry = (patch: Partial<TelemetryState> = {}): void =>
  telemetryStore.setState((s) => ({ ...patch, version: s.version + 1 }));

/**
 * Run-store fields that outlive a generation: the data, the notice, the worker's health (a restart makes a
 * new generation), and figures the next status resends.
 */
const KEPT_ACROSS_GENERATIONS = ['data', 'notice', 'batchesPerEpoch', 'learningRate', 'worker'] as const;

/**
 * A new generation: clears everything the old network produced. Both stores start again from their
 * initial state (so a new field is cleared without being listed here), keeping only what is not the
 * network's (KEPT_ACROSS_GENERATIONS) and the telemetry `version`, which keeps counting up.
 */
export function clearForGeneration(generation: number): void {
  const run = useRunStore.getState();
  const kept = Object.fromEntries(KEPT_ACROSS_GENERATIONS.map((k) => [k, run[k]])) as Pick<
    RunState,
    (typeof KEPT_ACROSS_GENERATIONS)[number]
  >;
  setRun({ ...INITIAL_RUN_STATE, ...kept, generation });
  telemetryStore.setState((s) => ({ ...initialTelemetry(), version: s.version + 1 }));
  // The inside views: the new network's history starts empty; answers about the old one go. What the
  // user selected and which screen is open stay (the views check a selection against the new shape), and
  // so does the init lab, whose figures depend on the shape alone (it is keyed by it).
  resetFlow();
  newRun();
  useTimelineStore.setState(INITIAL_TIMELINE_STATE);
  const { mistakes, unitImages } = INITIAL_INSIDE_STATE;
  useInsideStore.setState({ mistakes, unitImages });
  // A unit the page chose itself was chosen for the old network's activations: it goes (the one-step view
  // chooses again for the new one). One the user picked stays.
  if (useInsideStore.getState().selectedAuto)
    useInsideStore.setState({ selectedUnit: null, selectedAuto: null });
}

/** Shows a short notice for NOTICE_MS (through null, so the same notice twice is still a change). */
export function showNotice(text: string, ctx: Pick<RouteContext, 'setTimeout'>): void {
  setRun({ notice: null });
  setRun({ notice: text });
  ctx.setTimeout(() => {
    if (useRunStore.getState().notice === text) setRun({ notice: null });
  }, NOTICE_MS);
}

/**
 * The engine's recent speed, from the built network's samples/s while it trains at full speed (a slowed
 * run's rate says nothing about the machine).
 */
function noteSpeed(status: string, samplesPerSecond: number): void {
  const { built, speedFixed } = useCostStore.getState();
  // A test fixed the speed (testHooks.ts): the verdicts stay those of that speed.
  if (speedFixed) return;
  if (status !== 'training' || !(samplesPerSecond > 0) || !built) return;
  if (useConfigStore.getState().speed !== 'full') return;
  useCostStore.setState({ measured: flopsPerSecondFrom(built, samplesPerSecond) });
}

export function routeEvent(ev: WorkerEvent, ctx: RouteContext): void {
  switch (ev.type) {
    case 'hello':
      if (ev.version !== PROTOCOL_VERSION) {
        setRun({
          error: {
            kind: 'protocol',
            message: `The page (protocol ${PROTOCOL_VERSION}) and the training worker (protocol ${ev.version}) are from different versions — reload the page.`,
          },
        });
      }
      return;
    case 'data-progress': {
      const data = useRunStore.getState().data;
      if (ev.progress.dataset !== useConfigStore.getState().dataset) return;
      setRun({ data: { ...data, progress: ev.progress } });
      return;
    }
    case 'data-ready': {
      if (ev.dataset !== useConfigStore.getState().dataset) return;
      setRun({
        data: {
          dataset: ev.dataset,
          progress: null,
          counts: { train: ev.trainCount, test: ev.testCount },
          classNames: ev.classNames,
          error: null,
          loadMs: ev.loadMs,
        },
      });
      return;
    }
    case 'data-error': {
      const data = useRunStore.getState().data;
      setRun({ data: { ...data, progress: null, error: ev.error } });
      return;
    }
    case 'workers':
      setRun({ workers: { used: ev.used, requested: ev.requested, cores: ev.cores, note: ev.note } });
      return;
    case 'calibration':
      useCostStore.setState({ calibration: ev.flopsPerSecond, budget: ev.budget, speedFixed: ev.fixed });
      ctx.reconsider?.();
      return;
    case 'status':
      noteSpeed(ev.status, ev.samplesPerSecond);
      setRun({
        status: ev.status,
        epoch: ev.epoch,
        step: ev.step,
        batchesPerEpoch: ev.batchesPerEpoch,
        samplesPerSecond: ev.samplesPerSecond,
        learningRate: ev.learningRate,
        stepRows: ev.stepRows ?? null,
        ...(ev.status === 'training' ? { diverged: null } : {}),
        // The stop reason stands while the run is done; training (or a step) on clears it.
        ...(ev.status !== 'done' ? { stopped: null } : {}),
      });
      return;
    case 'metrics': {
      const { loss, accuracy } = telemetryStore.getState();
      const xs = new Float64Array(ev.loss.length);
      for (let i = 0; i < xs.length; i++) xs[i] = ev.firstStep + i;
      appendSeries(loss, xs, ev.loss);
      appendSeries(accuracy, xs, ev.accuracy);
      bumpTelemetry();
      return;
    }
    case 'snapshot': {
      const { seq, step, epoch, layers, probe } = ev;
      // The generation's first snapshot is its starting point: keep layer 0's weights to diff against.
      const baseline =
        telemetryStore.getState().baseline ??
        (layers[0] ? { seq, step, weights: layers[0].weights.slice() } : null);
      const snapshot = { seq, step, epoch, layers, probe };
      const timeline = useTimelineStore.getState();
      // Looking at a past moment: the live snapshot waits until "now" (the gradient flow still records it).
      if (timeline.viewing !== null) {
        useTimelineStore.setState({ live: { snapshot, prediction: timeline.live?.prediction ?? null } });
        bumpTelemetry({ baseline });
      } else bumpTelemetry({ snapshot, baseline });
      appendFlow(step, layers, layers[0]?.activation ?? '');
      return;
    }
    case 'epoch-end': {
      const { epoch, step, trainLoss, trainAccuracy, testLoss, testAccuracy } = ev;
      const { validationLoss, validationAccuracy } = ev;
      const validation =
        validationLoss !== undefined && validationAccuracy !== undefined
          ? { validationLoss, validationAccuracy }
          : {};
      const mine = ev.myDigitsAccuracy !== undefined ? { myDigitsAccuracy: ev.myDigitsAccuracy } : {};
      const seconds = ev.trainSeconds !== undefined ? { trainSeconds: ev.trainSeconds } : {};
      setRun({
        epochs: [
          ...useRunStore.getState().epochs,
          {
            epoch,
            step,
            trainLoss,
            trainAccuracy,
            testLoss,
            testAccuracy,
            ...validation,
            ...mine,
            ...seconds,
          },
        ],
        confusion: ev.confusion,
      });
      epochEnded();
      return;
    }
    case 'prediction': {
      const prediction = {
        id: ev.id,
        probabilities: ev.probabilities,
        activations: ev.activations,
        logits: ev.logits,
        explanation: ev.explanation ?? null,
      };
      const timeline = useTimelineStore.getState();
      if (timeline.viewing !== null) {
        // A past moment on show: its own prediction of the new drawing follows (Timeline.tsx asks).
        useTimelineStore.setState({
          live: { snapshot: timeline.live?.snapshot ?? null, prediction },
          livePredictions: timeline.livePredictions + 1,
        });
        return;
      }
      bumpTelemetry({ prediction });
      return;
    }
    case 'stopped': {
      const { reason, step, epoch, bestEpoch, message, testAccuracy } = ev;
      setRun({
        stopped: {
          reason,
          step,
          epoch,
          bestEpoch,
          message,
          ...(testAccuracy !== undefined ? { testAccuracy } : {}),
        },
      });
      return;
    }
    case 'diverged':
      setRun({ diverged: { step: ev.step, lastFiniteLoss: ev.lastFiniteLoss, message: ev.message } });
      return;
    case 'timeline': {
      const { steps, epochs, bytes, capacity } = ev;
      useTimelineStore.setState({ steps, epochs, bytes, capacity });
      return;
    }
    case 'loss-landscape-progress':
      useLandscapeProgress.setState({ progress: { done: ev.done, total: ev.total } });
      return;
    case 'heartbeat':
      // The bridge's watchdog counts it; nothing to show.
      return;
    case 'model-saved':
    case 'checkpoint':
    case 'tfjs-exported':
    case 'init-lab-result':
    case 'images':
    case 'step-explanation':
    case 'my-digits-evaluation':
    case 'augmented-batch-result':
    case 'hidden-map-result':
    case 'loss-landscape-result':
    case 'landscape-plan-result':
    case 'moment-result':
    case 'moment-eval-result':
      // Answers: the bridge hands them to whoever asked.
      return;
    case 'model-loaded': {
      // The bridge has adopted the model's generation (the stores are cleared).
      const cur = useConfigStore.getState();
      const config = { ...ev.config, hidden: [...ev.config.hidden] };
      useConfigStore.setState({ config });
      useCostStore.setState({ built: config, held: null });
      showNotice('model loaded', ctx);
      // The model's config (architecture and hyper-parameters) becomes the URL's.
      if (JSON.stringify(cur.config) !== JSON.stringify(config)) ctx.writeUrl('model');
      return;
    }
    case 'error':
      // Not the answer to a pending request (the bridge rejected those): show it.
      setRun({ error: ev.error });
      return;
    default:
      assertNever(ev);
  }
}
