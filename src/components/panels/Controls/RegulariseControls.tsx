/**
 * The regularisers beyond L2, one control per row of the schema: dropout on the inputs and on the hidden
 * layers, max-norm, and augmentation. Training-only, so a change continues the running session (the
 * rows' `rebuilds: false`); evaluation and the drawing's prediction never drop or distort.
 */
import { useShallow } from 'zustand/react/shallow';
import { actions } from '../../../app/client';
import type { TrainConfig } from '../../../engine/types';
import { PRESETS, type Preset } from '../../../settings/presets';
import { trainSetting } from '../../../settings/schema';
import { DEFAULT_CONFIG_STATE, useConfigStore } from '../../../store/config';
import { writeUrlState } from '../../../store/urlState';
import { AugmentedBatchMenu } from '../AugmentedBatch/AugmentedBatch';
import { choicesOf, controlOf, withValue } from './controlOptions';
import { Select } from './SettingControl';

const S = {
  inputDropout: trainSetting('inputDropout'),
  dropout: trainSetting('dropout'),
  maxNorm: trainSetting('maxNorm'),
  augment: trainSetting('augment'),
};

/** A preset's link: its settings over the defaults, as a shared link would carry them. */
function presetLink(p: Preset): string {
  return writeUrlState({
    ...DEFAULT_CONFIG_STATE,
    config: { ...DEFAULT_CONFIG_STATE.config, ...p.settings },
  });
}

const presets = (s: (typeof S)[keyof typeof S]) => controlOf(s).presets as readonly number[];
const rateText = (v: number) => (v === 0 ? 'off' : `${Math.round(v * 100)} %`);

export function RegulariseControls() {
  const c = useConfigStore(
    useShallow((s) => ({
      inputDropout: s.config.inputDropout,
      dropout: s.config.dropout,
      maxNorm: s.config.maxNorm,
      augment: s.config.augment,
    })),
  );
  const update = (patch: Partial<TrainConfig>) => actions.updateConfig(patch);
  return (
    <div className="group" data-testid="regularise-controls">
      <Select
        setting={S.inputDropout}
        value={c.inputDropout}
        options={withValue(presets(S.inputDropout), c.inputDropout).map((v) => ({
          value: v,
          label: rateText(v),
        }))}
        testId="input-dropout"
        onChange={(inputDropout) => update({ inputDropout })}
      />
      <Select
        setting={S.dropout}
        value={c.dropout}
        options={withValue(presets(S.dropout), c.dropout).map((v) => ({ value: v, label: rateText(v) }))}
        testId="dropout"
        onChange={(dropout) => update({ dropout })}
      />
      <Select
        setting={S.maxNorm}
        value={c.maxNorm}
        options={withValue(presets(S.maxNorm), c.maxNorm).map((v) => ({
          value: v,
          label: v === 0 ? 'off' : `‖w‖ ≤ ${v}`,
        }))}
        testId="max-norm"
        onChange={(maxNorm) => update({ maxNorm })}
      />
      <Select
        setting={S.augment}
        value={c.augment}
        options={choicesOf(S.augment)}
        testId="augment"
        onChange={(augment) => update({ augment: augment as TrainConfig['augment'] })}
      />
      <AugmentedBatchMenu />
      {PRESETS.map((p) => (
        <button
          key={p.name}
          type="button"
          className="btn"
          data-testid={`preset-${p.name}`}
          title={p.about}
          onClick={() => actions.followLink(presetLink(p))}
        >
          Recipe: {p.label}
        </button>
      ))}
    </div>
  );
}
