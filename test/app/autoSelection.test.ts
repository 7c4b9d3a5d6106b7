/**
 * A unit the page chose itself (the one-step view's choice) belongs to the network it was chosen for: a
 * new generation drops it; one the user picked stays. And a user's pick clears the "chosen for you" mark.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { clearForGeneration } from '../../src/app/routeEvents';
import { createInsideActions } from '../../src/app/insideActions';
import type { AppContext } from '../../src/app/actions';
import { INITIAL_INSIDE_STATE, useInsideStore } from '../../src/store/inside';

const actions = createInsideActions(() => ({}) as AppContext);

beforeEach(() => useInsideStore.setState({ ...INITIAL_INSIDE_STATE }));

describe('the selected unit across generations', () => {
  it('drops a unit the page chose when the network is rebuilt', () => {
    actions.selectUnit({ layer: 0, unit: 5 }, { reason: 'most-active', example: 'probe' });
    expect(useInsideStore.getState().selectedAuto).toEqual({ reason: 'most-active', example: 'probe' });
    clearForGeneration(2);
    expect(useInsideStore.getState()).toMatchObject({ selectedUnit: null, selectedAuto: null });
  });

  it('keeps the unit the user picked, and a pick is the user’s', () => {
    actions.selectUnit({ layer: 0, unit: 5 }, { reason: 'most-active', example: 'probe' });
    actions.selectUnit({ layer: 1, unit: 2 });
    expect(useInsideStore.getState().selectedAuto).toBeNull();
    clearForGeneration(3);
    expect(useInsideStore.getState()).toMatchObject({
      selectedUnit: { layer: 1, unit: 2 },
      selectedAuto: null,
    });
  });
});
