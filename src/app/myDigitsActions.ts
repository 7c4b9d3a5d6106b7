/**
 * My digits, the page's side: each change is written to the browser's store first (one transaction,
 * myDigitsDb.ts) and only then shown and sent to the worker (`set-my-digits`), so what the gallery shows is
 * what a reload finds. A failed write (a full quota) changes nothing and says why.
 *
 * The worker is told the current dataset's halves whenever they change, on every data load (start, a
 * dataset switch, a new worker after a restart: `syncMyDigits` from loadData), and asked how it reads every
 * digit (`evaluate-my-digits`) after each epoch's end and on demand.
 */
import type { DatasetName } from '../data/dataset';
import { DataError } from '../data/errors';
import { halfSplit, MAX_MY_DIGITS, mergeDigits, type MyDigit, type StrokePoint } from '../data/myDigits';
import { decodeMyDigits, encodeMyDigits } from '../data/myDigitsFile';
import type { MyDigitsPart } from '../protocol/messages';
import { useConfigStore } from '../store/config';
import {
  marksOf,
  newDigit,
  relabelled,
  removed,
  replaced,
  restored,
  useMyDigitsStore,
  type MyDigitsState,
} from '../store/myDigits';
import { useRunStore } from '../store/run';
import type { AppContext } from './actions';
import { showNotice } from './routeEvents';
import { memoryMyDigitsDb, openMyDigitsDb, storageMessage, type MyDigitsDb } from './myDigitsDb';

let dbPromise: Promise<MyDigitsDb> | null = null;

/** The browser's store (IndexedDB), or memory where there is none. */
function db(): Promise<MyDigitsDb> {
  if (!dbPromise) dbPromise = openMyDigitsDb().then((d) => d ?? memoryMyDigitsDb());
  return dbPromise;
}

/** Uses `store` from now on (tests). */
export function setMyDigitsDb(store: MyDigitsDb): void {
  dbPromise = Promise.resolve(store);
}

let counter = 0;
function newId(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  counter++;
  return `d${Date.now().toString(36)}-${counter.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

const set = (patch: Partial<MyDigitsState>) => useMyDigitsStore.setState(patch);

/** Both halves as they cross to the worker (fresh buffers, transferred). */
function partOf(digits: readonly MyDigit[], half: 'teach' | 'test'): MyDigitsPart {
  const s = halfSplit(digits, half);
  return { images: s.images, labels: s.labels, count: s.count };
}

/** All digits in gallery order, for evaluate-my-digits. */
function allOf(digits: readonly MyDigit[]): MyDigitsPart {
  const images = new Uint8Array(digits.length * 784);
  const labels = new Uint8Array(digits.length);
  digits.forEach((d, i) => {
    images.set(d.pixels, i * 784);
    labels[i] = d.label;
  });
  return { images, labels, count: digits.length };
}

function sendHalves(ctx: AppContext): void {
  const { digits, loaded, dataset } = useMyDigitsStore.getState();
  if (!loaded || dataset !== useConfigStore.getState().dataset) return;
  const teach = partOf(digits, 'teach');
  const test = partOf(digits, 'test');
  ctx.bridge.send({ type: 'set-my-digits', teach, test }, [teach.images.buffer, test.images.buffer]);
}

/** The collection of `dataset` is the current one (read now if it is not), and the worker has its halves. */
export function syncMyDigits(ctx: AppContext, dataset: DatasetName): void {
  const s = useMyDigitsStore.getState();
  if (s.dataset === dataset && s.loaded) {
    sendHalves(ctx);
    return;
  }
  set({ ...useMyDigitsStore.getInitialState(), dataset });
  void db()
    .then(async (store) => {
      const digits = await store.load(dataset);
      if (useMyDigitsStore.getState().dataset !== dataset) return;
      set({ digits, loaded: true, persistent: store.persistent });
      sendHalves(ctx);
      if (digits.length) evaluate(ctx);
    })
    .catch((e: unknown) => {
      if (useMyDigitsStore.getState().dataset !== dataset) return;
      set({ loaded: true, error: `Your saved digits could not be read (${String(e)}).` });
    });
}

/** Asks the worker how it reads every digit now; the marks and the test half's accuracy follow. */
function evaluate(ctx: AppContext): void {
  const { digits, dataset } = useMyDigitsStore.getState();
  if (!digits.length) {
    set({ marks: {}, accuracy: null });
    return;
  }
  const sent = digits.map(({ id, label, half }) => ({ id, label, half }));
  const part = allOf(digits);
  ctx.bridge
    .request('evaluate-my-digits', { digits: part })
    .then((ev) => {
      if (useMyDigitsStore.getState().dataset !== dataset) return;
      set(marksOf(sent, ev.predicted, ev.probabilityOfLabel, ev.step));
    })
    .catch(() => {
      // No network yet, or it changed meanwhile: the next epoch's end asks again.
    });
}

/** Writes with `write`, then shows `next` and tells the worker; a failed write changes nothing. */
async function commit(
  ctx: AppContext,
  write: (store: MyDigitsDb) => Promise<void>,
  next: Partial<MyDigitsState> & { digits: MyDigit[] },
): Promise<boolean> {
  const dataset = useMyDigitsStore.getState().dataset;
  try {
    await write(await db());
  } catch (e) {
    set({ error: storageMessage(e), message: null });
    return false;
  }
  if (useMyDigitsStore.getState().dataset !== dataset) return false;
  set({ error: null, ...next });
  sendHalves(ctx);
  evaluate(ctx);
  return true;
}

export function createMyDigitsActions(app: () => AppContext) {
  return {
    /** Keeps the drawing as a digit of class `label` (pixels: the 28×28 the network saw, 0..1). */
    async saveDigit(label: number, pixels: Float32Array, strokes: StrokePoint[][]): Promise<boolean> {
      const s = useMyDigitsStore.getState();
      const dataset = s.dataset ?? useConfigStore.getState().dataset;
      if (!s.loaded) return false;
      if (s.digits.length >= MAX_MY_DIGITS) {
        set({
          error: `The collection is full (${MAX_MY_DIGITS.toLocaleString('en-US')} digits): delete some first.`,
        });
        return false;
      }
      const bytes = Uint8Array.from(pixels, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
      const copy = strokes.map((st) => st.map((p) => ({ x: p.x, y: p.y })));
      const digit = newDigit(s.digits, { dataset, label, pixels: bytes, strokes: copy }, newId(), Date.now());
      const ctx = app();
      const message = `saved as ${classNameOf(label)} (${digit.half} half)`;
      const ok = await commit(ctx, (store) => store.put([digit]), { digits: [...s.digits, digit], message });
      // Said where the drawing is too (the Watch screen has no gallery): the message line's short notice.
      if (ok) showNotice(`${message} · ${s.digits.length + 1} in My digits`, ctx);
      else if (useMyDigitsStore.getState().error) showNotice(useMyDigitsStore.getState().error!, ctx);
      return ok;
    },
    async relabelDigit(id: string, label: number): Promise<boolean> {
      const s = useMyDigitsStore.getState();
      const d = relabelled(s.digits, id, label);
      if (!d) return false;
      return commit(app(), (store) => store.put([d]), {
        digits: replaced(s.digits, d),
        message: `relabelled as ${classNameOf(label)}`,
      });
    },
    async deleteDigit(id: string): Promise<boolean> {
      const s = useMyDigitsStore.getState();
      const r = removed(s.digits, id);
      if (!r) return false;
      return commit(app(), (store) => store.remove([id]), {
        digits: r.digits,
        undo: r.undo,
        selected: s.selected === id ? null : s.selected,
        message: 'deleted',
      });
    },
    async undoDelete(): Promise<boolean> {
      const s = useMyDigitsStore.getState();
      if (!s.undo) return false;
      const { undo } = s;
      return commit(app(), (store) => store.put([undo.digit]), {
        digits: restored(s.digits, undo),
        undo: null,
        message: 'restored',
      });
    },
    /**
     * Reads a file of digits into the collection: `merge` adds those whose image is not there yet (new
     * ids), `replace` puts the file's in place of all. A refused file changes nothing; its message says why.
     */
    async importDigits(bytes: Uint8Array, fileName: string, mode: 'merge' | 'replace'): Promise<boolean> {
      const s = useMyDigitsStore.getState();
      const dataset = s.dataset ?? useConfigStore.getState().dataset;
      const classes = Math.max(useRunStore.getState().data.classNames.length, 10);
      let incoming: MyDigit[];
      try {
        const file = decodeMyDigits(bytes, fileName, classes);
        if (file.dataset !== dataset) {
          set({
            error: `${fileName} holds digits for ${file.dataset}, not ${dataset}: switch the dataset to import it.`,
            message: null,
          });
          return false;
        }
        incoming = file.digits.map((d) => ({ ...d, id: '', dataset }));
      } catch (e) {
        set({
          error: e instanceof DataError ? e.message : `${fileName} could not be read (${String(e)}).`,
          message: null,
        });
        return false;
      }
      const merged = mergeDigits(mode === 'merge' ? s.digits : [], incoming, newId);
      if (merged.digits.length > MAX_MY_DIGITS) {
        set({
          error: `${fileName} would make the collection larger than ${MAX_MY_DIGITS.toLocaleString('en-US')} digits.`,
          message: null,
        });
        return false;
      }
      const fresh = merged.digits.slice(mode === 'merge' ? s.digits.length : 0);
      const skipped = merged.skipped ? `, ${merged.skipped} already there` : '';
      return commit(
        app(),
        (store) => (mode === 'merge' ? store.put(fresh) : store.replace(dataset, merged.digits)),
        {
          digits: merged.digits,
          undo: null,
          marks: {},
          selected: null,
          message: `${merged.added} imported${skipped}`,
        },
      );
    },
    /** The collection as a zip (my-digits-<dataset>.zip). */
    exportDigits(): { bytes: Uint8Array; fileName: string } {
      const s = useMyDigitsStore.getState();
      const dataset = s.dataset ?? useConfigStore.getState().dataset;
      const names = useRunStore.getState().data.classNames;
      const classNames = names.length ? names : Array.from({ length: 10 }, (_, i) => String(i));
      return { bytes: encodeMyDigits(s.digits, dataset, classNames), fileName: `my-digits-${dataset}.zip` };
    },
    /** How the network reads them now (the marks and the test half's accuracy). */
    evaluateMyDigits(): void {
      evaluate(app());
    },
    selectMyDigit(id: string | null): void {
      set({ selected: id });
    },
    dismissMyDigitsMessage(): void {
      set({ error: null, message: null });
    },
  };
}

/** The class's name in the current dataset (a digit for MNIST). */
function classNameOf(label: number): string {
  return useRunStore.getState().data.classNames[label] ?? String(label);
}

/** An epoch ended: its figure for the test half, then fresh marks for the gallery. */
export function myDigitsEpochEnded(
  ctx: AppContext,
  ev: { step: number; myDigitsAccuracy?: number; myDigitsCorrect?: number; myDigitsCount?: number },
): void {
  if (ev.myDigitsAccuracy !== undefined && ev.myDigitsCount) {
    set({
      accuracy: {
        accuracy: ev.myDigitsAccuracy,
        correct: ev.myDigitsCorrect ?? Math.round(ev.myDigitsAccuracy * ev.myDigitsCount),
        count: ev.myDigitsCount,
        step: ev.step,
      },
    });
  }
  if (useMyDigitsStore.getState().digits.length) evaluate(ctx);
}

/** A new network: the marks and the accuracy were the old one's (the next evaluation brings new ones). */
export function myDigitsNewGeneration(): void {
  const s = useMyDigitsStore.getState();
  if (s.accuracy || Object.keys(s.marks).length) set({ marks: {}, accuracy: null });
}
