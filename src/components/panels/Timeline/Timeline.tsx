/**
 * The timeline scrubber under the loss chart: the run keeps its weights every so often (at most 64 copies
 * or a quarter of the memory budget, thinned evenly: training/timeline.ts), and dragging back to a kept
 * moment shows the layer diagram, the weight images and the drawing's prediction as they were then
 * (app/timelineActions.ts), while a run in progress goes on; "Now" (or the right end) returns.
 */
import { useEffect } from 'react';
import { actions } from '../../../app/client';
import { useRunStore } from '../../../store/run';
import { useTimelineStore } from '../../../store/timeline';
import { formatInt } from '../../ui/format';

const megabytes = (bytes: number) =>
  bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.round(bytes / 1e3)} kB`;

/** The index of the kept moment nearest `step`. */
function nearest(steps: Uint32Array, step: number): number {
  let best = 0;
  for (let i = 1; i < steps.length; i++)
    if (Math.abs(steps[i]! - step) < Math.abs(steps[best]! - step)) best = i;
  return best;
}

export function Timeline() {
  const steps = useTimelineStore((s) => s.steps);
  const bytes = useTimelineStore((s) => s.bytes);
  const capacity = useTimelineStore((s) => s.capacity);
  const viewing = useTimelineStore((s) => s.viewing);
  const livePredictions = useTimelineStore((s) => s.livePredictions);
  const step = useRunStore((s) => s.step);
  const k = steps.length;
  const index = viewing === null ? k : nearest(steps, viewing);

  // A new drawing while a past moment is shown: the moment reads it too.
  useEffect(() => {
    const v = useTimelineStore.getState().viewing;
    if (livePredictions > 0 && v !== null) void actions.viewMoment(v).catch(() => {});
  }, [livePredictions]);

  const go = (i: number) => {
    const target = i >= k ? null : steps[i]!;
    actions.viewMoment(target).catch(() => {
      // The moment was thinned away or the network changed: back to now.
      void actions.viewMoment(null);
    });
  };

  return (
    <div
      className="timeline"
      data-viewing={viewing ?? 'now'}
      data-moments={k}
      title="The run keeps its weights every so often; drag back to see the network as it was then"
    >
      <input
        type="range"
        data-testid="timeline"
        aria-label="Moment of the run shown"
        aria-valuetext={viewing === null ? `now, step ${step}` : `step ${viewing} of ${step}`}
        min={0}
        max={Math.max(k, 1)}
        step={1}
        value={index}
        disabled={k < 2}
        onChange={(e) => go(Number(e.target.value))}
      />
      <span className="num timeline-label" data-testid="timeline-label">
        {k < 2
          ? 'the timeline fills as training runs'
          : viewing === null
            ? `now · step ${formatInt(step)}`
            : `step ${formatInt(viewing)} of ${formatInt(step)}`}
      </span>
      <button
        type="button"
        className="btn small"
        data-testid="timeline-now"
        disabled={viewing === null}
        onClick={() => go(k)}
      >
        Now
      </button>
      <span className="num muted timeline-cost" title={`At most ${capacity} moments are kept`}>
        {k > 0 ? `${k} kept · ${megabytes(bytes)}` : ''}
      </span>
    </div>
  );
}
