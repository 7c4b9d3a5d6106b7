/**
 * What a unit looks for: the selected hidden unit's incoming weights as a 28×28 image (first hidden layer:
 * red pixels excite it, blue ones inhibit it) and the nine test images that excite it most (computed in
 * the worker over the whole test set). A unit is selected by clicking it in the layer diagram, or here.
 */
import { useCallback, useEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useConfigStore } from '../../../store/config';
import { useInsideStore, type UnitRef } from '../../../store/inside';
import { useRunStore } from '../../../store/run';
import { telemetryStore } from '../../../store/telemetry';
import { actions } from '../../../app/client';
import { divergingIndex, divergingLut } from '../../canvas/colors';
import { getTheme } from '../../canvas/theme';
import { useCanvasPainter, type PaintSize, type Subscribe } from '../../canvas/useCanvasPainter';
import { DigitThumb } from '../../ui/DigitThumb';
import { formatValue } from '../../ui/format';
import { Panel } from '../../ui/Panel';

const SOURCES: Subscribe[] = [(cb) => telemetryStore.subscribe(cb)];

/** Paints unit `unit`'s incoming weights of the first layer, scaled by their largest magnitude. */
function paintWeights(ctx: CanvasRenderingContext2D, size: PaintSize, unit: number) {
  const layer = telemetryStore.getState().snapshot?.layers[0];
  if (!layer || unit >= layer.outSize) return;
  const side = Math.round(Math.sqrt(layer.inSize));
  if (side * side !== layer.inSize) return;
  const row = layer.weights.subarray(unit * layer.inSize, (unit + 1) * layer.inSize);
  let max = 0;
  for (const w of row) max = Math.max(max, Math.abs(w));
  const lut = divergingLut(getTheme());
  const cell = Math.min(size.width, size.height) / side;
  const ox = (size.width - cell * side) / 2;
  const oy = (size.height - cell * side) / 2;
  for (let i = 0; i < layer.inSize; i++) {
    ctx.fillStyle = lut.css[divergingIndex(max > 0 ? row[i]! / max : 0)]!;
    ctx.fillRect(ox + (i % side) * cell, oy + Math.floor(i / side) * cell, Math.ceil(cell), Math.ceil(cell));
  }
}

function UnitPicker({ unit, sizes }: { unit: UnitRef | null; sizes: number[] }) {
  const hiddenCount = sizes.length - 2;
  const layer = unit?.layer ?? 0;
  const max = (sizes[layer + 1] ?? 1) - 1;
  return (
    <div className="unit-picker">
      <label>
        layer{' '}
        <select
          value={layer}
          aria-label="Layer of the selected unit"
          onChange={(e) => actions.selectUnit({ layer: Number(e.target.value), unit: 0 })}
        >
          {Array.from({ length: hiddenCount }, (_, l) => (
            <option key={l} value={l}>
              {l + 1}
            </option>
          ))}
        </select>
      </label>
      <label>
        unit{' '}
        <input
          type="number"
          min={0}
          max={max}
          value={unit?.unit ?? 0}
          aria-label="Index of the selected unit"
          onChange={(e) => {
            const v = Math.round(Number(e.target.value));
            if (Number.isFinite(v) && v >= 0 && v <= max) actions.selectUnit({ layer, unit: v });
          }}
        />
      </label>
    </div>
  );
}

export function UnitView() {
  const sizes = useConfigStore(
    useShallow((s) => [s.config.inputSize, ...s.config.hidden, s.config.outputSize]),
  );
  const unit = useInsideStore((s) => s.selectedUnit);
  const images = useInsideStore((s) => s.unitImages);
  const names = useRunStore((s) => s.data.classNames);
  const epochs = useRunStore((s) => s.epochs.length);
  const ready = useRunStore((s) => s.data.counts !== null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const hidden = sizes.length > 2;
  const valid = unit !== null && unit.layer < sizes.length - 2 && unit.unit < sizes[unit.layer + 1]!;
  const paint = useCallback(
    (ctx: CanvasRenderingContext2D, size: PaintSize) => {
      if (valid && unit.layer === 0) paintWeights(ctx, size, unit.unit);
    },
    [valid, unit],
  );
  useCanvasPainter(canvasRef, paint, SOURCES, 500);
  const key = valid ? `${unit.layer}:${unit.unit}` : '';
  useEffect(() => {
    if (ready && valid) actions.requestUnitImages({ layer: unit.layer, unit: unit.unit });
    // Re-asked after every epoch: what a unit responds to changes as it learns.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, ready, epochs]);
  const shown = images && valid && images.query.layer === unit.layer && images.query.unit === unit.unit;
  return (
    <Panel
      title="What a unit looks for"
      info="Pick a neuron (click it in the layer diagram, or choose it here). For the first hidden layer you see its 28×28 incoming weights — red pixels make it fire, blue ones hold it back. For any hidden unit: the nine test images that make it fire most."
      className="inside-unit"
    >
      <div
        className="unit-view"
        data-testid="unit-view"
        data-layer={valid ? unit.layer : ''}
        data-unit={valid ? unit.unit : ''}
        data-images={shown ? images.items.length : 0}
      >
        {hidden ? (
          <UnitPicker unit={valid ? unit : null} sizes={sizes} />
        ) : (
          <p className="muted">No hidden layer: no hidden unit to look at.</p>
        )}
        {hidden && !valid ? (
          <p className="muted">
            {unit !== null && unit.layer === sizes.length - 2
              ? 'An output neuron is selected (One step explains it); this view shows hidden units: click one in the layer diagram, or pick one above.'
              : 'Click a neuron in the layer diagram (or pick one above).'}
          </p>
        ) : null}
        {valid ? (
          <div className="unit-body">
            {unit.layer === 0 ? (
              <figure className="unit-weights">
                <canvas
                  ref={canvasRef}
                  className="unit-weights-canvas"
                  role="img"
                  aria-label={`Incoming weights of unit ${unit.unit} of layer 1`}
                />
                <figcaption>its weights</figcaption>
              </figure>
            ) : null}
            <figure className="unit-top">
              <figcaption>
                {shown ? 'the 9 test images that excite it most' : 'looking through the test set…'}
              </figcaption>
              <ol className="unit-images">
                {shown
                  ? images.items.map((m) => (
                      <li
                        key={m.index}
                        title={`test image ${m.index} (${names[m.label] ?? m.label}): a = ${formatValue(m.activation ?? 0)}`}
                      >
                        <DigitThumb
                          pixels={m.pixels}
                          label={`test image ${m.index}, a ${names[m.label] ?? m.label}`}
                        />
                        <span className="unit-act">{formatValue(m.activation ?? 0, 2)}</span>
                      </li>
                    ))
                  : null}
              </ol>
            </figure>
          </div>
        ) : null}
      </div>
    </Panel>
  );
}
