/**
 * A titled box with a one-line "what is this?" (ⓘ, on hover and keyboard focus) and optional header actions.
 * The body sits in an error boundary: a failing view says so in its own box (with "Try again") while the
 * title, and every other panel, stay. The panel of the view an open lesson talks about carries
 * `data-lesson-view`, which the stylesheet outlines (an attribute, not an inserted <style>: the site's CSP
 * allows only its own stylesheet).
 */
import type { ReactNode } from 'react';
import { useLessonView } from '../lessons/useLessonView';
import { ErrorBoundary } from './ErrorBoundary';

export interface PanelProps {
  title: string;
  /** Plain-language explanation shown by the ⓘ. */
  info: string;
  actions?: ReactNode;
  className?: string;
  bodyClassName?: string;
  /** The data-testid of the view inside, when a lesson may talk about it (lessons.ts `view`). */
  view?: string;
  children: ReactNode;
}

export function Panel({ title, info, actions, className, bodyClassName, view, children }: PanelProps) {
  const lessonView = useLessonView();
  return (
    <section
      className={`panel ${className ?? ''}`}
      aria-label={title}
      data-lesson-view={view !== undefined && view === lessonView ? 'true' : undefined}
    >
      <header className="panel-head">
        <h2 className="panel-title" style={{ margin: 0 }}>
          {title}
        </h2>
        <span className="info" tabIndex={0} role="img" aria-label={`What is this? ${info}`} data-tip={info}>
          i
        </span>
        {actions ? <div className="panel-actions">{actions}</div> : null}
      </header>
      <div className={`panel-body ${bodyClassName ?? ''}`}>
        <ErrorBoundary name={title}>{children}</ErrorBoundary>
      </div>
    </section>
  );
}
