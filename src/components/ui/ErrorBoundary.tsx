/**
 * Keeps one failing view from blanking the page: React unmounts the whole tree on an uncaught render
 * error, so each panel sits inside one of these. A failing panel shows what went wrong in plain words and
 * a "Try again" button that mounts it afresh; every other panel keeps working.
 *
 * A class component because error boundaries have no hook form (React 19 still needs
 * getDerivedStateFromError / componentDidCatch).
 */
import { Component, Fragment, type ErrorInfo, type ReactNode } from 'react';

export interface ErrorBoundaryProps {
  /** What failed, for people: the panel's title. */
  name: string;
  /**
   * Draw the message inside a panel frame (`section.panel` with this class), for a boundary that stands
   * where a whole panel would be; otherwise the message fills the place of the children.
   */
  frameClassName?: string;
  children: ReactNode;
}

interface State {
  error: Error | null;
  /** Bumped by "Try again": a new key mounts the children afresh, with fresh state and effects. */
  generation: number;
}

/** An error's message in one line, whatever was thrown. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

export class ErrorBoundary extends Component<ErrorBoundaryProps, State> {
  override state: State = { error: null, generation: 0 };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(describeError(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // The console keeps the details (stack, component stack) for whoever reports the bug.
    console.error(`The "${this.props.name}" panel failed:`, error, info.componentStack);
  }

  private readonly retry = () => this.setState((s) => ({ error: null, generation: s.generation + 1 }));

  override render(): ReactNode {
    const { error, generation } = this.state;
    if (!error) return <Fragment key={generation}>{this.props.children}</Fragment>;
    const message = (
      <div className="panel-error" role="alert" data-testid="panel-error">
        <p>
          <b>{this.props.name}</b> stopped working because of an error: {describeError(error)}
        </p>
        <p className="panel-error-next">The rest of the page still works. Try again, or reload the page.</p>
        <button type="button" className="btn" onClick={this.retry}>
          Try again
        </button>
      </div>
    );
    if (this.props.frameClassName === undefined) return message;
    return (
      <section className={`panel ${this.props.frameClassName}`} aria-label={this.props.name}>
        {message}
      </section>
    );
  }
}
