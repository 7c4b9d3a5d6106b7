/**
 * The open lesson's card: a slim bar under the top bar, in a grid row of its own, so it never covers the
 * view it talks about — whose panel the stylesheet outlines instead (Panel's `view`, useLessonView). It says
 * what to watch, which set-up the current settings are (A, B, C …, or none: a link may carry its own
 * settings, or the user changed one), loads a set-up (the one the settings are is pressed) and closes with ×.
 * A lesson with guided steps shows the current one (`lstep` in the address) with Back and Next; a step may
 * load a set-up and point at a view of its own. Shown while the address names a lesson (?lesson=).
 */
import { useEffect } from 'react';
import { useConfigStore } from '../../store/config';
import { useMyDigitsStore } from '../../store/myDigits';
import { useRunStore } from '../../store/run';
import { useViewStore } from '../../store/view';
import { actions } from '../../app/client';
import { LESSONS, matchingSetup, nextWanted, setupKey, setupLetter, setupWords, stepOf } from './lessons';
import { goToStep, openLesson } from './openLesson';

export function LessonCard() {
  const id = useViewStore((s) => s.lesson);
  const lesson = LESSONS.find((l) => l.id === id) ?? null;
  // Which set-up the current settings are (-1: none, e.g. once the user changed something).
  const setupNow = useConfigStore((s) => (lesson ? matchingSetup(lesson, s) : -1));
  const stepAsked = useViewStore((s) => s.lessonStep);

  // A lesson named by the address (a shared link, Back) opens its screen too.
  useEffect(() => {
    if (lesson) actions.setScreen(lesson.screen);
  }, [lesson]);

  if (!lesson) return null;
  const number = LESSONS.indexOf(lesson) + 1;
  const steps = lesson.steps ?? [];
  const step = stepOf(lesson, stepAsked);
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
            data-matches={setupNow < 0 ? 'none' : setupKey(setupNow)}
          >
            {setupWords(lesson, setupNow)}
          </span>
        </div>
        <p className="lesson-text">{lesson.text}</p>
        {steps.length > 0 ? (
          <div
            className="lesson-steps"
            data-testid="lesson-steps"
            data-step={step + 1}
            data-steps={steps.length}
          >
            <button
              type="button"
              className="btn lesson-step-move"
              data-testid="lesson-step-back"
              disabled={step === 0}
              aria-label="The step before"
              onClick={() => goToStep(lesson, step - 1)}
            >
              ‹ Back
            </button>
            <p className="lesson-step-text" data-testid="lesson-step" aria-live="polite">
              <b>
                Step {step + 1} of {steps.length}
              </b>{' '}
              {steps[step]!.text}
              {steps[step]!.collect ? <Collecting perClass={steps[step]!.collect!} /> : null}
            </p>
            <button
              type="button"
              className="btn lesson-step-move"
              data-testid="lesson-step-next"
              disabled={step === steps.length - 1}
              aria-label="The next step"
              onClick={() => goToStep(lesson, step + 1)}
            >
              Next ›
            </button>
          </div>
        ) : null}
      </div>
      <div className="lesson-setups" role="group" aria-label="Set-up">
        {lesson.setups.map((u, i) => (
          <button
            key={u.label}
            type="button"
            className="btn lesson-setup"
            data-setup={setupKey(i)}
            aria-pressed={i === setupNow}
            title={`Load set-up ${setupLetter(i)}: ${u.query.replace(/&/g, ' ')} (fresh weights)`}
            onClick={() => openLesson(lesson, i, step)}
          >
            <b>{setupLetter(i)}</b> {u.label}
          </button>
        ))}
      </div>
      <button
        type="button"
        className="lesson-close"
        data-testid="lesson-close"
        aria-label="Close the lesson"
        title="Close the lesson (the settings stay)"
        onClick={() => actions.setView({ lesson: null, lessonStep: 0 })}
      >
        ×
      </button>
    </section>
  );
}

/**
 * What a collecting step asks for now ("Now draw a 4 — 2 of 3"), following the current dataset's collection
 * (`data-wanted`: the class, or "done"). On Fashion-MNIST it asks for no clothes (the step's text says why).
 */
function Collecting({ perClass }: { perClass: number }) {
  const labels = useMyDigitsStore((s) => s.digits.map((d) => d.label).join(','));
  const loaded = useMyDigitsStore((s) => s.loaded);
  const classes = useRunStore((s) => s.data.classNames.length) || 10;
  const dataset = useConfigStore((s) => s.dataset);
  if (dataset !== 'mnist')
    return (
      <span className="lesson-collect" data-testid="lesson-collect" data-wanted="none">
        {' '}
        This lesson is for digits: switch the dataset to MNIST.
      </span>
    );
  const wanted = nextWanted(labels ? labels.split(',').map(Number) : [], classes, perClass);
  return (
    <span
      className="lesson-collect"
      data-testid="lesson-collect"
      data-wanted={!loaded ? '' : wanted ? wanted.digit : 'done'}
    >
      {' '}
      {!loaded
        ? 'Reading your digits…'
        : wanted
          ? `Now draw a ${wanted.digit} — ${wanted.have + 1} of ${perClass}.`
          : `Done: ${perClass} of each digit. Press Next.`}
    </span>
  );
}
