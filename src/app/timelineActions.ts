/**
 * The timeline scrubber's actions: show a kept moment instead of now, and come back. Showing a moment puts
 * its snapshot (weights, the probe through them) and its prediction of the drawing into the telemetry
 * store the views draw from, while the live ones wait in the timeline store (routeEvents.ts) — so the
 * layer diagram, the weight images and the prediction go back, and a run in progress goes on untouched.
 */
import { useTimelineStore } from '../store/timeline';
import { telemetryStore } from '../store/telemetry';
import type { AppContext } from './actions';
import { bumpTelemetry } from './routeEvents';

export function createTimelineActions(app: () => AppContext) {
  /** The moment asked for last: an older answer that arrives later is dropped. */
  let latest = 0;
  /** Evaluates moment `step` on the test set once (the confusion matrix of then), in the background. */
  const evaluating = new Set<number>();
  const evaluate = (step: number) => {
    // Once per moment: asked again while in flight, it would replace itself in the worker for ever.
    if (useTimelineStore.getState().evaluations.has(step) || evaluating.has(step)) return;
    evaluating.add(step);
    app()
      .bridge.request('moment-eval', { step })
      .finally(() => evaluating.delete(step))
      .then(
        ({ confusion, accuracy, loss }) => {
          const evaluations = new Map(useTimelineStore.getState().evaluations);
          evaluations.set(step, { confusion, accuracy, loss });
          useTimelineStore.setState({ evaluations });
        },
        // Replaced by a newer moment, or the network changed: nothing to keep.
        () => {},
      );
  };
  return {
    /** Shows kept moment `step` (re-asks when the drawing changed), or now (`null`). */
    viewMoment(step: number | null): Promise<void> {
      const state = useTimelineStore.getState();
      const token = ++latest;
      if (step === null) {
        if (state.viewing === null) return Promise.resolve();
        const live = state.live;
        useTimelineStore.setState({ viewing: null, live: null });
        bumpTelemetry(live ? { snapshot: live.snapshot, prediction: live.prediction } : {});
        return Promise.resolve();
      }
      if (state.viewing === null) {
        const { snapshot, prediction } = telemetryStore.getState();
        useTimelineStore.setState({ live: { snapshot, prediction } });
      }
      useTimelineStore.setState({ viewing: step });
      return app()
        .bridge.request('moment', { step, pixels: app().bridge.drawing })
        .then((ev) => {
          if (token !== latest || useTimelineStore.getState().viewing !== step) return;
          const { layers, probe, epoch, prediction } = ev;
          bumpTelemetry({
            snapshot: { seq: -1, step: ev.step, epoch, layers, probe },
            prediction: prediction ? { id: -1, ...prediction, explanation: null } : null,
          });
          evaluate(step);
        });
    },
  };
}
