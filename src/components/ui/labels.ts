/** Human names for the config vocabulary, shared by the controls and the visuals. */
import type { InitKind } from '../../engine/types';
import { trainSetting } from '../../settings/schema';
// Activation labels live in the engine's one table of activations (src/engine/activations.ts).
export { ACTIVATION_LABELS } from '../../engine/activations';

// Init names come from the settings schema's init row (one description per setting).
const initRow = trainSetting('init');
export const INIT_LABELS: Readonly<Record<InitKind, string>> = (
  initRow.kind === 'enum' ? initRow.choiceLabels : {}
) as Readonly<Record<InitKind, string>>;
