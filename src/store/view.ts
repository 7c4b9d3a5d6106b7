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
}

export const VIEW_KEYS = { lesson: 'lesson', present: PRESENT_SETTING.url! } as const;

export const INITIAL_VIEW_STATE: ViewState = { lesson: null, present: false };

export const useViewStore = create<ViewState>()(() => ({ ...INITIAL_VIEW_STATE }));

/** The view a query string describes; anything unusable takes the default. */
export function readViewState(search: string): ViewState {
  const q = new URLSearchParams(search);
  const lesson = q.get(VIEW_KEYS.lesson);
  const presentText = q.get(VIEW_KEYS.present)?.trim() ?? '';
  const present = presentText === '' ? undefined : clampSetting(PRESENT_SETTING, Number(presentText));
  return {
    lesson: lesson && /^[a-z0-9-]{1,40}$/.test(lesson) ? lesson : null,
    present: (present ?? PRESENT_SETTING.default) === 1,
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
  const text = q.toString();
  return text ? `?${text}` : '';
}
