import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppContext } from '../../src/app/actions';
import { memoryMyDigitsDb, storageMessage, type MyDigitsDb } from '../../src/app/myDigitsDb';
import { createMyDigitsActions, syncMyDigits, setMyDigitsDb } from '../../src/app/myDigitsActions';
import { encodeMyDigits } from '../../src/data/myDigitsFile';
import type { Command } from '../../src/protocol/messages';
import { useConfigStore } from '../../src/store/config';
import { useRunStore } from '../../src/store/run';
import { INITIAL_MY_DIGITS_STATE, useMyDigitsStore } from '../../src/store/myDigits';

function fakeCtx() {
  const sent: Command[] = [];
  const ctx = {
    bridge: {
      send: (cmd: Command) => sent.push(cmd),
      request: vi.fn(() => Promise.reject(new Error('no network'))),
    },
    setTimeout: () => {},
  } as unknown as AppContext;
  return { ctx, sent };
}

const flush = () => new Promise((r) => setTimeout(r, 0));
const ink = (v: number) => new Float32Array(784).fill(v);
const halvesSent = (sent: Command[]) =>
  sent
    .filter((c): c is Extract<Command, { type: 'set-my-digits' }> => c.type === 'set-my-digits')
    .map((c) => [c.teach.count, c.test.count]);

let db: MyDigitsDb;

beforeEach(() => {
  db = memoryMyDigitsDb();
  setMyDigitsDb(db);
  useMyDigitsStore.setState({ ...INITIAL_MY_DIGITS_STATE });
  useConfigStore.setState({ dataset: 'mnist' });
});

async function ready() {
  const { ctx, sent } = fakeCtx();
  syncMyDigits(ctx, 'mnist');
  await flush();
  return { ctx, sent, a: createMyDigitsActions(() => ctx) };
}

describe('my digits actions', () => {
  it('saves into the store, as uint8, and gives the worker the new halves', async () => {
    const { sent, a } = await ready();
    expect(halvesSent(sent)).toEqual([[0, 0]]);
    expect(await a.saveDigit(3, ink(0.5), [[{ x: 0.1, y: 0.2 }]])).toBe(true);
    expect(await a.saveDigit(3, ink(1), [[{ x: 0.3, y: 0.4 }]])).toBe(true);
    const { digits } = useMyDigitsStore.getState();
    expect(digits.map((d) => d.half)).toEqual(['teach', 'test']);
    expect(digits[0]!.pixels[0]).toBe(128);
    expect(digits[1]!.pixels[0]).toBe(255);
    expect(halvesSent(sent)).toEqual([
      [0, 0],
      [1, 0],
      [1, 1],
    ]);
    expect((await db.load('mnist')).length).toBe(2);
    expect(useRunStore.getState().notice).toBe('saved as 3 (test half) · 2 in My digits');
  });

  it('a failed write (a full quota) changes nothing and says so in plain words', async () => {
    const { sent, a } = await ready();
    await a.saveDigit(1, ink(0.5), []);
    const quota = Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
    db.put = () => Promise.reject(quota);
    expect(await a.saveDigit(2, ink(0.7), [])).toBe(false);
    const s = useMyDigitsStore.getState();
    expect(s.digits.length).toBe(1);
    expect(s.error).toBe(storageMessage(quota));
    expect(s.error).toMatch(/no room left/);
    expect(halvesSent(sent).length).toBe(2);
  });

  it('delete then Undo brings the same digit back, in the store and the database', async () => {
    const { a } = await ready();
    await a.saveDigit(5, ink(0.2), []);
    const id = useMyDigitsStore.getState().digits[0]!.id;
    await a.deleteDigit(id);
    expect(useMyDigitsStore.getState().digits).toEqual([]);
    expect(await db.load('mnist')).toEqual([]);
    await a.undoDelete();
    expect(useMyDigitsStore.getState().digits.map((d) => d.id)).toEqual([id]);
    expect((await db.load('mnist')).map((d) => d.id)).toEqual([id]);
    expect(useMyDigitsStore.getState().undo).toBeNull();
  });

  it('imports: merge skips images already there, a bad file changes nothing and shows its message', async () => {
    const { a } = await ready();
    await a.saveDigit(0, ink(0.1), []);
    await a.saveDigit(1, ink(0.2), []);
    const zip = a.exportDigits();
    expect(zip.fileName).toBe('my-digits-mnist.zip');
    await a.saveDigit(2, ink(0.3), []);
    expect(await a.importDigits(zip.bytes, zip.fileName, 'merge')).toBe(true);
    expect(useMyDigitsStore.getState().digits.length).toBe(3);
    expect(useMyDigitsStore.getState().message).toBe('0 imported, 2 already there');

    const before = useMyDigitsStore.getState().digits;
    expect(await a.importDigits(new TextEncoder().encode('hello'), 'hello.zip', 'replace')).toBe(false);
    expect(useMyDigitsStore.getState().digits).toBe(before);
    expect(useMyDigitsStore.getState().error).toMatch(/^hello\.zip is not a zip file/);
    expect((await db.load('mnist')).length).toBe(3);

    expect(await a.importDigits(zip.bytes, zip.fileName, 'replace')).toBe(true);
    expect(useMyDigitsStore.getState().digits.map((d) => d.label)).toEqual([0, 1]);
    expect((await db.load('mnist')).length).toBe(2);
  });

  it("refuses a file of another dataset's digits", async () => {
    const { a } = await ready();
    const other = encodeMyDigits(
      [],
      'fashion-mnist',
      Array.from({ length: 10 }, (_, i) => `c${i}`),
    );
    expect(await a.importDigits(other, 'clothes.zip', 'merge')).toBe(false);
    expect(useMyDigitsStore.getState().error).toMatch(/clothes\.zip holds digits for fashion-mnist/);
  });

  it('each dataset has its own collection; switching sends that one', async () => {
    const { ctx, sent, a } = await ready();
    await a.saveDigit(4, ink(0.4), []);
    useConfigStore.setState({ dataset: 'fashion-mnist' });
    syncMyDigits(ctx, 'fashion-mnist');
    await flush();
    expect(useMyDigitsStore.getState()).toMatchObject({ dataset: 'fashion-mnist', digits: [] });
    expect(halvesSent(sent).at(-1)).toEqual([0, 0]);
    useConfigStore.setState({ dataset: 'mnist' });
    syncMyDigits(ctx, 'mnist');
    await flush();
    expect(useMyDigitsStore.getState().digits.map((d) => d.label)).toEqual([4]);
    expect(halvesSent(sent).at(-1)).toEqual([1, 0]);
  });
});
