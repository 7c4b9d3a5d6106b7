/**
 * The left column: the network's shape, how it learns, how long and how fast to run; the model file
 * (save, load, export) folded away.
 *
 * Every control reads the config store (the URL's mirror) and writes through `actions.updateConfig`, which
 * decides whether the change rebuilds the network (shape, activation, init, seed) or applies to the
 * running session (optimizer, learning rate, decay, batch, L2, epochs). Each has a visible label bound to
 * it, so its accessible name is what the user reads.
 *
 * The parts, in this folder: SettingControl.tsx (a select or number field for one row of the schema),
 * HiddenLayersControl.tsx, RegulariseControls.tsx, ModelFileButtons.tsx, and controlOptions.ts (ranges, choices and value text
 * from the rows; see there for how a value beyond a control's range is shown).
 */
import { useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { TrainConfig } from '../../../engine/types';
import { settingWord, SPEED_SETTING, trainSetting, type SpeedSetting } from '../../../settings/schema';
import { resolveWorkers } from '../../../settings/workerCount';
import { useConfigStore } from '../../../store/config';
import { useRunStore } from '../../../store/run';
import { actions } from '../../../app/client';
import { formatLr, lrFromLog } from '../../ui/format';
import { Panel } from '../../ui/Panel';
import { Slider } from '../../ui/Slider';
import { choicesOf, controlOf, decimalText, lrText, withValue } from './controlOptions';
import { CostSummary } from './CostSummary';
import { HiddenLayersControl } from './HiddenLayersControl';
import { ModelFileButtons } from './ModelFileButtons';
import { RegulariseControls } from './RegulariseControls';
import { NumberField, Select } from './SettingControl';

/** The rows this panel shows (the hidden layers' is HiddenLayersControl's). */
const S = {
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
  trainSize: trainSetting('trainSize'),
  validation: trainSetting('validation'),
  untilLoss: trainSetting('untilLoss'),
  patience: trainSetting('patience'),
  mine: trainSetting('mine'),
  workers: trainSetting('workers'),
  speed: SPEED_SETTING,
};

/** A select over a row's presets (plus the current value when a link brought another one). */
const presets = (s: (typeof S)[keyof typeof S]) => controlOf(s).presets as readonly number[];
const countText = (v: number) => v.toLocaleString('en-US');

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

const update = (patch: Partial<TrainConfig>) => actions.updateConfig(patch);

/** The page's cores before the worker said (navigator.hardwareConcurrency; 1 when the browser hides it). */
const navigatorCores = () =>
  typeof navigator !== 'undefined' && navigator.hardwareConcurrency > 0 ? navigator.hardwareConcurrency : 1;

/** Automatic, then 1 … the machine's cores (a link's larger value is added by withValue, and clamped). */
const workerChoices = (cores: number) => [
  0,
  ...Array.from(
    { length: Math.min(cores, S.workers.kind === 'int' ? S.workers.range.max : cores) },
    (_, i) => i + 1,
  ),
];

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
      trainSize: s.config.trainSize,
      validation: s.config.validation,
      untilLoss: s.config.untilLoss,
      patience: s.config.patience,
      mine: s.config.mine,
      workers: s.config.workers,
    })),
  );
  const cores = useRunStore((s) => s.workers?.cores ?? null) ?? navigatorCores();
  const speed = useConfigStore((s) => s.speed);
  const fullConfig = useConfigStore((s) => s.config);
  // The hidden sizes while a slider is dragged: the cost follows the thumb, before anything is rebuilt.
  const [draftHidden, setDraftHidden] = useState<number[] | null>(null);
  const costConfig = useMemo(
    () => (draftHidden ? { ...fullConfig, hidden: draftHidden } : fullConfig),
    [fullConfig, draftHidden],
  );

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
        <HiddenLayersControl
          hidden={c.hidden}
          onChange={(hidden) => update({ hidden })}
          onDraft={setDraftHidden}
        />
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
          options={withValue(BATCH_SIZES, c.batchSize).map((b) => ({
            value: b,
            // The row's word for its max: the whole training split, one step an epoch.
            label: String(settingWord(S.batchSize, b)),
          }))}
          testId="batch-size"
          onChange={(batchSize) => update({ batchSize })}
        />
        <CostSummary config={costConfig} />
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
        <Select
          setting={S.workers}
          value={c.workers}
          options={withValue(workerChoices(cores), c.workers).map((v) => ({
            value: v,
            label: v === 0 ? `auto (${resolveWorkers(0, cores).used})` : String(v),
          }))}
          testId="workers"
          onChange={(workers) => update({ workers })}
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
      <div className="group" data-testid="stop-controls">
        <Select
          setting={S.trainSize}
          value={c.trainSize}
          options={withValue(presets(S.trainSize), c.trainSize).map((v) => ({
            value: v,
            label: v === 60_000 ? 'all' : countText(v),
          }))}
          testId="train-size"
          onChange={(trainSize) => update({ trainSize })}
        />
        <Select
          setting={S.validation}
          value={c.validation}
          options={withValue(presets(S.validation), c.validation).map((v) => ({
            value: v,
            label: v === 0 ? 'none' : countText(v),
          }))}
          testId="validation"
          onChange={(validation) => update({ validation })}
        />
        <Select
          setting={S.untilLoss}
          value={c.untilLoss}
          options={withValue(presets(S.untilLoss), c.untilLoss).map((v) => ({
            value: v,
            label: v === 0 ? 'off' : `≤ ${v}`,
          }))}
          testId="until-loss"
          onChange={(untilLoss) => update({ untilLoss })}
        />
        <Select
          setting={S.patience}
          value={c.patience}
          options={withValue(presets(S.patience), c.patience).map((v) => ({
            value: v,
            label: v === 0 ? 'off' : `${v} epoch${v === 1 ? '' : 's'}`,
          }))}
          testId="patience"
          onChange={(patience) => update({ patience })}
        />
        <Select
          setting={S.mine}
          value={c.mine}
          options={withValue(presets(S.mine), c.mine).map((v) => ({
            value: v,
            label: v === 0 ? 'off' : `×${v}`,
          }))}
          testId="mine"
          onChange={(mine) => update({ mine })}
        />
      </div>
      <RegulariseControls />
      <details className="group more">
        <summary>model file</summary>
        <ModelFileButtons />
      </details>
      <p className="tips">
        <kbd>Space</kbd> trains and pauses. Every setting is in the address bar: share the link to share the
        setup, seed included.
      </p>
    </Panel>
  );
}
