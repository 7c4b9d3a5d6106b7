import { describe, expect, it } from 'vitest';
import type { MyDigit } from '../../src/data/myDigits';
import { marksOf, newDigit, relabelled, removed, replaced, restored } from '../../src/store/myDigits';

const px = (v: number) => new Uint8Array(784).fill(v);
const draft = (label: number, v = label) => ({
  dataset: 'mnist' as const,
  label,
  pixels: px(v),
  strokes: [],
});

function collect(labels: number[]): MyDigit[] {
  const out: MyDigit[] = [];
  labels.forEach((l, i) => out.push(newDigit(out, draft(l, i), `id${i}`, 1000 + i)));
  return out;
}

describe('my digits: the collection steps', () => {
  it('gives each class alternately to the teach and the test half, first teach', () => {
    const ds = collect([3, 3, 5, 3, 5, 3]);
    expect(ds.map((d) => `${d.label}${d.half}`)).toEqual([
      '3teach',
      '3test',
      '5teach',
      '3teach',
      '5test',
      '3test',
    ]);
    expect(ds[0]).toMatchObject({ id: 'id0', dataset: 'mnist', savedAt: 1000 });
  });

  it('relabelling keeps the half; the same label is no change', () => {
    const ds = collect([1, 1]);
    const d = relabelled(ds, 'id1', 7)!;
    expect(d).toMatchObject({ id: 'id1', label: 7, half: 'test' });
    expect(relabelled(ds, 'id1', 1)).toBeNull();
    expect(relabelled(ds, 'nope', 2)).toBeNull();
    expect(replaced(ds, d).map((x) => x.label)).toEqual([1, 7]);
  });

  it('a delete can be undone: the digit comes back where it was, same id and half', () => {
    const ds = collect([0, 1, 2]);
    const r = removed(ds, 'id1')!;
    expect(r.digits.map((d) => d.id)).toEqual(['id0', 'id2']);
    const back = restored(r.digits, r.undo);
    expect(back.map((d) => d.id)).toEqual(['id0', 'id1', 'id2']);
    expect(back[1]).toBe(ds[1]);
    // Undo twice does not duplicate it.
    expect(restored(back, r.undo).map((d) => d.id)).toEqual(['id0', 'id1', 'id2']);
    expect(removed(ds, 'nope')).toBeNull();
  });

  it('marks each digit right or wrong and scores the test half only', () => {
    const ds = collect([4, 4, 9, 9]); // teach, test, teach, test
    const { marks, accuracy } = marksOf(ds, [4, 7, 1, 9], [0.9, 0.2, 0.1, 0.6], 120);
    expect(marks.id0).toEqual({ predicted: 4, probability: expect.closeTo(0.9, 6), correct: true });
    expect(marks.id1!.correct).toBe(false);
    expect(marks.id2!.correct).toBe(false);
    expect(marks.id3!.correct).toBe(true);
    // Test half: id1 wrong, id3 right (the teach half's miss on id2 does not count).
    expect(accuracy).toEqual({ accuracy: 0.5, correct: 1, count: 2, step: 120 });
    expect(marksOf(ds.slice(0, 1), [4], [1], 0).accuracy).toBeNull();
  });
});
