/**
 * The dataset's loading state, for the status bar: one progress bar per file while bytes arrive, then
 * the loaded counts (`60,000 train · 10,000 test`), or the error with a Retry button.
 *
 * Presentational: props in, DOM out, no store. Test ids: `dataset-counts`, `error` (role="alert"),
 * `retry`. Class names (`data-status`, `data-status__file`, …) are for the app's stylesheet; the few
 * inline styles keep it readable without one (tabular figures so the byte counts do not jitter).
 */

import type { CSSProperties } from 'react';

import { formatCount, formatPart } from '../../../data/errors';
import type { DataProgress } from '../../../protocol/messages';

export interface DataStatusProps {
  /** Bytes per file while loading; null before the first report. */
  progress: DataProgress | null;
  /** Records loaded; null until the dataset is ready. */
  counts: { train: number; test: number } | null;
  /** A DataError's `{ file, message }`; the message already names the file and the next step. */
  error: { file: string; message: string } | null;
  onRetry: () => void;
}

/** "60,000 train · 10,000 test" (en-US grouping, whatever the user's locale: tests and docs quote it). */
export function formatCounts(counts: { train: number; test: number }): string {
  return `${formatCount(counts.train)} train · ${formatCount(counts.test)} test`;
}

/** 'train-images-idx3-ubyte.gz' → 'train images', 't10k-labels-idx1-ubyte.gz' → 'test labels'. */
export function shortFileName(file: string): string {
  const m = /^(train|t10k)-(images|labels)\b/.exec(file);
  if (m === null) return file;
  return `${m[1] === 'train' ? 'train' : 'test'} ${m[2]}`;
}

const S: Record<string, CSSProperties> = {
  root: { display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap', minWidth: 0 },
  files: { display: 'flex', gap: 8, margin: 0, padding: 0, listStyle: 'none', flexWrap: 'wrap' },
  file: { display: 'inline-flex', alignItems: 'center', gap: 4 },
  bar: { width: 48, height: 6 },
  num: { fontVariantNumeric: 'tabular-nums' },
  error: {
    display: 'flex',
    alignItems: 'center',
    gap: 8,
    whiteSpace: 'normal',
    color: 'var(--danger, #b3261e)',
  },
};

export function DataStatus({ progress, counts, error, onRetry }: DataStatusProps) {
  const loading = progress !== null && counts === null && error === null;
  return (
    <div className="data-status" style={S.root}>
      {loading && (
        <ul className="data-status__files" aria-label={`Downloading ${progress.dataset}`} style={S.files}>
          {progress.files.map((f) => {
            const bytes = formatPart(f.received, f.total);
            return (
              <li key={f.file} className="data-status__file" title={`${f.file}: ${bytes}`} style={S.file}>
                <span className="data-status__name">{shortFileName(f.file)}</span>
                <progress
                  className="data-status__bar"
                  aria-label={f.file}
                  aria-valuetext={bytes}
                  max={Math.max(f.total, 1)}
                  value={Math.min(f.received, Math.max(f.total, 1))}
                  style={S.bar}
                />
                <span className="data-status__bytes" style={S.num}>
                  {bytes}
                </span>
              </li>
            );
          })}
        </ul>
      )}
      {counts !== null && (
        <span className="data-status__counts" data-testid="dataset-counts" style={S.num}>
          {formatCounts(counts)}
        </span>
      )}
      {error !== null && (
        <div className="data-status__error" data-testid="error" role="alert" style={S.error}>
          <span className="data-status__message">{error.message}</span>
          <button type="button" className="btn" data-testid="retry" onClick={onRetry}>
            Retry
          </button>
        </div>
      )}
    </div>
  );
}
