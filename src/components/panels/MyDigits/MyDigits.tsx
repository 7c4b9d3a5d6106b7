/**
 * My digits: the learner's own drawings of the current dataset, kept in this browser (IndexedDB). Counts
 * per class and per half (teach: may be trained on; test: never), the accuracy on the test half beside
 * MNIST's test accuracy, "train on my digits too" (the `mine` setting), import / export as one zip, and
 * the gallery: each digit marked right or wrong with the probability the network gives its label;
 * relabel (the half stays), delete (with Undo), and a click opens it in the drawing — so "why did it say …"
 * explains it and One step can take it.
 *
 * Re-renders on a save, an import, an epoch's end (the store's slow facts), never per training snapshot.
 */
import { useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { countsByClass, type MyDigit } from '../../../data/myDigits';
import { trainSetting } from '../../../settings/schema';
import { useConfigStore } from '../../../store/config';
import { useMyDigitsStore, type DigitMark } from '../../../store/myDigits';
import { useRunStore } from '../../../store/run';
import { actions } from '../../../app/client';
import { controlOf, withValue } from '../Controls/controlOptions';
import { Select } from '../Controls/SettingControl';
import { DigitThumb } from '../../ui/DigitThumb';
import { formatPercent } from '../../ui/format';
import { Panel } from '../../ui/Panel';

const MINE = trainSetting('mine');
const MINE_PRESETS = controlOf(MINE).presets as readonly number[];
const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

function download(name: string, data: Uint8Array) {
  const url = URL.createObjectURL(new Blob([data as BlobPart], { type: 'application/zip' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function Tile({
  digit,
  mark,
  names,
  selected,
}: {
  digit: MyDigit;
  mark: DigitMark | undefined;
  names: readonly string[];
  selected: boolean;
}) {
  const name = names[digit.label] ?? String(digit.label);
  const read = mark ? (names[mark.predicted] ?? String(mark.predicted)) : null;
  return (
    <li
      className="my-digit"
      data-testid="my-digit"
      data-id={digit.id}
      data-label={digit.label}
      data-half={digit.half}
      data-mark={mark ? (mark.correct ? 'right' : 'wrong') : 'none'}
      data-selected={selected ? 'true' : undefined}
    >
      <button
        type="button"
        className="my-digit-open"
        title={`Open this ${name} in the drawing (${digit.half} half)`}
        aria-pressed={selected}
        onClick={() => actions.selectMyDigit(digit.id)}
      >
        <DigitThumb pixels={digit.pixels} label={`your ${name}, ${digit.half} half`} />
        <span className={`my-digit-mark ${mark ? (mark.correct ? 'right' : 'wrong') : ''}`}>
          {mark ? `${mark.correct ? '✓' : `✗ ${read}`} ${formatPercent(mark.probability, 0)}` : '…'}
        </span>
        <span className={`my-digit-half ${digit.half}`}>{digit.half}</span>
      </button>
      <span className="my-digit-tools">
        <select
          aria-label={`Label of this digit (now ${name})`}
          data-testid="my-digit-label"
          value={digit.label}
          onChange={(e) => void actions.relabelDigit(digit.id, Number(e.currentTarget.value))}
        >
          {names.map((n, i) => (
            <option key={i} value={i}>
              {n}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="my-digit-delete"
          data-testid="my-digit-delete"
          aria-label={`Delete this ${name}`}
          title="Delete (Undo brings it back)"
          onClick={() => void actions.deleteDigit(digit.id)}
        >
          ×
        </button>
      </span>
    </li>
  );
}

export function MyDigits() {
  const s = useMyDigitsStore(
    useShallow((st) => ({
      digits: st.digits,
      loaded: st.loaded,
      persistent: st.persistent,
      error: st.error,
      message: st.message,
      undo: st.undo,
      marks: st.marks,
      accuracy: st.accuracy,
      selected: st.selected,
    })),
  );
  const classNames = useRunStore(useShallow((st) => st.data.classNames));
  const lastTest = useRunStore((st) => st.epochs[st.epochs.length - 1]?.testAccuracy ?? null);
  const dataset = useConfigStore((st) => st.dataset);
  const mine = useConfigStore((st) => st.config.mine);
  const [mode, setMode] = useState<'merge' | 'replace'>('merge');
  const fileRef = useRef<HTMLInputElement>(null);
  const names = classNames.length ? classNames : DIGITS;
  const counts = countsByClass(s.digits, names.length);
  const teach = counts.teach.reduce((a, b) => a + b, 0);
  const test = counts.test.reduce((a, b) => a + b, 0);
  const selected = s.selected ? s.digits.find((d) => d.id === s.selected) : undefined;
  const datasetName = dataset === 'fashion-mnist' ? 'Fashion-MNIST' : 'MNIST';
  // Newest first: the digit just saved is the first one seen.
  const shown = [...s.digits].reverse();

  return (
    <Panel
      title="My digits"
      view="my-digits"
      info="Your own drawings, kept in this browser only. Each is put once into the teach half (may be trained on) or the test half (never trained on, so its accuracy says how the network does on your handwriting)."
      className="my-digits-panel"
      bodyClassName="my-digits-body"
    >
      <div className="my-digits" data-testid="my-digits" data-count={s.digits.length} data-dataset={dataset}>
        <div className="my-digits-top">
          <div className="my-digits-figures">
            <div className="my-digits-total">
              <strong>{s.digits.length}</strong> kept for {datasetName} ·{' '}
              <span data-testid="my-digits-teach">{teach} teach</span> ·{' '}
              <span data-testid="my-digits-test">{test} test</span>
              {s.persistent ? null : (
                <span className="muted"> · this browser keeps them until a reload only</span>
              )}
            </div>
            <div className="my-digits-acc">
              your test half{' '}
              <strong data-testid="my-digits-accuracy" data-value={s.accuracy?.accuracy ?? ''}>
                {s.accuracy
                  ? `${formatPercent(s.accuracy.accuracy)} · ${s.accuracy.correct} of ${s.accuracy.count}`
                  : test
                    ? '—'
                    : 'no test digits yet'}
              </strong>
              <span className="muted">
                {' '}
                · {datasetName} test {lastTest !== null ? formatPercent(lastTest) : '— (after an epoch)'}
              </span>
              <button
                type="button"
                className="btn small"
                data-testid="my-digits-evaluate"
                disabled={!s.digits.length}
                onClick={() => actions.evaluateMyDigits()}
                title="Ask the network now how it reads each of your digits"
              >
                Check now
              </button>
            </div>
          </div>
          <div className="my-digits-mine">
            <div className="my-digits-mine-title">Train on my digits too</div>
            <Select
              setting={MINE}
              value={mine}
              options={withValue(MINE_PRESETS, mine).map((v) => ({
                value: v,
                label: v === 0 ? 'off' : `×${v}`,
              }))}
              testId="my-digits-mine"
              onChange={(v) => actions.updateConfig({ mine: v })}
            />
            {mine > 0 && teach === 0 ? (
              <p className="my-digits-note" data-testid="my-digits-mine-ignored">
                No digits in the teach half yet: training runs as with ×0.
              </p>
            ) : null}
          </div>
        </div>

        <table className="my-digits-counts" aria-label="Digits per class and half">
          <tbody>
            <tr>
              <th scope="row">class</th>
              {names.map((n, i) => (
                <th key={i} scope="col" title={n}>
                  {names === DIGITS ? n : i}
                </th>
              ))}
            </tr>
            <tr>
              <th scope="row">teach</th>
              {counts.teach.map((c, i) => (
                <td key={i}>{c}</td>
              ))}
            </tr>
            <tr>
              <th scope="row">test</th>
              {counts.test.map((c, i) => (
                <td key={i}>{c}</td>
              ))}
            </tr>
          </tbody>
        </table>

        <div className="my-digits-files">
          <button
            type="button"
            className="btn small"
            data-testid="my-digits-export"
            disabled={!s.digits.length}
            onClick={() => {
              const { bytes, fileName } = actions.exportDigits();
              download(fileName, bytes);
            }}
          >
            Export .zip
          </button>
          <button
            type="button"
            className="btn small"
            onClick={() => fileRef.current?.click()}
            disabled={!s.loaded}
          >
            Import .zip…
          </button>
          <label className="my-digits-mode">
            <input
              type="radio"
              name="my-digits-mode"
              checked={mode === 'merge'}
              onChange={() => setMode('merge')}
              data-testid="my-digits-merge"
            />
            merge
          </label>
          <label className="my-digits-mode">
            <input
              type="radio"
              name="my-digits-mode"
              checked={mode === 'replace'}
              onChange={() => setMode('replace')}
              data-testid="my-digits-replace"
            />
            replace
          </label>
          <input
            ref={fileRef}
            type="file"
            accept=".zip,application/zip"
            aria-label="A file of my digits to import"
            data-testid="my-digits-import"
            hidden
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              e.currentTarget.value = '';
              if (!file) return;
              void file
                .arrayBuffer()
                .then((buf) => actions.importDigits(new Uint8Array(buf), file.name, mode));
            }}
          />
          {s.undo ? (
            <button
              type="button"
              className="btn small"
              data-testid="my-digits-undo"
              onClick={() => void actions.undoDelete()}
            >
              Undo delete
            </button>
          ) : null}
          {selected ? (
            <button
              type="button"
              className="btn small"
              data-testid="my-digits-one-step"
              title="One step of backprop with this digit as the example, taken as its label"
              onClick={() => {
                actions.setStepSource({ kind: 'drawing', label: selected.label });
                actions.setScreen('step');
              }}
            >
              One step with it
            </button>
          ) : null}
        </div>
        <p
          className={`my-digits-line${s.error ? ' error' : ''}`}
          role={s.error ? 'alert' : 'status'}
          data-testid={s.error ? 'my-digits-error' : 'my-digits-message'}
        >
          {s.error ??
            s.message ??
            (s.digits.length
              ? 'Click a digit to see why the network says what it says.'
              : 'Draw on the right, then press a "save as" button (or, on the canvas, a key 0–9).')}
        </p>

        <ul className="my-digits-grid" aria-label="Your digits, newest first">
          {shown.map((d) => (
            <Tile key={d.id} digit={d} mark={s.marks[d.id]} names={names} selected={d.id === s.selected} />
          ))}
        </ul>
      </div>
    </Panel>
  );
}
