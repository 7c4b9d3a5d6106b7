/** Opening a lesson: its set-up's link (through the URL machinery), then the screen that shows the effect. */
import { actions } from '../../app/client';
import { LESSON_URL_KEYS, lessonQuery, type Lesson } from './lessons';

export function openLesson(lesson: Lesson, setup = 0, step = 0): void {
  actions.followLink(lessonQuery(lesson, setup, step), LESSON_URL_KEYS);
  actions.setScreen(lesson.screen);
}

/**
 * Goes to guided step `step` of the open lesson: a step that names a set-up loads it (a link, so Back
 * returns), any other only moves the step (the settings stay as the user has them). A step's own settings
 * are then changed as the controls change them (actions.updateConfig: the run continues, weights kept).
 */
export function goToStep(lesson: Lesson, step: number): void {
  const s = lesson.steps?.[step];
  if (s?.setup !== undefined) openLesson(lesson, s.setup, step);
  else actions.setView({ lessonStep: step });
  if (s?.settings) actions.updateConfig(s.settings);
}
