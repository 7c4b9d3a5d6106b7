/** Presenter mode's bottom bar: every keyboard shortcut presenter mode offers, from the shortcuts table, and a way out. */
import { actions } from '../app/client';
import { PRESENTER_SHORTCUTS } from './shortcuts';

export function ShortcutBar() {
  return (
    <footer className="shortcut-bar" data-testid="shortcuts" aria-label="Keyboard shortcuts">
      {PRESENTER_SHORTCUTS.map((s) => (
        <span key={s.id} className="shortcut">
          <kbd>{s.label}</kbd> {s.does}
        </span>
      ))}
      <button
        type="button"
        className="btn small"
        data-testid="exit-present"
        title="Leave presenter mode (P)"
        onClick={() => actions.setView({ present: false })}
      >
        Exit
      </button>
    </footer>
  );
}
