/** Runs the shortcuts table (shortcuts.ts) on the page: one keydown listener, each row's action. */
import { useEffect } from 'react';
import { actions } from '../app/client';
import { useRunStore } from '../store/run';
import { useViewStore } from '../store/view';
import { LESSONS } from './lessons/lessons';
import { openLesson } from './lessons/openLesson';
import { shortcutFor, type ShortcutId } from './shortcuts';

/** Does what the shortcut says; false when it cannot now (no data yet, a lesson number not in the table). */
function run(id: ShortcutId, index: number): boolean {
  const { data, status } = useRunStore.getState();
  const ready = data.counts !== null && data.error === null;
  switch (id) {
    case 'toggle':
      if (!ready) return false;
      actions.toggleTraining();
      return true;
    case 'step':
      if (!ready || status === 'training') return false;
      actions.step();
      return true;
    case 'reset':
      actions.reset();
      return true;
    case 'lesson': {
      const lesson = LESSONS[index];
      if (!lesson) return false;
      openLesson(lesson);
      return true;
    }
    case 'inside':
    case 'watch':
    case 'layers':
      actions.setScreen(id);
      return true;
    case 'one-step':
      actions.setScreen('step');
      return true;
    case 'mine':
      // Presenter mode has no My digits screen (ScreenTabs' NOT_IN_PRESENTER).
      if (useViewStore.getState().present) return false;
      actions.setScreen('mine');
      return true;
    case 'present':
      actions.setView({ present: !useViewStore.getState().present });
      return true;
  }
}

export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const hit = shortcutFor(e);
      if (hit && run(hit.id, hit.index)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
