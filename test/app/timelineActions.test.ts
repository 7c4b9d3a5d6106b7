/**
 * The timeline's actions against a fake bridge: a moment shown puts its snapshot and prediction where the
 * views read them and keeps the live ones aside, Now brings those back, and a moment's test-set evaluation
 * is asked once however often the moment is shown again meanwhile (each ask would replace the last in the
 * worker, and it would never finish).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/actions';
import { createTimelineActions } from '../../src/app/timelineActions';
import { INITIAL_TIMELINE_STATE, useTimelineStore } from '../../src/store/timeline';
import { initialTelemetry, telemetryStore } from '../../src/store/telemetry';

function fakeApp() {
  const asked: { type: string; fields: Record<string, unknown>; resolve: (v: unknown) => void }[] = [];
  const bridge = {
    drawing: null,
    request: (type: string, fields: Record<string, unknown>) =>
      new Promise((resolve) => asked.push({ type, fields, resolve })),
  };
  return { asked, app: () => ({ bridge }) as unknown as AppContext };
}

const momentAnswer = (step: number) => ({
  type: 'moment-result',
  id: 1,
  generation: 1,
  step,
  epoch: 0,
  layers: [],
  probe: { pixels: new Float32Array(1), label: 7, activations: [] },
  prediction: null,
});

afterEach(() => {
  useTimelineStore.setState(INITIAL_TIMELINE_STATE);
  telemetryStore.setState(initialTelemetry());
});

describe('timeline actions', () => {
  it('shows a moment, keeps the live data aside, and Now brings it back', async () => {
    const { asked, app } = fakeApp();
    const actions = createTimelineActions(app);
    const live = { seq: 5, step: 40, epoch: 0, layers: [], probe: momentAnswer(40).probe };
    telemetryStore.setState({ snapshot: live });
    const shown = actions.viewMoment(8);
    expect(useTimelineStore.getState().viewing).toBe(8);
    expect(asked.map((a) => [a.type, a.fields.step])).toEqual([['moment', 8]]);
    asked[0]!.resolve(momentAnswer(8));
    await shown;
    expect(telemetryStore.getState().snapshot!.step).toBe(8);
    expect(useTimelineStore.getState().live!.snapshot).toBe(live);
    await actions.viewMoment(null);
    expect(useTimelineStore.getState().viewing).toBeNull();
    expect(telemetryStore.getState().snapshot).toBe(live);
  });

  it('asks for a moment’s evaluation once, and keeps it', async () => {
    const { asked, app } = fakeApp();
    const actions = createTimelineActions(app);
    for (let i = 0; i < 3; i++) {
      const shown = actions.viewMoment(8);
      asked
        .filter((a) => a.type === 'moment')
        .at(-1)!
        .resolve(momentAnswer(8));
      await shown;
    }
    const evals = asked.filter((a) => a.type === 'moment-eval');
    expect(evals).toHaveLength(1);
    evals[0]!.resolve({ confusion: new Uint32Array(4), accuracy: 0.5, loss: 1 });
    await new Promise((r) => setTimeout(r, 0));
    expect(useTimelineStore.getState().evaluations.get(8)!.accuracy).toBe(0.5);
    const again = actions.viewMoment(8);
    asked
      .filter((a) => a.type === 'moment')
      .at(-1)!
      .resolve(momentAnswer(8));
    await again;
    expect(asked.filter((a) => a.type === 'moment-eval')).toHaveLength(1);
  });
});
