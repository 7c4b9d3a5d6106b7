/**
 * Where my digits live in the browser: one IndexedDB database, one object store `digits` keyed by `id` with
 * an index on `dataset`. Every write is one transaction (a save, a relabel, a delete, a whole import), so a
 * crash mid-save loses at most that digit and an import lands whole or not at all. Nothing leaves the
 * browser.
 *
 * Kept thin on purpose (the logic around it — halves, merging, undo — is in src/store/myDigits.ts and
 * tested in Node): `openMyDigitsDb()` gives the IndexedDB store, `memoryMyDigitsDb()` the same interface in
 * memory (Node tests, and browsers without IndexedDB, where the collection then lasts until a reload).
 */
import type { DatasetName } from '../data/dataset';
import type { MyDigit } from '../data/myDigits';

export interface MyDigitsDb {
  /** Whether the digits outlive a reload (false: memory only). */
  readonly persistent: boolean;
  /** The collection of `dataset`, oldest first. */
  load(dataset: DatasetName): Promise<MyDigit[]>;
  /** Adds or replaces these digits (one transaction). */
  put(digits: readonly MyDigit[]): Promise<void>;
  /** Deletes these ids (one transaction). */
  remove(ids: readonly string[]): Promise<void>;
  /** Replaces the whole collection of `dataset` (one transaction: all of it, or nothing). */
  replace(dataset: DatasetName, digits: readonly MyDigit[]): Promise<void>;
}

const DB_NAME = 'backprop-lab-my-digits';
const STORE = 'digits';
const VERSION = 1;

/** Plain words for a failed write; a full quota says so. */
export function storageMessage(e: unknown): string {
  const name = (e as { name?: string } | null)?.name ?? '';
  if (name === 'QuotaExceededError')
    return 'The browser has no room left to keep your digits (its storage quota is full). Export the collection to a file, then delete some digits or free space for this site.';
  const msg = (e as { message?: string } | null)?.message ?? String(e);
  return `Your digits could not be kept in this browser (${msg || name || 'storage error'}).`;
}

const done = (tx: IDBTransaction) =>
  new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });

const sortBySaved = (a: MyDigit, b: MyDigit) => a.savedAt - b.savedAt || (a.id < b.id ? -1 : 1);

/** The IndexedDB store, or null when this browser has none (or refuses to open it). */
export async function openMyDigitsDb(): Promise<MyDigitsDb | null> {
  if (typeof indexedDB === 'undefined') return null;
  let db: IDBDatabase;
  try {
    db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, VERSION);
      req.onupgradeneeded = () => {
        const store = req.result.createObjectStore(STORE, { keyPath: 'id' });
        store.createIndex('dataset', 'dataset', { unique: false });
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('could not open'));
      req.onblocked = () => reject(new Error('blocked by another tab'));
    });
  } catch {
    return null;
  }
  return {
    persistent: true,
    async load(dataset) {
      const tx = db.transaction(STORE, 'readonly');
      const req = tx.objectStore(STORE).index('dataset').getAll(dataset);
      const rows = await new Promise<MyDigit[]>((resolve, reject) => {
        req.onsuccess = () => resolve(req.result as MyDigit[]);
        req.onerror = () => reject(req.error ?? new Error('read failed'));
      });
      return rows.sort(sortBySaved);
    },
    async put(digits) {
      const tx = db.transaction(STORE, 'readwrite');
      const store = tx.objectStore(STORE);
      for (const d of digits) store.put(d);
      await done(tx);
    },
    async remove(ids) {
      const tx = db.transaction(STORE, 'readwrite');
      const store = tx.objectStore(STORE);
      for (const id of ids) store.delete(id);
      await done(tx);
    },
    async replace(dataset, digits) {
      const tx = db.transaction(STORE, 'readwrite');
      const store = tx.objectStore(STORE);
      const keys = store.index('dataset').getAllKeys(dataset);
      keys.onsuccess = () => {
        for (const k of keys.result) store.delete(k);
        for (const d of digits) store.put(d);
      };
      await done(tx);
    },
  };
}

/** The same interface in memory (tests; browsers without IndexedDB). */
export function memoryMyDigitsDb(): MyDigitsDb {
  const rows = new Map<string, MyDigit>();
  return {
    persistent: false,
    load(dataset) {
      return Promise.resolve([...rows.values()].filter((d) => d.dataset === dataset).sort(sortBySaved));
    },
    put(digits) {
      for (const d of digits) rows.set(d.id, d);
      return Promise.resolve();
    },
    remove(ids) {
      for (const id of ids) rows.delete(id);
      return Promise.resolve();
    },
    replace(dataset, digits) {
      for (const [id, d] of rows) if (d.dataset === dataset) rows.delete(id);
      for (const d of digits) rows.set(d.id, d);
      return Promise.resolve();
    },
  };
}
