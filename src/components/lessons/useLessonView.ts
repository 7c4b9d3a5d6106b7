/** The data-testid of the view the open lesson talks about (on its current step), or null (no lesson open). */
import type { MapLayer } from '../../protocol/messages';
import { useViewStore } from '../../store/view';
import { LESSONS, lessonViewAt, stepOf } from './lessons';

export function useLessonView(): string | null {
  return useViewStore((s) => {
    const lesson = LESSONS.find((l) => l.id === s.lesson);
    return lesson ? lessonViewAt(lesson, stepOf(lesson, s.lessonStep)) : null;
  });
}

/** The map layer the open lesson's current step shows, or null (no lesson, or the step names none). */
export function useLessonMapLayer(): MapLayer | null {
  return useViewStore((s) => {
    const lesson = LESSONS.find((l) => l.id === s.lesson);
    return lesson?.steps?.[stepOf(lesson, s.lessonStep)]?.mapLayer ?? null;
  });
}
