// @vitest-environment jsdom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import {
  DataStatus,
  formatCounts,
  shortFileName,
  type DataStatusProps,
} from '../../src/components/panels/TopBar/DataStatus';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLDivElement;
let root: Root;

beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
});

function render(props: Partial<DataStatusProps>): void {
  const full: DataStatusProps = { progress: null, counts: null, error: null, onRetry: () => {}, ...props };
  act(() => root.render(<DataStatus {...full} />));
}

const PROGRESS: DataStatusProps['progress'] = {
  dataset: 'mnist',
  files: [
    { file: 'train-images-idx3-ubyte.gz', received: 4_100_000, total: 9_912_422 },
    { file: 'train-labels-idx1-ubyte.gz', received: 28_881, total: 28_881 },
    { file: 't10k-images-idx3-ubyte.gz', received: 0, total: 1_648_877 },
    { file: 't10k-labels-idx1-ubyte.gz', received: 0, total: 4_542 },
  ],
};

describe('DataStatus', () => {
  it('shows one real progress bar per file with bytes received of total', () => {
    render({ progress: PROGRESS });
    const bars = [...container.querySelectorAll('progress')];
    expect(bars).toHaveLength(4);
    expect(bars.map((b) => b.getAttribute('aria-label'))).toEqual(PROGRESS!.files.map((f) => f.file));
    expect(bars[0].value).toBe(4_100_000);
    expect(bars[0].max).toBe(9_912_422);
    expect(bars[1].value).toBe(bars[1].max);
    expect(container.textContent).toContain('4.1 of 9.9 MB');
    expect(container.textContent).toContain('train images');
    expect(container.textContent).toContain('28.9 of 28.9 kB');
    expect(container.querySelector('[data-testid="dataset-counts"]')).toBeNull();
    expect(container.querySelector('[data-testid="error"]')).toBeNull();
  });

  it('shows the counts exactly as "60,000 train · 10,000 test" once loaded, without the bars', () => {
    render({ progress: PROGRESS, counts: { train: 60_000, test: 10_000 } });
    expect(container.querySelector('[data-testid="dataset-counts"]')!.textContent).toBe(
      '60,000 train · 10,000 test',
    );
    expect(container.querySelectorAll('progress')).toHaveLength(0);
  });

  it('shows the error in an alert region with a Retry button that calls onRetry', () => {
    const onRetry = vi.fn();
    const message =
      'train-images-idx3-ubyte.gz is cut short (4.1 of 9.9 MB) — Retry, or run `npm run prepare-data`.';
    render({ progress: PROGRESS, error: { file: 'train-images-idx3-ubyte.gz', message }, onRetry });
    const region = container.querySelector('[data-testid="error"]')!;
    expect(region.getAttribute('role')).toBe('alert');
    expect(region.textContent).toContain(message);
    const retry = container.querySelector<HTMLButtonElement>('[data-testid="retry"]')!;
    expect(retry.tagName).toBe('BUTTON');
    act(() => retry.click());
    expect(onRetry).toHaveBeenCalledTimes(1);
  });

  it('renders nothing visible before the first progress report', () => {
    render({});
    expect(container.textContent).toBe('');
  });
});

describe('formatting', () => {
  it('groups counts the en-US way and shortens file names', () => {
    expect(formatCounts({ train: 60_000, test: 10_000 })).toBe('60,000 train · 10,000 test');
    expect(formatCounts({ train: 1_234_567, test: 7 })).toBe('1,234,567 train · 7 test');
    expect(shortFileName('t10k-labels-idx1-ubyte.gz')).toBe('test labels');
    expect(shortFileName('train-images-idx3-ubyte.gz')).toBe('train images');
    expect(shortFileName('other.bin')).toBe('other.bin');
  });
});
