/**
 * "Reload to update": a small button in the top bar, shown while a new build of the site waits for this
 * page (src/app/serviceWorker.ts). It takes a place in the bar's row, so it covers nothing.
 */
import { applyUpdate } from '../../app/serviceWorker';
import { useUpdateStore } from '../../store/update';

export function UpdateNotice() {
  const ready = useUpdateStore((s) => s.ready);
  if (!ready) return null;
  return (
    <button
      type="button"
      className="btn small update-ready"
      data-testid="update-ready"
      title="A new version of Backprop Lab is ready. Reloading loads it and ends the current run."
      onClick={applyUpdate}
    >
      Reload to update
    </button>
  );
}
