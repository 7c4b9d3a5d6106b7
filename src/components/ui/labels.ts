/** Human names for the config vocabulary, shared by the controls and the visuals. */
// Activation labels live in the engine's one table of activations (src/engine/activations.ts).
export { ACTIVATION_LABELS } from '../../engine/activations';
