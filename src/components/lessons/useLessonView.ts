/** The data-testid of the view the open lesson talks about, or null (no lesson open). */
import { useViewStore } from '../../store/view';
import { LESSONS } from './lessons';

export function useLessonView(): string | null {
  return useViewStore((s) => LESSONS.find((l) => l.id === s.lesson)?.view ?? null);
}
