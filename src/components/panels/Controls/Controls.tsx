/**
 * The left column: the network's shape, how it learns, how long and how fast to run; the model file
 * (save, load, export) folded away.
 *
 * Every control reads the config store (the URL's mirror) and writes through `actions.updateConfig`, which
 * decides whether the change rebuilds the network (shape, activation, init, seed) or applies to the
 * running session (optimizer, learning rate, decay, batch, L2, epochs). Each has a visible label bound to
 * it, so its accessible name is what the user reads.
 */
import { useId, useRef, useState, type ChangeEvent, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ACTIVATIONS, INITS, OPTIMIZERS, SCHEDULES, type TrainConfig } from '../../../engine/types';
import { useConfigStore } from '../../../store/config';
import { actions } from '../../../app/client';
import type { Speed } from '../../../protocol/messages';
import { formatLr, lrFromLog } from '../../ui/format';
import { ACTIVATION_LABELS } from '../../ui/labels';
import { Panel } from '../../ui/Panel';
import { Slider } from '../../ui/Slider';

/** Hidden layers the UI offers (the engine allows up to LIMITS.maxHiddenLayers). */
export const UI_MAX_HIDDEN_LAYERS = 4;
export const UI_MAX_LAYER_SIZE = 512;
/** Size of a layer added with the layer-count slider: half the previous one, at least 16. */
export function nextLayerSize(hidden: readonly number[]): number {
  const last = hidden.length ? hidden[hidden.length - 1] : 128;
  return Math.max(16, Math.min(UI_MAX_LAYER_SIZE, Math.round(last / 2)));
}

const INIT_LABELS: Record<(typeof INITS)[number], string> = {
  he: 'He',
  xavier: 'Xavier',
  uniform: 'Uniform 0…1',
};
const OPTIMIZER_LABELS: Record<(typeof OPTIMIZERS)[number], string> = {
  sgd: 'SGD',
  momentum: 'Momentum',
  adam: 'Adam',
};
const SCHEDULE_LABELS: Record<(typeof SCHEDULES)[number], string> = {
  constant: 'Constant',
  exponential: 'Exponential',
  step: 'Step',
  cosine: 'Cosine',
};
const BATCH_SIZES = [1, 8, 16, 32, 64, 128, 256, 512, 1024, 2048];
const L2_VALUES = [0, 1e-5, 1e-4, 5e-4, 1e-3, 1e-2];
const SPEEDS: { value: Speed; label: string }[] = [
  { value: 'full', label: 'Full speed' },
  { value: 200, label: '200 batches/s' },
  { value: 50, label: '50 batches/s' },
  { value: 10, label: '10 batches/s' },
  { value: 2, label: '2 batches/s' },
];

/** Adds the current value to a list of options when it is not one of them (a value from a shared URL). */
function withValue(options: readonly number[], value: number): number[] {
  return options.includes(value) ? [...options] : [...options, value].sort((a, b) => a - b);
}

function Row({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="control no-output">
      <label className="control-label" htmlFor={id} title={label}>
        {label}
      </label>
      {children(id)}
    </div>
  );
}

/** A number field committed on blur or Enter; an invalid entry snaps back to the current value. */
function NumberField({
  label,
  value,
  min,
  max,
  testId,
  onCommit,
}: {
  label: string;
  value: number;
  min: number;
  max: number;
  testId?: string;
  onCommit: (v: number) => void;
}) {
  const [text, setText] = useState<{ base: number; s: string } | null>(null);
  const shown = text && text.base === value ? text.s : String(value);
  const ref = useRef<HTMLInputElement>(null);
  const commit = () => {
    const v = Math.round(Number(shown));
    if (shown.trim() !== '' && Number.isFinite(v) && v >= min && v <= max) {
      if (v !== value) onCommit(v);
    }
    setText(null);
  };
  return (
    <Row label={label}>
      {(id) => (
        <input
          ref={ref}
          id={id}
          type="number"
          inputMode="numeric"
          min={min}
          max={max}
          step={1}
          value={shown}
          data-testid={testId}
          onChange={(e) => setText({ base: value, s: e.currentTarget.value })}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') ref.current?.blur();
            if (e.key === 'Escape') {
              setText(null);
              ref.current?.blur();
            }
          }}
        />
      )}
    </Row>
  );
}

function Select<T extends string | number>({
  label,
  value,
  options,
  testId,
  onChange,
}: {
  label: string;
  value: T;
  options: { value: T; label: string }[];
  testId?: string;
  onChange: (v: T) => void;
}) {
  return (
    <Row label={label}>
      {(id) => (
        <select
          id={id}
          value={String(value)}
          data-testid={testId}
          onChange={(e: ChangeEvent<HTMLSelectElement>) => {
            const o = options.find((opt) => String(opt.value) === e.currentTarget.value);
            if (o) onChange(o.value);
          }}
        >
          {options.map((o) => (
            <option key={String(o.value)} value={String(o.value)}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Row>
  );
}

const update = (patch: Partial<TrainConfig>) => actions.updateConfig(patch);

export function Controls() {
  const c = useConfigStore(
    useShallow((s) => ({
      hidden: s.config.hidden,
      activation: s.config.activation,
      init: s.config.init,
      optimizer: s.config.optimizer,
      learningRate: s.config.learningRate,
      lrDecay: s.config.lrDecay,
      schedule: s.config.schedule,
      batchSize: s.config.batchSize,
      l2: s.config.l2,
      seed: s.config.seed,
      epochs: s.config.epochs,
    })),
  );
  const speed = useConfigStore((s) => s.speed);

  const setLayerCount = (n: number) => {
    const hidden = c.hidden.slice(0, n);
    while (hidden.length < n) hidden.push(nextLayerSize(hidden));
    if (hidden.length !== c.hidden.length) update({ hidden });
  };
  const setLayerSize = (i: number, size: number) => {
    if (c.hidden[i] === size) return;
    const hidden = [...c.hidden];
    hidden[i] = size;
    update({ hidden });
  };
  const decayText = c.schedule === 'constant' || c.schedule === 'cosine' ? '—' : `×${c.lrDecay.toFixed(2)}`;

  return (
    <Panel
      title="Network"
      info="The network's shape and how it learns. Changing the shape, activation, initialisation or seed builds a new network; the data stays loaded."
      className="controls-panel"
      bodyClassName="controls"
    >
      <div className="group">
        <Slider
          label="hidden layers"
          testId="hidden-layer-count"
          min={0}
          max={UI_MAX_HIDDEN_LAYERS}
          step={1}
          value={c.hidden.length}
          format={(v) => String(v)}
          onCommit={setLayerCount}
        />
        {c.hidden.map((size, i) => (
          <Slider
            key={i}
            label={`layer ${i + 1} size`}
            testId={`hidden-size-${i + 1}`}
            min={1}
            max={UI_MAX_LAYER_SIZE}
            step={1}
            value={size}
            format={(v) => String(v)}
            onCommit={(v) => setLayerSize(i, v)}
          />
        ))}
        <Select
          label="activation"
          value={c.activation}
          options={ACTIVATIONS.map((a) => ({ value: a, label: ACTIVATION_LABELS[a] }))}
          testId="activation"
          onChange={(activation) => update({ activation })}
        />
        <Select
          label="initialisation"
          value={c.init}
          options={INITS.map((a) => ({ value: a, label: INIT_LABELS[a] }))}
          testId="init"
          onChange={(init) => update({ init })}
        />
      </div>
      <div className="group">
        <Select
          label="optimizer"
          value={c.optimizer}
          options={OPTIMIZERS.map((a) => ({ value: a, label: OPTIMIZER_LABELS[a] }))}
          testId="optimizer"
          onChange={(optimizer) => update({ optimizer })}
        />
        <Slider
          label="learning rate"
          testId="learning-rate"
          min={-5}
          max={0}
          step={0.1}
          value={+Math.log10(c.learningRate).toFixed(1)}
          format={(v) => formatLr(lrFromLog(v))}
          description="log scale"
          onCommit={(v) => update({ learningRate: lrFromLog(v) })}
        />
        <Select
          label="lr schedule"
          value={c.schedule}
          options={SCHEDULES.map((s) => ({ value: s, label: SCHEDULE_LABELS[s] }))}
          testId="schedule"
          onChange={(schedule) => update({ schedule })}
        />
        <Slider
          label="decay / epoch"
          testId="lr-decay"
          min={0.1}
          max={1}
          step={0.05}
          value={c.lrDecay}
          format={(v) =>
            c.schedule === 'constant' || c.schedule === 'cosine' ? decayText : `×${v.toFixed(2)}`
          }
          onCommit={(lrDecay) => update({ lrDecay: +lrDecay.toFixed(2) })}
        />
        <Select
          label="batch size"
          value={c.batchSize}
          options={withValue(BATCH_SIZES, c.batchSize).map((b) => ({ value: b, label: String(b) }))}
          testId="batch-size"
          onChange={(batchSize) => update({ batchSize })}
        />
      </div>
      <div className="group">
        <Select
          label="L2 penalty"
          value={c.l2}
          options={withValue(L2_VALUES, c.l2).map((v) => ({
            value: v,
            label: v === 0 ? 'off' : formatLr(v),
          }))}
          testId="l2"
          onChange={(l2) => update({ l2 })}
        />
        <NumberField
          label="epochs (0=∞)"
          value={c.epochs}
          min={0}
          max={10_000}
          testId="epochs"
          onCommit={(epochs) => update({ epochs })}
        />
        <Select
          label="speed"
          value={speed}
          options={
            SPEEDS.some((s) => s.value === speed)
              ? SPEEDS
              : [...SPEEDS, { value: speed, label: `${speed} batches/s` }]
          }
          testId="speed"
          onChange={(s) => actions.setSpeed(s)}
        />
        <NumberField
          label="seed"
          value={c.seed}
          min={0}
          max={0xffffffff}
          testId="seed"
          onCommit={(seed) => update({ seed })}
        />
      </div>
      <details className="group more">
        <summary>model file</summary>
        <ModelFiles />
      </details>
      <p className="tips">
        <kbd>Space</kbd> trains and pauses. Every setting is in the address bar: share the link to share the
        setup, seed included.
      </p>
    </Panel>
  );
}

/** Save / load the model file, export for TensorFlow.js. Errors land in the run store's `error`. */
function ModelFiles() {
  const fileRef = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  const download = (name: string, data: BlobPart, type: string) => {
    const url = URL.createObjectURL(new Blob([data], { type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const run = async (what: () => Promise<void>) => {
    setBusy(true);
    setMessage(null);
    try {
      await what();
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <div className="model-buttons">
        <button
          type="button"
          className="btn small"
          disabled={busy}
          onClick={() =>
            run(async () =>
              download('backprop-lab-model.json', await actions.saveModel(), 'application/json'),
            )
          }
        >
          Save model
        </button>
        <button type="button" className="btn small" disabled={busy} onClick={() => fileRef.current?.click()}>
          Load model…
        </button>
        <button
          type="button"
          className="btn small"
          disabled={busy}
          onClick={() =>
            run(async () => {
              const { modelJson, weightsBin } = await actions.exportTfjs();
              download('model.json', modelJson, 'application/json');
              download('weights.bin', weightsBin, 'application/octet-stream');
            })
          }
        >
          Export TF.js
        </button>
        <input
          ref={fileRef}
          type="file"
          accept=".json,application/json"
          aria-label="Model file to load"
          hidden
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            e.currentTarget.value = '';
            if (file) void run(async () => actions.loadModel(await file.text()));
          }}
        />
      </div>
      {message ? (
        <p role="alert" style={{ color: 'var(--danger)', margin: '6px 0 0' }}>
          {message}
        </p>
      ) : null}
    </div>
  );
}
