/**
 * "Why did it say 7?": for the drawn digit, the saliency map — ∂(logit of the predicted class)/∂pixel,
 * from the engine's own backward pass — over what the network sees (red: more ink here would raise the
 * answer's score; blue: would lower it), and the hidden units that pushed the answer most
 * (activation × ∂logit/∂activation).
 */
import { useCallback, useRef } from 'react';
import { useInsideStore } from '../../../store/inside';
import { useRunStore } from '../../../store/run';
import { telemetryStore, type Prediction } from '../../../store/telemetry';
import { actions } from '../../../app/client';
import { divergingLut } from '../../canvas/colors';
import { getTheme } from '../../canvas/theme';
import { useCanvasPainter, type PaintSize, type Subscribe } from '../../canvas/useCanvasPainter';
import { formatValue } from '../../ui/format';
import { Panel } from '../../ui/Panel';
import { useSyncExternalStore } from 'react';

const SOURCES: Subscribe[] = [(cb) => telemetryStore.subscribe(cb)];

/** Largest |v| of an array (0 for an empty one). */
export function maxAbs(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]!));
  return m;
}

function paintSaliency(ctx: CanvasRenderingContext2D, size: PaintSize, host: HTMLElement | null) {
  const p = telemetryStore.getState().prediction;
  const theme = getTheme();
  if (host) host.dataset.shown = p?.explanation ? 'true' : 'false';
  if (!p?.explanation) {
    ctx.fillStyle = theme.muted;
    ctx.font = `11px ${theme.font}`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText('Draw on the canvas →', size.width / 2, size.height / 2);
    return;
  }
  const input = p.activations[0]!;
  const sal = p.explanation.saliency;
  const side = Math.round(Math.sqrt(sal.length));
  const m = maxAbs(sal);
  const lut = divergingLut(theme);
  const cell = Math.floor(Math.min(size.width, size.height) / side) || 1;
  const ox = Math.floor((size.width - cell * side) / 2);
  const oy = Math.floor((size.height - cell * side) / 2);
  for (let i = 0; i < sal.length; i++) {
    const x = ox + (i % side) * cell;
    const y = oy + Math.floor(i / side) * cell;
    const s = m > 0 ? sal[i]! / m : 0;
    // The saliency colour, with the ink drawn as a dark outline-free overlay so the digit stays readable.
    ctx.fillStyle = lut.css[Math.max(0, Math.min(255, Math.round((s + 1) * 127.5)))]!;
    ctx.fillRect(x, y, cell, cell);
    const ink = input[i]!;
    if (ink > 0.05) {
      ctx.fillStyle = theme.dark ? `rgba(255,255,255,${0.55 * ink})` : `rgba(0,0,0,${0.45 * ink})`;
      ctx.fillRect(x, y, cell, cell);
    }
  }
}

function subscribePrediction(cb: () => void) {
  return telemetryStore.subscribe((s, prev) => {
    if (s.prediction !== prev.prediction) cb();
  });
}

export function Saliency() {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const hostRef = useRef<HTMLDivElement>(null);
  const paint = useCallback(
    (ctx: CanvasRenderingContext2D, size: PaintSize) => paintSaliency(ctx, size, hostRef.current),
    [],
  );
  useCanvasPainter(canvasRef, paint, SOURCES);
  const prediction: Prediction | null = useSyncExternalStore(
    subscribePrediction,
    () => telemetryStore.getState().prediction,
  );
  const names = useRunStore((s) => s.data.classNames);
  const selected = useInsideStore((s) => s.selectedUnit);
  const e = prediction?.explanation;
  const name = (c: number) => names[c] ?? String(c);
  return (
    <Panel
      title={e ? `Why did it say ${name(e.predicted)}?` : 'Why did it say that?'}
      info="Red pixels: more ink there would have made the network more sure of its answer; blue: less sure. It is the gradient of the answer's score (its logit) with respect to each pixel, from the same backward pass that trains the network. Below: the hidden units that pushed the answer most (activation × how much the score depends on it)."
      className="inside-saliency"
    >
      <div className="saliency" data-testid="saliency" data-shown="false" ref={hostRef}>
        <canvas
          ref={canvasRef}
          className="saliency-canvas"
          role="img"
          aria-label="Saliency map of the drawn digit"
        />
        <ol className="saliency-units" aria-label="Hidden units that pushed the answer most">
          {e?.topUnits.map((u) => (
            <li key={`${u.layer}:${u.unit}`}>
              <button
                type="button"
                className={`unit-chip${selected?.layer === u.layer && selected.unit === u.unit ? ' selected' : ''}`}
                title={`layer ${u.layer + 1}, unit ${u.unit}: a = ${formatValue(u.activation)}, contribution ${formatValue(u.contribution)} to the ${name(e.predicted)} logit`}
                onClick={() => actions.selectUnit({ layer: u.layer, unit: u.unit })}
              >
                L{u.layer + 1}·{u.unit}{' '}
                <span className={u.contribution >= 0 ? 'push-up' : 'push-down'}>
                  {u.contribution >= 0 ? '+' : '−'}
                  {formatValue(Math.abs(u.contribution), 2)}
                </span>
              </button>
            </li>
          ))}
        </ol>
      </div>
    </Panel>
  );
}
