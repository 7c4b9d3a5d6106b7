/**
 * The loss landscape (Li et al. 2018): the loss on 1,000 fixed training images over a grid of the plane
 * through the current weights θ, L(θ + α·d₁ + β·d₂), drawn as a heat map with contours on a log scale, and
 * the path the run took projected onto it (its kept moments: training/timeline.ts), start and now marked.
 * The plane is the path's own (its two main directions, once ≥ 3 moments are kept) or two random
 * filter-normalised directions. Computed on request, in the worker between training slices
 * (training/landscapeJob.ts), with progress and Cancel; nothing is computed while it is not asked for.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { actions } from '../../../app/client';
import { computeGridOnThreads, MAX_GRID_THREADS, type GridRun } from '../../../app/landscapeThreads';
import { gridThreadCount, startGridThread } from '../../../app/landscapeWorker';
import type { LandscapePlaneChoice, LossLandscape } from '../../../protocol/messages';
import { useLandscapeProgress } from '../../../store/landscape';
import { useRunStore } from '../../../store/run';
import { useTimelineStore } from '../../../store/timeline';
import { getTheme } from '../../canvas/theme';
import { useCanvasPainter, type PaintSize } from '../../canvas/useCanvasPainter';
import { formatInt, formatPercent } from '../../ui/format';
import { Panel } from '../../ui/Panel';
import {
  contourLines,
  gridPointAt,
  heatColor,
  logLevels,
  logPosition,
  lossRange,
  plotFrame,
  toPixel,
  type PlotFrame,
} from './landscapeLayout';

/** A landscape as shown: the worker's plan with the grid's losses from the page's threads. */
type Landscape = LossLandscape & {
  generation: number;
  threads: number;
  /** Why the page's threads did not compute the grid (the training worker did), and when that was known. */
  fallback: string | null;
};
type State = 'idle' | 'computing' | 'done' | 'error';

const GRID_SIZES = [15, 31, 45] as const;
const DEFAULT_GRID = 31;
const CONTOURS = 12;

const INFO =
  'The loss on 1,000 training images around the current weights θ, over a plane of weight space: ' +
  'L(θ + α·d₁ + β·d₂). d₁, d₂ are the two directions the run’s path moved most in (or two random ones). ' +
  'Dark is low loss; the line is the path training took, from start to now.';

const formatMegabytes = (bytes: number) =>
  bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.round(bytes / 1e3)} kB`;

const fmt = (v: number) =>
  Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(2);

export function LossLandscape({ onClose }: { onClose?: () => void }) {
  const generation = useRunStore((s) => s.generation);
  const step = useRunStore((s) => s.step);
  const kept = useTimelineStore((s) => s.steps.length);
  const keptBytes = useTimelineStore((s) => s.bytes);
  const keptCapacity = useTimelineStore((s) => s.capacity);
  const progress = useLandscapeProgress((s) => s.progress);
  const [state, setState] = useState<State>('idle');
  const [answer, setAnswer] = useState<{ generation: number; land: Landscape } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [grid, setGrid] = useState<number>(DEFAULT_GRID);
  const [plane, setPlane] = useState<LandscapePlaneChoice>('auto');
  const [point, setPoint] = useState<ReturnType<typeof gridPointAt>>(null);
  const asked = useRef(0);
  // A rebuilt network: the old landscape goes (an answer in flight fails with "network changed").
  const land = answer && answer.generation === generation ? answer.land : null;
  const shownState: State = state === 'done' && !land ? 'idle' : state;

  const gridRun = useRef<GridRun | null>(null);
  const compute = () => {
    const token = ++asked.current;
    const t0 = performance.now();
    setState('computing');
    setError(null);
    actions
      .requestLandscapePlan(grid, plane)
      .then((plan) => {
        if (asked.current !== token) return;
        // The grid on threads of the page's own: every core, none of the training worker's time slices.
        const run = computeGridOnThreads(
          plan,
          gridThreadCount(MAX_GRID_THREADS),
          startGridThread,
          (done, total) => useLandscapeProgress.setState({ progress: { done, total } }),
        );
        gridRun.current = run;
        // Where the page cannot start a thread (a browser that refuses the worker), the training worker
        // computes the grid itself, between its slices: slower, the same points.
        const grid$ = run.result.then(
          (r) => ({ ...r, fallback: null as string | null }),
          (e: unknown) => {
            const message = e instanceof Error ? e.message : String(e);
            if (!/thread failed/.test(message)) throw e;
            const fallback = `${message} (after ${((performance.now() - t0) / 1000).toFixed(1)} s)`;
            return actions
              .requestLossLandscape(grid, plane)
              .then((whole) => ({ losses: whole.losses, workMs: whole.workMs, threads: 0, fallback }));
          },
        );
        return grid$.then(({ losses, workMs, threads, fallback }) => {
          if (asked.current !== token) return;
          const { alphas, betas, path, pathSteps, step: at, images, explained } = plan;
          const land: Landscape = {
            plane: plan.plane,
            explained,
            alphas,
            betas,
            losses,
            path,
            pathSteps,
            step: at,
            images,
            elapsedMs: performance.now() - t0,
            workMs: plan.workMs + workMs,
            generation: plan.generation,
            threads,
            fallback,
          };
          setAnswer({ generation: plan.generation, land });
          setState('done');
        });
      })
      .catch((e: unknown) => {
        if (asked.current !== token) return;
        const message = e instanceof Error ? e.message : String(e);
        if (/cancelled/.test(message)) setState(land ? 'done' : 'idle');
        else {
          setError(message);
          setState('error');
        }
      })
      .finally(() => {
        if (asked.current === token) gridRun.current = null;
      });
  };
  const cancel = () => {
    actions.cancelLossLandscape();
    gridRun.current?.cancel();
  };
  // Closed or gone: a landscape still computing is cancelled (closed views cost nothing).
  useEffect(
    () => () => {
      if (asked.current > 0) actions.cancelLossLandscape();
      gridRun.current?.cancel();
    },
    [],
  );
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const heat = useRef<{ land: Landscape; canvas: HTMLCanvasElement } | null>(null);
  const frameRef = useRef<PlotFrame | null>(null);

  const paint = useCallback(
    (ctx: CanvasRenderingContext2D, size: PaintSize) => {
      const theme = getTheme();
      ctx.font = `11px ${theme.font}`;
      if (!land) {
        frameRef.current = null;
        ctx.fillStyle = theme.muted;
        ctx.textAlign = 'center';
        ctx.fillText(
          state === 'computing'
            ? 'Computing the landscape…'
            : 'Press Compute to map the loss around the weights.',
          size.width / 2,
          size.height / 2,
        );
        return;
      }
      const f = plotFrame(land, size.width, size.height);
      frameRef.current = f;
      const range = lossRange(land.losses);
      const cols = land.alphas.length;
      const rows = land.betas.length;
      // The heat map: one pixel per grid point, scaled up smoothly.
      if (heat.current?.land !== land) {
        const c = document.createElement('canvas');
        c.width = cols;
        c.height = rows;
        const g = c.getContext('2d')!;
        for (let r = 0; r < rows; r++)
          for (let k = 0; k < cols; k++) {
            g.fillStyle = heatColor(logPosition(land.losses[r * cols + k]!, range));
            g.fillRect(k, rows - 1 - r, 1, 1);
          }
        heat.current = { land, canvas: c };
      }
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(heat.current.canvas, f.left, f.top, f.width, f.height);
      // Contours, log-spaced.
      ctx.save();
      ctx.beginPath();
      ctx.rect(f.left, f.top, f.width, f.height);
      ctx.clip();
      ctx.strokeStyle = 'rgba(255,255,255,0.55)';
      ctx.lineWidth = 1;
      for (const { rings } of contourLines(land, logLevels(land.losses, CONTOURS))) {
        for (const ring of rings) {
          ctx.beginPath();
          ring.forEach(([a, b], i) => {
            const [x, y] = toPixel(f, a!, b!);
            if (i === 0) ctx.moveTo(x, y);
            else ctx.lineTo(x, y);
          });
          ctx.stroke();
        }
      }
      // The path: kept moments, oldest first, to now at the origin.
      const m = land.pathSteps.length;
      ctx.strokeStyle = '#ffffff';
      ctx.lineWidth = 2;
      ctx.beginPath();
      for (let i = 0; i < m; i++) {
        const [x, y] = toPixel(f, land.path[2 * i]!, land.path[2 * i + 1]!);
        if (i === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      }
      ctx.stroke();
      ctx.fillStyle = '#ffffff';
      for (let i = 0; i < m; i++) {
        const [x, y] = toPixel(f, land.path[2 * i]!, land.path[2 * i + 1]!);
        ctx.fillRect(x - 1.5, y - 1.5, 3, 3);
      }
      const mark = (i: number, label: string, color: string) => {
        const [x, y] = toPixel(f, land.path[2 * i]!, land.path[2 * i + 1]!);
        ctx.fillStyle = color;
        ctx.strokeStyle = '#ffffff';
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.arc(x, y, 5, 0, 2 * Math.PI);
        ctx.fill();
        ctx.stroke();
        ctx.fillStyle = '#ffffff';
        ctx.textBaseline = 'middle';
        // Left of the mark where the label would leave the plot.
        const right = x + 8 + ctx.measureText(label).width <= f.left + f.width;
        ctx.textAlign = right ? 'left' : 'right';
        ctx.fillText(label, right ? x + 8 : x - 8, y);
      };
      if (m > 1) mark(0, `start (step ${formatInt(land.pathSteps[0]!)})`, theme.testLoss);
      mark(m - 1, 'now', theme.accent);
      ctx.restore();
      // Axes: α along d₁, β along d₂; ticks at the ends and 0.
      ctx.fillStyle = theme.muted;
      ctx.textBaseline = 'top';
      ctx.textAlign = 'center';
      for (const a of [land.alphas[0]!, 0, land.alphas[cols - 1]!]) {
        const [x] = toPixel(f, a, 0);
        ctx.fillText(fmt(a), x, f.top + f.height + 3);
      }
      ctx.fillText(
        land.plane === 'path' ? 'α along d₁ (the path’s main direction)' : 'α along d₁ (random)',
        f.left + f.width / 2,
        f.top + f.height + 17,
      );
      ctx.textAlign = 'right';
      ctx.textBaseline = 'middle';
      for (const b of [land.betas[0]!, 0, land.betas[rows - 1]!]) {
        const [, y] = toPixel(f, 0, b);
        ctx.fillText(fmt(b), f.left - 4, y);
      }
      ctx.save();
      ctx.translate(10, f.top + f.height / 2);
      ctx.rotate(-Math.PI / 2);
      ctx.textAlign = 'center';
      ctx.fillText('β along d₂', 0, 0);
      ctx.restore();
      // The colour key (log scale).
      const kx = f.left + f.width + 12;
      const kh = f.height;
      for (let i = 0; i < kh; i++) {
        ctx.fillStyle = heatColor(1 - i / kh);
        ctx.fillRect(kx, f.top + i, 10, 1);
      }
      ctx.fillStyle = theme.muted;
      ctx.textAlign = 'left';
      ctx.textBaseline = 'top';
      ctx.fillText(fmt(range[1]), kx + 13, f.top);
      ctx.textBaseline = 'bottom';
      ctx.fillText(fmt(range[0]), kx + 13, f.top + kh);
      ctx.textBaseline = 'middle';
      ctx.fillText('loss', kx + 13, f.top + kh / 2);
      ctx.fillText('(log)', kx + 13, f.top + kh / 2 + 13);
    },
    [land, state],
  );
  const painter = useCanvasPainter(canvasRef, paint, []);
  useEffect(() => painter.invalidate(true), [land, state, painter]);

  const stale = land && land.step !== step;
  const pct = progress && progress.total > 0 ? progress.done / progress.total : 0;

  return (
    <Panel
      title="Loss landscape"
      info={INFO}
      className="loss-landscape-panel"
      view="loss-landscape"
      actions={
        onClose ? (
          <button type="button" className="btn small" onClick={onClose} aria-label="Close the loss landscape">
            ×
          </button>
        ) : undefined
      }
    >
      <div
        className="loss-landscape"
        data-testid="loss-landscape"
        data-state={shownState}
        data-plane={land ? land.plane : ''}
        data-step={land ? land.step : ''}
        data-points={land ? land.losses.length : 0}
        data-path={land ? land.pathSteps.length : 0}
        data-work-ms={land ? Math.round(land.workMs) : ''}
        data-elapsed-ms={land ? Math.round(land.elapsedMs) : ''}
        data-threads={land ? land.threads : ''}
        data-fallback={land?.fallback ?? undefined}
      >
        <div className="loss-landscape-bar">
          <label>
            Plane{' '}
            <select
              data-testid="landscape-plane"
              value={plane}
              disabled={state === 'computing'}
              onChange={(e) => setPlane(e.target.value as LandscapePlaneChoice)}
            >
              <option value="auto">the run’s path{kept < 2 ? ' (once kept)' : ''}</option>
              <option value="random">random directions</option>
            </select>
          </label>
          <label>
            Grid{' '}
            <select
              data-testid="landscape-grid"
              value={grid}
              disabled={state === 'computing'}
              onChange={(e) => setGrid(Number(e.target.value))}
            >
              {GRID_SIZES.map((n) => (
                <option key={n} value={n}>
                  {n} × {n}
                </option>
              ))}
            </select>
          </label>
          <span
            className="num muted"
            data-testid="landscape-kept"
            data-bytes={keptBytes}
            title="The run keeps its weights every so often (at most 64 copies or a quarter of the memory budget; older ones thinned evenly): the path's points"
          >
            {formatInt(kept)} of {formatInt(keptCapacity)} moments kept · {formatMegabytes(keptBytes)}
          </span>
          {state === 'computing' ? (
            <>
              <progress
                data-testid="landscape-progress"
                max={1}
                value={pct}
                aria-label="Landscape computed"
              />
              <span className="num muted">{formatPercent(pct, 0)}</span>
              <button type="button" className="btn small" data-testid="landscape-cancel" onClick={cancel}>
                Cancel
              </button>
            </>
          ) : (
            <button
              type="button"
              className="btn small primary"
              data-testid="landscape-compute"
              onClick={compute}
            >
              {land ? (stale ? 'Recompute for now' : 'Recompute') : 'Compute'}
            </button>
          )}
        </div>
        <div className="loss-landscape-plot">
          <canvas
            ref={canvasRef}
            className="loss-landscape-canvas"
            role="img"
            aria-label={
              land
                ? `Loss landscape at step ${land.step}: loss ${fmt(lossRange(land.losses)[0])} to ${fmt(lossRange(land.losses)[1])}, the path of ${land.pathSteps.length} kept moments`
                : 'No loss landscape computed yet'
            }
            onPointerMove={(e) => {
              const r = e.currentTarget.getBoundingClientRect();
              const f = frameRef.current;
              setPoint(land && f ? gridPointAt(land, f, e.clientX - r.left, e.clientY - r.top) : null);
            }}
            onPointerLeave={() => setPoint(null)}
          />
        </div>
        <p className="muted loss-landscape-about num" data-testid="landscape-readout">
          {point
            ? `α ${fmt(point.alpha)}, β ${fmt(point.beta)}: loss ${point.loss.toFixed(3)}`
            : land
              ? `${land.losses.length} losses at step ${formatInt(land.step)}${stale ? ` (now ${formatInt(step)})` : ''} in ${(land.elapsedMs / 1000).toFixed(1)} s ${land.fallback ? `in the training worker (${land.fallback})` : `on ${land.threads} thread${land.threads === 1 ? '' : 's'}`}` +
                (land.plane === 'path' && land.explained
                  ? ` · the plane holds ${formatPercent(land.explained[0] + land.explained[1], 0)} of the path’s movement`
                  : ' · random plane: the path barely shows in it')
              : 'z₁ = xWᵀ + α·xD₁ᵀ + β·xD₂ᵀ: the first layer is linear in α and β, so three products serve the whole grid.'}
        </p>
        {error ? (
          <p className="loss-landscape-error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
    </Panel>
  );
}
