/**
 * My digits of the current dataset (src/data/myDigits.ts): the collection as IndexedDB holds it, the last
 * delete (for Undo), how the network reads each digit (the gallery's right / wrong marks) and the accuracy
 * on the test half. Slow facts (a save, an epoch end): components may select from it with hooks.
 *
 * The pure steps on a collection are the functions below (tested in Node); src/app/myDigitsActions.ts
 * writes them to IndexedDB and tells the worker.
 */
import { create } from 'zustand';
import type { DatasetName } from '../data/dataset';
import { assignHalf, type MyDigit, type StrokePoint } from '../data/myDigits';

/** How the network read one digit (evaluate-my-digits). */
export interface DigitMark {
  predicted: number;
  /** The probability the network gives the digit's own label. */
  probability: number;
  correct: boolean;
}

/** Accuracy on the test half: from an epoch's end, or asked for (the gallery's button). */
export interface MyDigitsAccuracy {
  accuracy: number;
  correct: number;
  count: number;
  step: number;
}

export interface MyDigitsState {
  /** The dataset whose collection this is (null until one was read). */
  dataset: DatasetName | null;
  digits: MyDigit[];
  loaded: boolean;
  /** False when this browser keeps them in memory only (no IndexedDB). */
  persistent: boolean;
  /** The last failure (storage full, a refused file), in plain words; null when the last action worked. */
  error: string | null;
  /** What the last action did ("12 added, 3 already there"). */
  message: string | null;
  /** The last deleted digit and where it was, for Undo. */
  undo: { digit: MyDigit; index: number } | null;
  /** Marks per digit id, from the last evaluation. */
  marks: Record<string, DigitMark>;
  accuracy: MyDigitsAccuracy | null;
  /** The digit last opened in the drawing (id), or null. */
  selected: string | null;
}

export const INITIAL_MY_DIGITS_STATE: MyDigitsState = {
  dataset: null,
  digits: [],
  loaded: false,
  persistent: true,
  error: null,
  message: null,
  undo: null,
  marks: {},
  accuracy: null,
  selected: null,
};

export const useMyDigitsStore = create<MyDigitsState>()(() => ({ ...INITIAL_MY_DIGITS_STATE }));

/** What a save needs: the image as the network saw it (uint8) and the strokes that made it. */
export interface DigitDraft {
  dataset: DatasetName;
  label: number;
  pixels: Uint8Array;
  strokes: StrokePoint[][];
}

/** A new digit for `digits`, its half assigned once (assignHalf: alternating per class). */
export function newDigit(digits: readonly MyDigit[], draft: DigitDraft, id: string, now: number): MyDigit {
  return {
    id,
    dataset: draft.dataset,
    label: draft.label,
    half: assignHalf(digits, draft.label),
    pixels: draft.pixels,
    strokes: draft.strokes,
    savedAt: now,
  };
}

/** `id` with another label; its half stays (a digit trained on never moves into the test half). */
export function relabelled(digits: readonly MyDigit[], id: string, label: number): MyDigit | null {
  const d = digits.find((x) => x.id === id);
  return d && d.label !== label ? { ...d, label } : null;
}

/** The list with `digit` in place of the one with its id. */
export function replaced(digits: readonly MyDigit[], digit: MyDigit): MyDigit[] {
  return digits.map((d) => (d.id === digit.id ? digit : d));
}

/** The list without `id`, and what Undo needs to put it back. */
export function removed(
  digits: readonly MyDigit[],
  id: string,
): { digits: MyDigit[]; undo: { digit: MyDigit; index: number } } | null {
  const index = digits.findIndex((d) => d.id === id);
  if (index < 0) return null;
  return { digits: digits.filter((d) => d.id !== id), undo: { digit: digits[index]!, index } };
}

/** The list with a deleted digit back where it was (its id and half unchanged). */
export function restored(digits: readonly MyDigit[], undo: { digit: MyDigit; index: number }): MyDigit[] {
  if (digits.some((d) => d.id === undo.digit.id)) return [...digits];
  const out = [...digits];
  out.splice(Math.min(undo.index, out.length), 0, undo.digit);
  return out;
}

/**
 * Marks per id from an evaluation of `digits` (in that order), and the accuracy on their test half
 * (null when there is none).
 */
export function marksOf(
  digits: readonly Pick<MyDigit, 'id' | 'label' | 'half'>[],
  predicted: ArrayLike<number>,
  probabilityOfLabel: ArrayLike<number>,
  step: number,
): { marks: Record<string, DigitMark>; accuracy: MyDigitsAccuracy | null } {
  const marks: Record<string, DigitMark> = {};
  let correct = 0;
  let count = 0;
  digits.forEach((d, i) => {
    const p = predicted[i];
    if (p === undefined) return;
    const ok = p === d.label;
    marks[d.id] = { predicted: p, probability: probabilityOfLabel[i] ?? 0, correct: ok };
    if (d.half === 'test') {
      count++;
      if (ok) correct++;
    }
  });
  return { marks, accuracy: count ? { accuracy: correct / count, correct, count, step } : null };
}
