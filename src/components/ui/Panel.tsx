/**
 * A titled box with a one-line "what is this?" (ⓘ, on hover and keyboard focus) and optional header actions.
 */
import type { ReactNode } from 'react';

export interface PanelProps {
  title: string;
  /** Plain-language explanation shown by the ⓘ. */
  info: string;
  actions?: ReactNode;
  className?: string;
  bodyClassName?: string;
  children: ReactNode;
}

export function Panel({ title, info, actions, className, bodyClassName, children }: PanelProps) {
  return (
    <section className={`panel ${className ?? ''}`} aria-label={title}>
      <header className="panel-head">
        <h2 className="panel-title" style={{ margin: 0 }}>
          {title}
        </h2>
        <span className="info" tabIndex={0} role="img" aria-label={`What is this? ${info}`} data-tip={info}>
          i
        </span>
        {actions ? <div className="panel-actions">{actions}</div> : null}
      </header>
      <div className={`panel-body ${bodyClassName ?? ''}`}>{children}</div>
    </section>
  );
}
