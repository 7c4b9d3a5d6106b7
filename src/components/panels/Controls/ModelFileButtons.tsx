/**
 * The model file, folded away at the foot of the controls: save the trained network, load one, export it
 * for TensorFlow.js. The work is the worker's (through `actions`); this part downloads what comes back and
 * shows why a load or save failed.
 */
import { useRef, useState } from 'react';
import { actions } from '../../../app/client';

/** Save / load the model file, export for TensorFlow.js. Errors land in the run store's `error`. */
export function ModelFileButtons() {
  const fileRef = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  const download = (name: string, data: BlobPart, type: string) => {
    const url = URL.createObjectURL(new Blob([data], { type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const run = async (what: () => Promise<void>) => {
    setBusy(true);
    setMessage(null);
    try {
      await what();
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <div className="model-buttons">
        <button
          type="button"
          className="btn small"
          disabled={busy}
          onClick={() =>
            run(async () =>
              download('backprop-lab-model.json', await actions.saveModel(), 'application/json'),
            )
          }
        >
          Save model
        </button>
        <button type="button" className="btn small" disabled={busy} onClick={() => fileRef.current?.click()}>
          Load model…
        </button>
        <button
          type="button"
          className="btn small"
          disabled={busy}
          onClick={() =>
            run(async () => {
              const { modelJson, weightsBin } = await actions.exportTfjs();
              download('model.json', modelJson, 'application/json');
              download('weights.bin', weightsBin, 'application/octet-stream');
            })
          }
        >
          Export TF.js
        </button>
        <input
          ref={fileRef}
          type="file"
          accept=".json,application/json"
          aria-label="Model file to load"
          hidden
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            e.currentTarget.value = '';
            if (file) void run(async () => actions.loadModel(await file.text()));
          }}
        />
      </div>
      {message ? (
        <p role="alert" style={{ color: 'var(--danger)', margin: '6px 0 0' }}>
          {message}
        </p>
      ) : null}
    </div>
  );
}
