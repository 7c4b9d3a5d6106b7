/**
 * The open lesson's card: a slim bar under the top bar, in a grid row of its own, so it never covers the
 * view it talks about — whose panel the stylesheet outlines instead (Panel's `view`, useLessonView). It says
 * what to watch, which set-up the current settings are (A, B, or none: a link may carry its own settings, or
 * the user changed one), loads a set-up (the one the settings are is pressed) and closes with ×. Shown while
 * the address names a lesson (?lesson=).
 */
import { useEffect } from 'react';
import { useConfigStore } from '../../store/config';
import { useViewStore } from '../../store/view';
import { actions } from '../../app/client';
import { LESSONS, matchingSetup, setupWords } from './lessons';
import { openLesson } from './openLesson';

const LETTERS = 'AB';

export function LessonCard() {
  const id = useViewStore((s) => s.lesson);
  const lesson = LESSONS.find((l) => l.id === id) ?? null;
  // Which set-up the current settings are (-1: none, e.g. once the user changed something).
  const setupNow = useConfigStore((s) => (lesson ? matchingSetup(lesson, s) : -1));

  // A lesson named by the address (a shared link, Back) opens its screen too.
  useEffect(() => {
    if (lesson) actions.setScreen(lesson.screen);
  }, [lesson]);

  if (!lesson) return null;
  const number = LESSONS.indexOf(lesson) + 1;
  return (
    <section
      className="lesson-card"
      data-testid="lesson-card"
      data-lesson={lesson.id}
      data-view={lesson.view}
      aria-label={`Lesson ${number}: ${lesson.title}`}
    >
      <div className="lesson-body">
        <div className="lesson-head">
          <h2 className="lesson-title">
            <span className="lesson-number">{number}</span> {lesson.title}
          </h2>
          <span
            className={`lesson-match${setupNow < 0 ? ' none' : ''}`}
            data-testid="lesson-match"
            data-matches={setupNow < 0 ? 'none' : 'ab'[setupNow]}
          >
            {setupWords(lesson, setupNow)}
          </span>
        </div>
        <p className="lesson-text">{lesson.text}</p>
      </div>
      <div className="lesson-setups" role="group" aria-label="Set-up">
        {lesson.setups.map((u, i) => (
          <button
            key={u.label}
            type="button"
            className="btn lesson-setup"
            data-setup={'ab'[i]}
            aria-pressed={i === setupNow}
            title={`Load set-up ${LETTERS[i]}: ${u.query.replace(/&/g, ' ')} (fresh weights)`}
            onClick={() => openLesson(lesson, i)}
          >
            <b>{LETTERS[i]}</b> {u.label}
          </button>
        ))}
      </div>
      <button
        type="button"
        className="lesson-close"
        data-testid="lesson-close"
        aria-label="Close the lesson"
        title="Close the lesson (the settings stay)"
        onClick={() => actions.setView({ lesson: null })}
      >
        ×
      </button>
    </section>
  );
}
