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
import type { TrainConfig } from '../../../engine/types';
import {
  SPEED_SETTING,
  trainSetting,
  type ControlEntry,
  type Range,
  type Setting,
  type SpeedSetting,
} from '../../../settings/schema';
import { useConfigStore } from '../../../store/config';
import { actions } from '../../../app/client';
import { formatLr, lrFromLog } from '../../ui/format';
import { Panel } from '../../ui/Panel';
import { Slider } from '../../ui/Slider';

/*
 * Labels, help, choices and ranges come from the settings schema (src/settings/schema.ts); a row's `control`
 * may narrow the range to a comfortable one. A value a link or file brought beyond it is shown as it is: the
 * sliders commit only a move, selects add the value as an option, number fields show it.
 */
const S = {
  hidden: trainSetting('hidden'),
  activation: trainSetting('activation'),
  init: trainSetting('init'),
  optimizer: trainSetting('optimizer'),
  learningRate: trainSetting('learningRate'),
  schedule: trainSetting('schedule'),
  lrDecay: trainSetting('lrDecay'),
  batchSize: trainSetting('batchSize'),
  l2: trainSetting('l2'),
  epochs: trainSetting('epochs'),
  seed: trainSetting('seed'),
  speed: SPEED_SETTING,
};

/** A row's control entry and range (the whole range unless the control narrows it). */
function controlOf(s: Setting): Required<Pick<ControlEntry<unknown>, 'min' | 'max'>> & ControlEntry<unknown> {
  const range: Range | undefined =
    s.kind === 'layer-sizes' ? s.size : s.kind === 'enum' ? undefined : s.range;
  const c = (s.control ?? {}) as ControlEntry<unknown>;
  return { ...c, min: c.min ?? range?.min ?? 0, max: c.max ?? range?.max ?? 0 };
}

/** The options of an enum setting, named for people. */
function choicesOf(s: Setting) {
  const choices = s.kind === 'enum' ? s.choices : [];
  const names = s.kind === 'enum' ? s.choiceLabels : undefined;
  return choices.map((value) => ({ value, label: names?.[value] ?? value }));
}

const HIDDEN = controlOf(S.hidden);
/** Hidden layers the UI offers (the schema allows up to its maxLayers). */
export const UI_MAX_HIDDEN_LAYERS = HIDDEN.layers ?? 4;
export const UI_MAX_LAYER_SIZE = HIDDEN.max;
/** Size of a layer added with the layer-count slider: half the previous one, at least 16. */
export function nextLayerSize(hidden: readonly number[]): number {
  const last = hidden.length ? hidden[hidden.length - 1] : 128;
  return Math.max(16, Math.min(UI_MAX_LAYER_SIZE, Math.round(last / 2)));
}

const LR = controlOf(S.learningRate);
const DECAY = controlOf(S.lrDecay);
const EPOCHS = controlOf(S.epochs);
const SEED = controlOf(S.seed);
const BATCH_SIZES = controlOf(S.batchSize).presets as readonly number[];
const L2_VALUES = controlOf(S.l2).presets as readonly number[];
const speedLabel = (v: SpeedSetting) => (v === 'full' ? 'Full speed' : `${v} batches/s`);
const SPEEDS = (controlOf(S.speed).presets as readonly SpeedSetting[]).map((value) => ({
  value,
  label: speedLabel(value),
}));

/** `digits` decimals when they say it all (0.70 → "0.70"), else the exact value (0.733 → "0.733"). */
function decimalText(v: number, digits: number): string {
  const fixed = v.toFixed(digits);
  return Number(fixed) === v ? fixed : String(+v.toPrecision(6));
}

/** A learning rate as written, exactly: "1e-3" when that is the value, else up to 6 digits. */
function lrText(lr: number): string {
  const short = formatLr(lr);
  return Number(short) === lr ? short : String(+lr.toPrecision(6));
}

/** Adds the current value to a list of options when it is not one of them (a value from a shared URL). */
function withValue(options: readonly number[], value: number): number[] {
  return options.includes(value) ? [...options] : [...options, value].sort((a, b) => a - b);
}

function Row({
  label,
  help,
  children,
}: {
  label: string;
  help?: string;
  children: (id: string) => ReactNode;
}) {
  const id = useId();
  return (
    <div className="control no-output">
      <label className="control-label" htmlFor={id} title={help ?? label}>
        {label}
      </label>
      {children(id)}
    </div>
  );
}

/** A number field committed on blur or Enter; an invalid entry snaps back to the current value. */
function NumberField({
  setting,
  value,
  min,
  max,
  testId,
  onCommit,
}: {
  setting: Setting;
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
    <Row label={setting.label} help={setting.help}>
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
  setting,
  value,
  options,
  testId,
  onChange,
}: {
  setting: Setting;
  value: T;
  options: { value: T; label: string }[];
  testId?: string;
  onChange: (v: T) => void;
}) {
  return (
    <Row label={setting.label} help={setting.help}>
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
  // Constant and cosine schedules do not use the decay factor.
  const decayUnused = c.schedule === 'constant' || c.schedule === 'cosine';

  return (
    <Panel
      title="Network"
      info="The network's shape and how it learns. Changing the shape, activation, initialisation or seed builds a new network; the data stays loaded."
      className="controls-panel"
      bodyClassName="controls"
    >
      <div className="group">
        <Slider
          label={S.hidden.label}
          help={S.hidden.help}
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
            help={`units in hidden layer ${i + 1}`}
            testId={`hidden-size-${i + 1}`}
            min={HIDDEN.min}
            max={UI_MAX_LAYER_SIZE}
            step={1}
            value={size}
            format={(v) => String(v)}
            onCommit={(v) => setLayerSize(i, v)}
          />
        ))}
        <Select
          setting={S.activation}
          value={c.activation}
          options={choicesOf(S.activation)}
          testId="activation"
          onChange={(activation) => update({ activation: activation as TrainConfig['activation'] })}
        />
        <Select
          setting={S.init}
          value={c.init}
          options={choicesOf(S.init)}
          testId="init"
          onChange={(init) => update({ init: init as TrainConfig['init'] })}
        />
      </div>
      <div className="group">
        <Select
          setting={S.optimizer}
          value={c.optimizer}
          options={choicesOf(S.optimizer)}
          testId="optimizer"
          onChange={(optimizer) => update({ optimizer: optimizer as TrainConfig['optimizer'] })}
        />
        <Slider
          label={S.learningRate.label}
          help={S.learningRate.help}
          testId="learning-rate"
          min={Math.log10(LR.min)}
          max={Math.log10(LR.max)}
          step={0.1}
          value={Math.log10(c.learningRate)}
          format={(v) => formatLr(lrFromLog(v))}
          valueText={lrText(c.learningRate)}
          description="log scale"
          onCommit={(v) => update({ learningRate: lrFromLog(v) })}
        />
        <Select
          setting={S.schedule}
          value={c.schedule}
          options={choicesOf(S.schedule)}
          testId="schedule"
          onChange={(schedule) => update({ schedule: schedule as TrainConfig['schedule'] })}
        />
        <Slider
          label={S.lrDecay.label}
          help={S.lrDecay.help}
          testId="lr-decay"
          min={DECAY.min}
          max={DECAY.max}
          step={DECAY.step ?? 0.05}
          value={c.lrDecay}
          format={(v) => (decayUnused ? '—' : `×${v.toFixed(2)}`)}
          valueText={decayUnused ? '—' : `×${decimalText(c.lrDecay, 2)}`}
          onCommit={(lrDecay) => update({ lrDecay: +lrDecay.toFixed(2) })}
        />
        <Select
          setting={S.batchSize}
          value={c.batchSize}
          options={withValue(BATCH_SIZES, c.batchSize).map((b) => ({ value: b, label: String(b) }))}
          testId="batch-size"
          onChange={(batchSize) => update({ batchSize })}
        />
      </div>
      <div className="group">
        <Select
          setting={S.l2}
          value={c.l2}
          options={withValue(L2_VALUES, c.l2).map((v) => ({
            value: v,
            label: v === 0 ? 'off' : lrText(v),
          }))}
          testId="l2"
          onChange={(l2) => update({ l2 })}
        />
        <NumberField
          setting={S.epochs}
          value={c.epochs}
          min={EPOCHS.min}
          max={EPOCHS.max}
          testId="epochs"
          onCommit={(epochs) => update({ epochs })}
        />
        <Select
          setting={S.speed}
          value={speed}
          options={
            SPEEDS.some((s) => s.value === speed)
              ? SPEEDS
              : [...SPEEDS, { value: speed, label: speedLabel(speed) }]
          }
          testId="speed"
          onChange={(s) => actions.setSpeed(s)}
        />
        <NumberField
          setting={S.seed}
          value={c.seed}
          min={SEED.min}
          max={SEED.max}
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
