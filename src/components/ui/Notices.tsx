/**
 * Messages in plain language, in a line of their own under the top bar (and an open lesson's card): the
 * line is always there, one message high, so a message never covers a view and nothing moves when one comes
 * or goes. A message longer than the line is cut with an ellipsis; its whole text is its tooltip (`title`)
 * and stays in the page for screen readers. Several at once share the line. The messages:
 * - a transient notice ("network reset") when the architecture changes;
 * - the loss diverging, with the next step (a smaller learning rate) and a Reset button;
 * - a failed command (e.g. a rejected model file);
 * - the training worker lost (closed, crashed, hung), with a Restart button, or restarted automatically;
 * - why training uses fewer workers than the setting asked (the page not isolated, more than the cores);
 * - a kept moment on show (the timeline), with Now.
 */
import { useEffect, useState } from 'react';
import { useRunStore, type RunState } from '../../store/run';
import { actions } from '../../app/client';
import { CostAlert } from './CostAlert';
import { useTimelineStore } from '../../store/timeline';
import { formatInt } from './format';

const NOTICE_MS = 2500;

/** One object per distinct note text, so dismissing a note hides that text only (a new one shows). */
const noteKeys = new Map<string, object>();
function noteKey(text: string): object {
  let key = noteKeys.get(text);
  if (!key) noteKeys.set(text, (key = {}));
  return key;
}

export function Notices() {
  const diverged = useRunStore((s) => s.diverged);
  const error = useRunStore((s) => s.error);
  const worker = useRunStore((s) => s.worker);
  const workersNote = useRunStore((s) => s.workers?.note ?? null);
  const viewing = useTimelineStore((s) => s.viewing);
  const [notice, setNotice] = useState<{ text: string; at: number } | null>(null);
  const [dismissed, setDismissed] = useState<ReadonlySet<object>>(() => new Set());

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const show = (text: string) => {
      setNotice({ text, at: performance.now() });
      clearTimeout(timer);
      timer = setTimeout(() => setNotice(null), NOTICE_MS);
    };
    const initial = useRunStore.getState().notice;
    if (initial) timer = setTimeout(() => show(initial), 0);
    const unsub = useRunStore.subscribe((s: RunState, prev: RunState) => {
      if (s.notice && s.notice !== prev.notice) show(s.notice);
    });
    return () => {
      unsub();
      clearTimeout(timer);
    };
  }, []);

  const dismiss = (o: object) => setDismissed((d) => new Set(d).add(o));

  return (
    <div className="notes" data-testid="notes">
      <CostAlert />
      {notice ? (
        <div className="toast" role="status" data-testid="notice" key={notice.at} title={notice.text}>
          <span className="toast-text">{notice.text}</span>
        </div>
      ) : null}
      {viewing !== null ? (
        // The timeline shows a kept moment: every view is of then, on every screen, until Now.
        <div className="toast" role="status" data-testid="moment-note">
          <span className="toast-text">
            Showing the network as it was at step {formatInt(viewing)} (a kept moment); training is not
            affected.
          </span>
          <button
            type="button"
            className="btn small"
            onClick={() => {
              void actions.viewMoment(null);
            }}
          >
            Now
          </button>
        </div>
      ) : null}
      {diverged && !dismissed.has(diverged) ? (
        <div className="toast error" role="alert" data-testid="diverged" title={diverged.message}>
          <span className="toast-text">{diverged.message}</span>
          <button type="button" className="btn small" onClick={() => actions.reset()}>
            Reset
          </button>
          <button type="button" className="close" aria-label="Dismiss" onClick={() => dismiss(diverged)}>
            ×
          </button>
        </div>
      ) : null}
      {worker.state !== 'ok' && !dismissed.has(worker) ? (
        <div className="toast error" role="alert" data-testid="worker-lost" title={worker.message}>
          <span className="toast-text">{worker.message}</span>
          {worker.state === 'lost' ? (
            <button type="button" className="btn small" onClick={() => actions.restartWorker()}>
              Restart
            </button>
          ) : (
            <button type="button" className="close" aria-label="Dismiss" onClick={() => dismiss(worker)}>
              ×
            </button>
          )}
        </div>
      ) : null}
      {workersNote && !dismissed.has(noteKey(workersNote)) ? (
        // Why training uses fewer workers than asked: one line, until dismissed (the status keeps the count).
        <div className="toast" role="status" data-testid="workers-note" title={workersNote}>
          <span className="toast-text">{workersNote}</span>
          <button
            type="button"
            className="close"
            aria-label="Dismiss"
            onClick={() => dismiss(noteKey(workersNote))}
          >
            ×
          </button>
        </div>
      ) : null}
      {error && !dismissed.has(error) ? (
        <div className="toast error" role="alert" data-testid="command-error" title={error.message}>
          <span className="toast-text">{error.message}</span>
          <button type="button" className="close" aria-label="Dismiss" onClick={() => dismiss(error)}>
            ×
          </button>
        </div>
      ) : null}
    </div>
  );
}
