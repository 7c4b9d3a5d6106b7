/** Opening a lesson: its set-up's link (through the URL machinery), then the screen that shows the effect. */
import { actions } from '../../app/client';
import { LESSON_URL_KEYS, lessonQuery, type Lesson } from './lessons';

export function openLesson(lesson: Lesson, setup = 0): void {
  actions.followLink(lessonQuery(lesson, setup), LESSON_URL_KEYS);
  actions.setScreen(lesson.screen);
}
