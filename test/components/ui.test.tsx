// @vitest-environment jsdom
/**
 * The React side of the visualiser in jsdom (no canvas here: canvases are covered by the browser tests):
 * what the prediction, the top bar and the controls show and which actions they call.
 */
import { act, Profiler } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../src/app/client', () => ({
  actions: {
    toggleTraining: vi.fn(),
    start: vi.fn(),
    pause: vi.fn(),
    step: vi.fn(),
    reset: vi.fn(),
    updateConfig: vi.fn(),
    setDataset: vi.fn(),
    setSpeed: vi.fn(),
    predict: vi.fn(),
    clearPrediction: vi.fn(),
    retryData: vi.fn(),
    saveModel: vi.fn(),
    loadModel: vi.fn(),
    exportTfjs: vi.fn(),
  },
}));

import { Controls } from '../../src/components/panels/Controls/Controls';
import { Notices } from '../../src/components/ui/Notices';
import { PredictionBars } from '../../src/components/panels/Draw/PredictionBars';
import { TopBar } from '../../src/components/panels/TopBar/TopBar';
import { DEFAULT_CONFIG_STATE, useConfigStore } from '../../src/store/config';
import { INITIAL_RUN_STATE, useRunStore } from '../../src/store/run';
import { initialTelemetry, telemetryStore } from '../../src/store/telemetry';
import { actions } from '../../src/app/client';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLDivElement;
let root: Root;

beforeEach(() => {
  vi.clearAllMocks();
  useRunStore.setState({ ...INITIAL_RUN_STATE });
  useConfigStore.setState({
    ...DEFAULT_CONFIG_STATE,
    // Fixed sizes, so the slider tests do not depend on the default architecture.
    config: { ...DEFAULT_CONFIG_STATE.config, hidden: [128, 64] },
  });
  telemetryStore.setState(initialTelemetry());
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
});

const byTestId = (id: string) => {
  const el = container.querySelector(`[data-testid="${id}"]`);
  if (!el) throw new Error(`no [data-testid="${id}"]`);
  return el as HTMLElement;
};

/** Sets a range input's value the way a user's drag does (React listens to `input`), then releases. */
function drag(input: HTMLInputElement, value: string, release: boolean) {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
  act(() => {
    setter?.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  if (release) act(() => input.dispatchEvent(new Event('change', { bubbles: true })));
}

function probabilities(top: number): Float32Array {
  const p = new Float32Array(10).fill(0.02);
  p[top] = 0.82;
  return p;
}

const FASHION = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

describe('PredictionBars', () => {
  it('invites a digit for MNIST and a piece of clothing for Fashion-MNIST', () => {
    act(() => root.render(<PredictionBars />));
    expect(container.textContent).toContain('draw a digit above');
    act(() => useConfigStore.setState({ dataset: 'fashion-mnist' }));
    expect(container.textContent).toContain('draw a piece of clothing above');
  });

  it('`prediction` holds exactly the label: empty, then "7", then a Fashion-MNIST class name', () => {
    act(() => root.render(<PredictionBars />));
    expect(byTestId('prediction').textContent).toBe('');

    act(() =>
      telemetryStore.setState({
        prediction: {
          id: 1,
          probabilities: probabilities(7),
          activations: [],
          logits: new Float32Array(10),
          explanation: null,
        },
      }),
    );
    expect(byTestId('prediction').textContent).toBe('7');
    expect(container.querySelector('.bar-row.top .name')?.textContent).toBe('7');
    expect(container.textContent).toContain('82 % sure');

    act(() => useRunStore.setState({ data: { ...INITIAL_RUN_STATE.data, classNames: FASHION } }));
    expect(byTestId('prediction').textContent).toBe('Sneaker');

    act(() => telemetryStore.setState({ prediction: null }));
    expect(byTestId('prediction').textContent).toBe('');
  });

  it('does not re-render for training snapshots, only for predictions', () => {
    let commits = 0;
    act(() =>
      root.render(
        <Profiler id="bars" onRender={() => commits++}>
          <PredictionBars />
        </Profiler>,
      ),
    );
    const afterMount = commits;
    act(() => {
      for (let i = 0; i < 20; i++) telemetryStore.setState((s) => ({ version: s.version + 1 }));
    });
    expect(commits).toBe(afterMount);
    act(() =>
      telemetryStore.setState({
        prediction: {
          id: 2,
          probabilities: probabilities(3),
          activations: [],
          logits: new Float32Array(10),
          explanation: null,
        },
      }),
    );
    expect(commits).toBe(afterMount + 1);
  });
});

describe('TopBar', () => {
  it('shows Train/Pause, the status line, and the test accuracy only after an evaluation', () => {
    useRunStore.setState({
      data: { ...INITIAL_RUN_STATE.data, counts: { train: 60_000, test: 10_000 } },
      status: 'training',
      epoch: 2,
      step: 2814,
      samplesPerSecond: 11_900,
    });
    act(() => root.render(<TopBar />));
    expect(byTestId('train-toggle').textContent).toBe('Pause');
    expect(byTestId('status').textContent).toBe('MNIST · epoch 3 · step 2,814 · 11,900 samples/s');
    expect(byTestId('test-accuracy').textContent).toBe('');

    act(() =>
      useRunStore.setState({
        status: 'paused',
        epochs: [
          { epoch: 1, step: 938, trainLoss: 0.2, trainAccuracy: 0.95, testLoss: 0.1, testAccuracy: 0.9741 },
        ],
      }),
    );
    expect(byTestId('train-toggle').textContent).toBe('Train');
    expect(byTestId('test-accuracy').textContent).toBe('97.4%');
    expect(byTestId('status').textContent).toBe('MNIST · paused · epoch 3 · step 2,814 · 0 samples/s');

    act(() => byTestId('train-toggle').click());
    expect(actions.toggleTraining).toHaveBeenCalledTimes(1);
    act(() => byTestId('step').click());
    expect(actions.step).toHaveBeenCalledTimes(1);
  });

  it('disables Train until the data is loaded', () => {
    act(() => root.render(<TopBar />));
    expect((byTestId('train-toggle') as HTMLButtonElement).disabled).toBe(true);
    expect(byTestId('status').textContent).toContain('loading data');
  });
});

describe('Controls', () => {
  it('commits a layer size on release, not while dragging', () => {
    act(() => root.render(<Controls />));
    const size1 = byTestId('hidden-size-1') as HTMLInputElement;
    expect(size1.value).toBe('128');
    drag(size1, '48', false);
    expect(size1.value).toBe('48');
    expect(size1.parentElement?.querySelector('output')?.textContent).toBe('48');
    expect(actions.updateConfig).not.toHaveBeenCalled();
    act(() => size1.dispatchEvent(new Event('change', { bubbles: true })));
    expect(actions.updateConfig).toHaveBeenCalledWith({ hidden: [48, 64] });
  });

  it('follows the store after a commit, even back to the value the drag started from', () => {
    // Like the real client: a commit writes the store synchronously.
    vi.mocked(actions.updateConfig).mockImplementation((patch) =>
      useConfigStore.setState((s) => ({ config: { ...s.config, ...patch } })),
    );
    act(() => root.render(<Controls />));
    const size1 = byTestId('hidden-size-1') as HTMLInputElement;
    drag(size1, '40', true);
    expect(size1.value).toBe('40');
    // A loaded model (or browser Back) brings the old size back.
    act(() => useConfigStore.setState((s) => ({ config: { ...s.config, hidden: [128, 64] } })));
    expect(size1.value).toBe('128');
    expect(size1.parentElement?.querySelector('output')?.textContent).toBe('128');
  });

  it('adds and removes hidden layers with the layer-count slider', () => {
    act(() => root.render(<Controls />));
    drag(byTestId('hidden-layer-count') as HTMLInputElement, '3', true);
    expect(actions.updateConfig).toHaveBeenLastCalledWith({ hidden: [128, 64, 32] });
    drag(byTestId('hidden-layer-count') as HTMLInputElement, '0', true);
    expect(actions.updateConfig).toHaveBeenLastCalledWith({ hidden: [] });
  });

  it('shows one size slider per hidden layer, following the store', () => {
    act(() => root.render(<Controls />));
    expect(container.querySelectorAll('[data-testid^="hidden-size-"]')).toHaveLength(2);
    act(() => useConfigStore.setState((s) => ({ config: { ...s.config, hidden: [10, 20, 30] } })));
    expect(container.querySelectorAll('[data-testid^="hidden-size-"]')).toHaveLength(3);
    expect((byTestId('hidden-size-3') as HTMLInputElement).value).toBe('30');
    expect((byTestId('hidden-layer-count') as HTMLInputElement).value).toBe('3');
  });

  it('moves the learning rate on a log scale and shows the real value', () => {
    // A fixed starting point, whatever the default learning rate is.
    act(() => useConfigStore.setState((s) => ({ config: { ...s.config, learningRate: 1e-3 } })));
    act(() => root.render(<Controls />));
    const lr = byTestId('learning-rate') as HTMLInputElement;
    expect(lr.value).toBe('-3');
    const output = () => lr.parentElement?.querySelector('output')?.textContent;
    expect(output()).toBe('1e-3');
    drag(lr, '-2.5', true);
    expect(output()).toBe('3.2e-3');
    expect(actions.updateConfig).toHaveBeenCalledWith({ learningRate: 0.0032 });
  });

  it('shows values a link or file brought beyond the sliders as they are; touching them changes nothing', () => {
    act(() =>
      useConfigStore.setState((s) => ({
        config: { ...s.config, hidden: [2048, 3, 7, 9, 11, 13], learningRate: 5, lrDecay: 0.033 },
      })),
    );
    act(() => root.render(<Controls />));
    const output = (id: string) => byTestId(id).parentElement?.querySelector('output')?.textContent;
    expect(output('hidden-size-1')).toBe('2048');
    expect(output('hidden-layer-count')).toBe('6');
    expect(output('learning-rate')).toBe('5');
    expect(output('lr-decay')).toBe('×0.033');
    // A release without a move (a click on the thumb, where the browser clamped it) commits nothing.
    for (const id of ['hidden-size-1', 'hidden-layer-count', 'learning-rate', 'lr-decay']) {
      act(() => byTestId(id).dispatchEvent(new Event('change', { bubbles: true })));
    }
    expect(actions.updateConfig).not.toHaveBeenCalled();
    // Focusing and leaving the number fields commits nothing either.
    act(() => useConfigStore.setState((s) => ({ config: { ...s.config, seed: 4294967295 } })));
    const seed = byTestId('seed') as HTMLInputElement;
    expect(seed.value).toBe('4294967295');
    act(() => {
      seed.focus();
      seed.blur();
    });
    expect(actions.updateConfig).not.toHaveBeenCalled();
    // A real move still commits.
    drag(byTestId('hidden-size-1') as HTMLInputElement, '100', true);
    expect(actions.updateConfig).toHaveBeenCalledWith({ hidden: [100, 3, 7, 9, 11, 13] });
  });

  it('shows an exact learning rate that is off the slider grid as it is', () => {
    act(() => useConfigStore.setState((s) => ({ config: { ...s.config, learningRate: 0.00123 } })));
    act(() => root.render(<Controls />));
    const lr = byTestId('learning-rate');
    expect(lr.parentElement?.querySelector('output')?.textContent).toBe('0.00123');
    act(() => lr.dispatchEvent(new Event('change', { bubbles: true })));
    expect(actions.updateConfig).not.toHaveBeenCalled();
  });

  it('gives every control an accessible name through its label', () => {
    act(() => root.render(<Controls />));
    for (const el of container.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')) {
      const name = el.getAttribute('aria-label') ?? el.labels?.[0]?.textContent ?? '';
      expect(name.trim(), el.outerHTML).not.toBe('');
    }
  });
});

describe('Notices', () => {
  it('says in plain words that the loss diverged, with a Reset, and can be dismissed', () => {
    act(() => root.render(<Notices />));
    expect(container.querySelector('[data-testid="diverged"]')).toBeNull();
    const message = 'The loss exploded at step 412 — try a smaller learning rate.';
    act(() => useRunStore.setState({ diverged: { step: 412, lastFiniteLoss: 3.1, message } }));
    expect(byTestId('diverged').textContent).toContain(message);
    act(() => byTestId('diverged').querySelector<HTMLButtonElement>('.btn')?.click());
    expect(actions.reset).toHaveBeenCalledTimes(1);
    act(() => byTestId('diverged').querySelector<HTMLButtonElement>('[aria-label="Dismiss"]')?.click());
    expect(container.querySelector('[data-testid="diverged"]')).toBeNull();
  });

  it('shows "network reset" for a moment when the store announces it', () => {
    vi.useFakeTimers();
    try {
      act(() => root.render(<Notices />));
      act(() => useRunStore.setState({ notice: 'network reset' }));
      expect(byTestId('notice').textContent).toBe('network reset');
      act(() => vi.advanceTimersByTime(3000));
      expect(container.querySelector('[data-testid="notice"]')).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
});
