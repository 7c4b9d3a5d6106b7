/**
 * The hidden layers: a slider for how many, then one slider per layer for its size. Adding a layer gives it
 * half the previous one's units; removing cuts from the output side. Each commit is one new architecture
 * (the sliders commit on release), so the caller rebuilds the network once per move.
 */
import { trainSetting } from '../../../settings/schema';
import { Slider } from '../../ui/Slider';
import { controlOf } from './controlOptions';

const ROW = trainSetting('hidden');
const HIDDEN = controlOf(ROW);
/** Hidden layers the UI offers (the schema allows up to its maxLayers). */
export const UI_MAX_HIDDEN_LAYERS = HIDDEN.layers ?? 4;
export const UI_MAX_LAYER_SIZE = HIDDEN.max;
/** Size of a layer added with the layer-count slider: half the previous one, at least 16. */
export function nextLayerSize(hidden: readonly number[]): number {
  const last = hidden.length ? hidden[hidden.length - 1] : 128;
  return Math.max(16, Math.min(UI_MAX_LAYER_SIZE, Math.round(last / 2)));
}

export function HiddenLayersControl({
  hidden,
  onChange,
  onDraft,
}: {
  hidden: readonly number[];
  /** Called with a new list only when it differs from `hidden`. */
  onChange: (hidden: number[]) => void;
  /** The list the thumbs show while one is dragged; null when the drag ends. */
  onDraft?: (hidden: number[] | null) => void;
}) {
  const withCount = (n: number) => {
    const next = hidden.slice(0, n);
    while (next.length < n) next.push(nextLayerSize(next));
    return next;
  };
  const setLayerCount = (n: number) => {
    const next = withCount(n);
    if (next.length !== hidden.length) onChange(next);
  };
  const withSize = (i: number, size: number) => hidden.map((h, j) => (j === i ? size : h));
  const setLayerSize = (i: number, size: number) => {
    if (hidden[i] === size) return;
    const next = [...hidden];
    next[i] = size;
    onChange(next);
  };
  return (
    <>
      <Slider
        label={ROW.label}
        help={ROW.help}
        testId="hidden-layer-count"
        min={0}
        max={UI_MAX_HIDDEN_LAYERS}
        step={1}
        value={hidden.length}
        format={(v) => String(v)}
        onCommit={setLayerCount}
        onDraft={(v) => onDraft?.(v === null ? null : withCount(v))}
      />
      {hidden.map((size, i) => (
        <Slider
          key={i}
          label={`layer ${i + 1} size`}
          help={`units in hidden layer ${i + 1}`}
          testId={`hidden-size-${i + 1}`}
          min={HIDDEN.min}
          max={UI_MAX_LAYER_SIZE}
          step={1}
          value={size}
          format={(v) => String(v)}
          onCommit={(v) => setLayerSize(i, v)}
          onDraft={(v) => onDraft?.(v === null ? null : withSize(i, v))}
        />
      ))}
    </>
  );
}
