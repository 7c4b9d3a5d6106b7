/**
 * The open lesson's card: a slim bar under the top bar, in a grid row of its own, so it never covers the
 * view it talks about — which it outlines instead. It says what to watch, loads set-up A or B (the one the
 * current settings match is pressed) and closes with ×. Shown while the address names a lesson (?lesson=).
 */
import { useEffect, useLayoutEffect, useRef } from 'react';
import { useConfigStore } from '../../store/config';
import { readUrlState } from '../../store/urlState';
import { useViewStore } from '../../store/view';
import { actions } from '../../app/client';
import { LESSONS } from './lessons';
import { openLesson } from './openLesson';

export function LessonCard() {
  const id = useViewStore((s) => s.lesson);
  const lesson = LESSONS.find((l) => l.id === id) ?? null;
  // Which set-up the current settings are (none once the user changed something).
  const setupNow = useConfigStore((s) => {
    if (!lesson) return -1;
    const now = JSON.stringify([s.dataset, s.config]);
    return lesson.setups.findIndex((u) => {
      const st = readUrlState(`?${u.query}`);
      return JSON.stringify([st.dataset, st.config]) === now;
    });
  });
  const card = useRef<HTMLElement>(null);

  // A lesson named by the address (a shared link, Back) opens its screen too.
  useEffect(() => {
    if (lesson) actions.setScreen(lesson.screen);
  }, [lesson]);

  // Messages float under the top bar: they move below the card so they do not cover its text.
  useLayoutEffect(() => {
    const el = card.current;
    const app = el?.parentElement;
    if (!el || !app) return;
    const ro = new ResizeObserver(() => app.style.setProperty('--lesson-card-h', `${el.offsetHeight}px`));
    ro.observe(el);
    return () => {
      ro.disconnect();
      app.style.removeProperty('--lesson-card-h');
    };
  }, [lesson]);

  if (!lesson) return null;
  const number = LESSONS.indexOf(lesson) + 1;
  return (
    <section
      ref={card}
      className="lesson-card"
      data-testid="lesson-card"
      data-lesson={lesson.id}
      data-view={lesson.view}
      aria-label={`Lesson ${number}: ${lesson.title}`}
    >
      {/* The view the lesson talks about gets an outline (its panel holds the view's test id). */}
      <style>{`.panel:has([data-testid="${lesson.view}"]) { outline: 3px solid var(--accent); outline-offset: -1px; }`}</style>
      <div className="lesson-body">
        <h2 className="lesson-title">
          <span className="lesson-number">{number}</span> {lesson.title}
        </h2>
        <p className="lesson-text">{lesson.text}</p>
      </div>
      {lesson.setups.length > 1 ? (
        <div className="lesson-setups" role="group" aria-label="Set-up">
          {lesson.setups.map((u, i) => (
            <button
              key={u.label}
              type="button"
              className="btn lesson-setup"
              data-setup={'ab'[i]}
              aria-pressed={i === setupNow}
              title={`Load set-up ${'AB'[i]}: ${u.query.replace(/&/g, ' ')} (fresh weights)`}
              onClick={() => openLesson(lesson, i)}
            >
              <b>{'AB'[i]}</b> {u.label}
            </button>
          ))}
        </div>
      ) : null}
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
