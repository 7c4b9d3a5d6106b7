/**
 * A shared link is data, not a command: the page builds a configuration only when its cost is within the
 * budget (engine/cost.ts). Over it, nothing is sent to the worker — the page says what it would cost and
 * offers a smaller setting; merely slow (a long epoch), it waits for a confirmation; before the worker's
 * speed is known, it waits for that. The worker refuses on its own as well (trainer.ts), so this is the
 * polite check, not the only one.
 */
import { costReport, judgeCost, runSize, suggestWithinBudget, type Verdict } from '../engine/cost';
import type { TrainConfig } from '../engine/types';
import { engineSpeed, useCostStore, type Held } from '../store/cost';
import { useRunStore } from '../store/run';
import { architectureChanged } from '../store/urlState';
import type { Bridge } from './bridge';

/** What building `config` costs against the budget, at the engine's speed as known now. */
export function verdictFor(config: TrainConfig): Verdict | { kind: 'waiting' } {
  const s = useCostStore.getState();
  const speed = engineSpeed(s);
  const v = judgeCost(costReport(config, speed, runSize(config)), s.budget);
  if (v.kind === 'ok' && speed === null) return { kind: 'waiting' };
  return v;
}

const costFields = (c: TrainConfig) => JSON.stringify([c.hidden, c.batchSize, c.optimizer, c.inputSize]);

/** Builds (configure) or updates (update-config) the worker's network, or holds `config` back. */
export function requestBuild(
  bridge: Bridge,
  config: TrainConfig,
  opts: { confirmed?: boolean; rebuild?: boolean; onRebuilt?: () => void } = {},
): 'held' | 'rebuilt' | 'updated' | 'unchanged' {
  const { built } = useCostStore.getState();
  const v = verdictFor(config);
  // A slow configuration that was confirmed stays confirmed while its cost does not change (a new learning
  // rate does not ask again).
  const confirmed = opts.confirmed || (built !== null && costFields(built) === costFields(config));
  if (v.kind === 'over' || v.kind === 'waiting' || (v.kind === 'slow' && !confirmed)) {
    const speed = engineSpeed(useCostStore.getState());
    const held: Held = {
      kind: v.kind,
      reason: v.kind === 'waiting' ? 'Measuring this machine’s speed…' : v.reason,
      config,
      suggestion:
        v.kind === 'waiting'
          ? null
          : suggestWithinBudget(config, speed, useCostStore.getState().budget, runSize(config)),
    };
    useCostStore.setState({ held });
    // What runs is not what the controls show any more: it stops.
    if (useRunStore.getState().status === 'training') bridge.send({ type: 'pause' });
    return 'held';
  }
  useCostStore.setState({ held: null });
  if (opts.rebuild || built === null || architectureChanged(built, config)) {
    useCostStore.setState({ built: config });
    bridge.startGeneration((generation) => ({ type: 'configure', generation, config }));
    if (built !== null && !opts.rebuild) opts.onRebuilt?.();
    return 'rebuilt';
  }
  if (JSON.stringify(built) !== JSON.stringify(config)) {
    useCostStore.setState({ built: config });
    bridge.send({ type: 'update-config', config });
    return 'updated';
  }
  return 'unchanged';
}

/** The worker's speed arrived: a configuration held back is judged again (time, and a better suggestion). */
export function reconsiderHeld(bridge: Bridge): void {
  const held = useCostStore.getState().held;
  if (held) requestBuild(bridge, held.config);
}
