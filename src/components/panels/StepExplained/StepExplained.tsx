/**
 * One step, explained: for the selected neuron (never none: with no selection, the view chooses the one the
 * layer diagram's example makes most active, and says so — stepChoice.ts), the forward values on the way to it and onward, the
 * error term δ at each layer back to it, the gradient of its weights and bias, the optimizer's state and
 * the exact update — formulas beside the engine's numbers. With the next training batch as the source,
 * Step applies exactly the update shown, and the view checks that the weights changed by it.
 */
import { useEffect, useSyncExternalStore } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { actions } from '../../../app/client';
import { useConfigStore } from '../../../store/config';
import { useInsideStore, type AutoSelection, type StepSource } from '../../../store/inside';
import { useRunStore } from '../../../store/run';
import { telemetryStore } from '../../../store/telemetry';
import { Panel } from '../../ui/Panel';
import { backwardLines, forwardLines, gradientLine, regulariserLines, stepRow, updateRule } from './stepText';
import { chooseStepUnit, choiceWords } from './stepChoice';

/** The latest snapshot's step and the selected row's weights, read without re-rendering per snapshot. */
function useSnapshotStep(): number {
  return useSyncExternalStore(
    (cb) => telemetryStore.subscribe((s, p) => s.snapshot?.step !== p.snapshot?.step && cb()),
    () => telemetryStore.getState().snapshot?.step ?? -1,
  );
}

/**
 * The neuron this view would choose for the example the layer diagram shows now (stepChoice.ts), as a key
 * ("drawing|most-active|0:5"; "" for none yet), read without re-rendering per snapshot unless it changes.
 */
function useDiagramChoice(sizes: readonly number[]): string {
  const get = () => {
    const { snapshot, prediction } = telemetryStore.getState();
    const example = prediction ? 'drawing' : 'probe';
    const c = chooseStepUnit(sizes, prediction?.activations ?? snapshot?.probe.activations ?? null);
    return c ? `${example}|${c.reason}|${c.unit.layer}:${c.unit.unit}` : '';
  };
  return useSyncExternalStore((cb) => telemetryStore.subscribe(cb), get);
}

/** True when the snapshot's weights of (layer, unit) equal `row` exactly. */
function rowMatches(layer: number, unit: number, row: Float32Array, bias: number): boolean {
  const L = telemetryStore.getState().snapshot?.layers[layer];
  if (!L) return false;
  const w = L.weights.subarray(unit * L.inSize, (unit + 1) * L.inSize);
  if (w.length !== row.length || L.biases[unit] !== bias) return false;
  for (let i = 0; i < w.length; i++) if (w[i] !== row[i]) return false;
  return true;
}

function SourcePicker({ source, classes }: { source: StepSource; classes: string[] }) {
  return (
    <fieldset className="step-source">
      <legend className="visually-hidden">Which example</legend>
      <label>
        <input
          type="radio"
          name="step-source"
          checked={source.kind === 'batch'}
          onChange={() => actions.setStepSource({ kind: 'batch' })}
        />{' '}
        next training batch
      </label>
      <label>
        <input
          type="radio"
          name="step-source"
          checked={source.kind === 'test'}
          onChange={() => actions.setStepSource({ kind: 'test', index: 0 })}
        />{' '}
        test image
      </label>
      {source.kind === 'test' ? (
        <input
          type="number"
          min={0}
          max={9999}
          value={source.index}
          aria-label="Test image number"
          className="step-index"
          onChange={(e) => {
            const v = Math.round(Number(e.target.value));
            if (Number.isFinite(v) && v >= 0 && v <= 9999) actions.setStepSource({ kind: 'test', index: v });
          }}
        />
      ) : null}
      <label>
        <input
          type="radio"
          name="step-source"
          checked={source.kind === 'drawing'}
          onChange={() => actions.setStepSource({ kind: 'drawing', label: 0 })}
        />{' '}
        my drawing
      </label>
      {source.kind === 'drawing' ? (
        <select
          value={source.label}
          aria-label="What the drawing is"
          onChange={(e) => actions.setStepSource({ kind: 'drawing', label: Number(e.target.value) })}
        >
          {classes.map((c, i) => (
            <option key={i} value={i}>
              it is a {c}
            </option>
          ))}
        </select>
      ) : null}
    </fieldset>
  );
}

export function StepExplained() {
  const unit = useInsideStore((s) => s.selectedUnit);
  const auto = useInsideStore((s) => s.selectedAuto);
  const source = useInsideStore((s) => s.stepSource);
  const answer = useInsideStore((s) => s.stepExplanation);
  const { status, generation, classNames, ready } = useRunStore(
    useShallow((s) => ({
      status: s.status,
      generation: s.generation,
      classNames: s.data.classNames,
      ready: s.data.counts !== null,
    })),
  );
  const sizes = useConfigStore(
    useShallow((s) => [s.config.inputSize, ...s.config.hidden, s.config.outputSize]),
  );
  const snapshotStep = useSnapshotStep();
  const layerCount = sizes.length - 1;
  const valid = unit !== null && unit.layer < layerCount && unit.unit < sizes[unit.layer + 1]!;
  const training = status === 'training';
  const names = classNames.length ? classNames : Array.from({ length: 10 }, (_, i) => String(i));
  const latest = answer?.items[0] ?? null;
  // An answer about another neuron (the one selected before, while this one's is on its way) is not shown
  // as this one's: its check would compare another neuron's weights.
  const item =
    latest && valid && latest.explanation.layer === unit.layer && latest.explanation.unit === unit.unit
      ? latest
      : null;
  // The batch explanation of step S is applied once the network is at step S + 1.
  const applied = item !== null && item.source === 'batch' && snapshotStep === item.step + 1;
  const matches =
    applied &&
    valid &&
    rowMatches(unit.layer, unit.unit, item.explanation.rowAfter, item.explanation.biasAfter);
  // Never empty: with no (usable) selection, the neuron the diagram's example makes most active.
  const choice = useDiagramChoice(sizes);
  useEffect(() => {
    if (valid || choice === '') return;
    const [example, reason, at] = choice.split('|') as [
      AutoSelection['example'],
      AutoSelection['reason'],
      string,
    ];
    const [layer, u] = at.split(':').map(Number) as [number, number];
    actions.selectUnit({ layer, unit: u }, { reason, example });
  }, [valid, choice]);
  const sourceKey = JSON.stringify(source);
  const key = valid ? `${unit.layer}:${unit.unit}` : '';
  useEffect(() => {
    if (!ready || !valid || training) return;
    // Asked again when the selection, the source or the network changes, and when the weights moved
    // (a batch explanation stays on screen right after its Step, to show the check).
    if (applied && source.kind === 'batch') return;
    actions.requestStepExplanation(
      { layer: unit.layer, unit: unit.unit },
      JSON.parse(sourceKey) as StepSource,
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, sourceKey, ready, training, generation, snapshotStep]);
  const e = item?.explanation;
  return (
    <Panel
      title="One step, explained"
      info="It starts on the neuron that fires most for the example in the layer diagram; click another one there (an output neuron too), pause, and read one step of backprop for it with the engine's own numbers: the forward pass to it and on to the loss, the error δ flowing back to it, its gradient, and the update the optimizer makes. With the next training batch, press Step and check that the weights changed by exactly the update shown."
      className="step-panel"
    >
      <div
        className="step-explained"
        data-testid="step-explained"
        data-layer={valid ? unit.layer : ''}
        data-unit={valid ? unit.unit : ''}
        data-source={item?.source ?? ''}
        data-step={item?.step ?? ''}
        data-applied={applied ? 'true' : 'false'}
        data-update-matches={matches ? 'true' : 'false'}
      >
        <SourcePicker source={source} classes={names} />
        {!valid ? (
          <p className="muted">
            {ready ? 'Choosing a neuron…' : 'Waiting for the data…'} (or click one in the layer diagram)
          </p>
        ) : null}
        {valid && auto ? (
          <p className="step-choice" data-testid="step-choice" data-reason={auto.reason}>
            {choiceWords({ unit, reason: auto.reason }, auto.example, names)}
          </p>
        ) : null}
        {valid && training ? (
          <p className="muted">
            Pause to look at one step.{' '}
            <button type="button" className="btn small" onClick={() => actions.pause()}>
              Pause
            </button>
          </p>
        ) : null}
        {answer?.error ? <p className="step-error">{answer.error}</p> : null}
        {valid && e && !training ? (
          <div className="step-body">
            <h3>
              Neuron {e.unit} of{' '}
              {e.layer === layerCount - 1 ? 'the output layer' : `hidden layer ${e.layer + 1}`} ·{' '}
              {item.source === 'batch'
                ? `step ${item.step + 1}, first image of the batch (a ${names[e.label]})`
                : item.source === 'test'
                  ? `test image (a ${names[e.label]}) — never trained on`
                  : `your drawing, taken as a ${names[e.label]}`}
            </h3>
            <h4>Forward</h4>
            <ul className="step-lines">
              {forwardLines(e, names).map((t, i) => (
                <li key={i}>{t}</li>
              ))}
            </ul>
            <h4>Backward</h4>
            <ul className="step-lines">
              {backwardLines(e, layerCount).map((t, i) => (
                <li key={i}>{t}</li>
              ))}
              <li>{gradientLine(e)}</li>
            </ul>
            {regulariserLines(e).length > 0 ? (
              <ul className="step-lines" data-testid="step-regularisers">
                {regulariserLines(e).map((t, i) => (
                  <li key={i}>{t}</li>
                ))}
              </ul>
            ) : null}
            <h4>Update</h4>
            <p className="step-rule">{updateRule(e)}</p>
            <table className="step-table">
              <thead>
                <tr>
                  <th scope="col">param</th>
                  <th scope="col">w</th>
                  <th scope="col">g = ∂L/∂w</th>
                  <th scope="col">state</th>
                  <th scope="col">Δw</th>
                  <th scope="col">w after</th>
                </tr>
              </thead>
              <tbody>
                {e.steps.map((s) => (
                  <tr key={s.index}>
                    {stepRow(s, e.optimizer).map((c, i) => (
                      <td key={i}>{c}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
            {item.source === 'batch' ? (
              <p className={`step-check${matches ? ' ok' : ''}`}>
                {applied
                  ? matches
                    ? `✓ Step ${item.step + 1} applied: all ${e.inputCount} weights and the bias changed by exactly the update shown.`
                    : '✗ The weights after the step differ from the update shown.'
                  : 'Press Step: it trains on exactly this batch and applies exactly this update.'}
                {applied ? (
                  <>
                    {' '}
                    <button
                      type="button"
                      className="btn small"
                      onClick={() =>
                        actions.requestStepExplanation({ layer: unit.layer, unit: unit.unit }, source)
                      }
                    >
                      Explain the next step
                    </button>
                  </>
                ) : null}
              </p>
            ) : (
              <p className="step-check">
                What this one example alone would do to the weights; nothing is changed.
              </p>
            )}
          </div>
        ) : null}
      </div>
    </Panel>
  );
}
