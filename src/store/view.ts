/**
 * How the page is shown, read from the URL's view parameters — not settings of a run, so they are not in
 * the config store: the open lesson (`lesson=<id>`, so a lesson's link opens its card) and presenter mode
 * (`present=1`, the schema's PRESENT_SETTING row). The address is the truth: the store is set from it at
 * start, after back/forward and after every in-page link (src/app/viewActions.ts).
 */
import { create } from 'zustand';
import { clampSetting, PRESENT_SETTING } from '../settings/schema';

export interface ViewState {
  /** The id of the lesson whose card is open (checked against the lessons table by the card), or null. */
  lesson: string | null;
  /** Presenter mode: large type, fewer controls, the shortcuts shown. */
  present: boolean;
  /** The open lesson's guided step, from 0 (`lstep=<n>`, 1-based, in the address; absent: the first). */
  lessonStep: number;
}

export const VIEW_KEYS = { lesson: 'lesson', present: PRESENT_SETTING.url!, lessonStep: 'lstep' } as const;

/** Steps a lesson may have at most (a longer `lstep` is read as the first step). */
export const MAX_LESSON_STEPS = 50;

export const INITIAL_VIEW_STATE: ViewState = { lesson: null, present: false, lessonStep: 0 };

export const useViewStore = create<ViewState>()(() => ({ ...INITIAL_VIEW_STATE }));

/** The view a query string describes; anything unusable takes the default. */
export function readViewState(search: string): ViewState {
  const q = new URLSearchParams(search);
  const lesson = q.get(VIEW_KEYS.lesson);
  const presentText = q.get(VIEW_KEYS.present)?.trim() ?? '';
  const present = presentText === '' ? undefined : clampSetting(PRESENT_SETTING, Number(presentText));
  const step = Number(q.get(VIEW_KEYS.lessonStep) ?? '1');
  return {
    lesson: lesson && /^[a-z0-9-]{1,40}$/.test(lesson) ? lesson : null,
    present: (present ?? PRESENT_SETTING.default) === 1,
    lessonStep: Number.isInteger(step) && step >= 1 && step <= MAX_LESSON_STEPS ? step - 1 : 0,
  };
}

/** `search` with the view parameters of `patch` written (a default removes its parameter). */
export function writeViewState(search: string, patch: Partial<ViewState>): string {
  const q = new URLSearchParams(search);
  if (patch.lesson !== undefined) {
    if (patch.lesson === null) q.delete(VIEW_KEYS.lesson);
    else q.set(VIEW_KEYS.lesson, patch.lesson);
  }
  if (patch.present !== undefined) {
    if (patch.present) q.set(VIEW_KEYS.present, '1');
    else q.delete(VIEW_KEYS.present);
  }
  if (patch.lessonStep !== undefined) {
    if (patch.lessonStep > 0) q.set(VIEW_KEYS.lessonStep, String(patch.lessonStep + 1));
    else q.delete(VIEW_KEYS.lessonStep);
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}
