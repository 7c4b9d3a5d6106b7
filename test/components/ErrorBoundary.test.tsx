// @vitest-environment jsdom
/**
 * A panel whose view throws shows the error in plain words and "Try again" while the rest of the page
 * keeps working; "Try again" mounts the view afresh.
 */
import { act, useState } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorBoundary, describeError } from '../../src/components/ui/ErrorBoundary';
import { Panel } from '../../src/components/ui/Panel';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLDivElement;
let root: Root;
let consoleError: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  // React and the boundary report the error on the console: expected here, keep the output clean.
  consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
  consoleError.mockRestore();
});

/** Throws while `broken.now` is true; counts its mounts. */
const broken = { now: true, mounts: 0 };
function Fragile() {
  const [mountedAs] = useState(() => ++broken.mounts);
  if (broken.now) throw new Error('the weights are not finite');
  return <p data-testid="fragile">mounted #{mountedAs}</p>;
}

function Counter() {
  const [n, setN] = useState(0);
  return (
    <button type="button" data-testid="counter" onClick={() => setN(n + 1)}>
      {n}
    </button>
  );
}

function Page() {
  return (
    <>
      <Panel title="Loss & accuracy" info="The curves.">
        <Fragile />
      </Panel>
      <Panel title="Draw" info="Your digit.">
        <Counter />
      </Panel>
    </>
  );
}

const q = (sel: string) => container.querySelector<HTMLElement>(sel);

describe('ErrorBoundary in Panel', () => {
  it('shows the failing panel’s error in plain words while the other panel works, and Try again remounts it', () => {
    broken.now = true;
    broken.mounts = 0;
    act(() => root.render(<Page />));

    const alert = q('[data-testid="panel-error"]');
    expect(alert).not.toBeNull();
    expect(alert?.getAttribute('role')).toBe('alert');
    expect(alert?.textContent).toContain('Loss & accuracy');
    expect(alert?.textContent).toContain('the weights are not finite');
    expect(alert?.textContent).toContain('The rest of the page still works');
    // The panel keeps its title; the page is not blank.
    expect(container.querySelectorAll('h2.panel-title')).toHaveLength(2);
    expect(consoleError).toHaveBeenCalled();

    // The other panel still responds.
    act(() => q('[data-testid="counter"]')?.click());
    act(() => q('[data-testid="counter"]')?.click());
    expect(q('[data-testid="counter"]')?.textContent).toBe('2');

    // Still broken: Try again shows the error again, nothing else changes.
    const tryAgain = () =>
      [...container.querySelectorAll('button')].find((b) => b.textContent === 'Try again') ?? null;
    act(() => tryAgain()?.click());
    expect(q('[data-testid="panel-error"]')).not.toBeNull();

    // Fixed: Try again mounts the view afresh.
    broken.now = false;
    const mountsBefore = broken.mounts;
    act(() => tryAgain()?.click());
    expect(q('[data-testid="panel-error"]')).toBeNull();
    expect(q('[data-testid="fragile"]')?.textContent).toBe(`mounted #${mountsBefore + 1}`);
    expect(q('[data-testid="counter"]')?.textContent).toBe('2');
  });

  it('with a frame, stands in for a whole panel whose own code failed', () => {
    function BrokenPanel(): never {
      throw new TypeError('cannot read the layer sizes');
    }
    act(() =>
      root.render(
        <ErrorBoundary name="Layer diagram" frameClassName="">
          <BrokenPanel />
        </ErrorBoundary>,
      ),
    );
    const section = q('section.panel');
    expect(section?.getAttribute('aria-label')).toBe('Layer diagram');
    expect(section?.textContent).toContain('cannot read the layer sizes');
  });

  it('describes whatever was thrown', () => {
    expect(describeError(new Error('boom'))).toBe('boom');
    expect(describeError('plain text')).toBe('plain text');
    expect(describeError({ code: 3 })).toBe('{"code":3}');
    expect(describeError(undefined)).toBe('undefined');
  });
});
