/**
 * How the page is shown (src/store/view.ts): following an in-page link such as a lesson's set-up, the open
 * lesson, presenter mode. The address is the truth; the view store is set from it after every change.
 */
import { useConfigStore } from '../store/config';
import { linkSearch, readUrlState } from '../store/urlState';
import { readViewState, useViewStore, writeViewState, type ViewState } from '../store/view';
import type { AppContext } from './actions';
import { applyConfig } from './actions';

/** Sets the view store from a query string (start, back/forward, links). */
export function syncView(search: string): void {
  const next = readViewState(search);
  const cur = useViewStore.getState();
  if (next.lesson !== cur.lesson || next.present !== cur.present || next.lessonStep !== cur.lessonStep)
    useViewStore.setState(next);
}

export function createViewActions(app: () => AppContext) {
  return {
    /**
     * Follows a link inside the page (a lesson's set-up, `lesson=<id>&…`): its settings replace every one of
     * ours (a missing one takes its default), the keys in `forget` leave the address, other parameters
     * (presenter mode, the data folder) stay; a new history entry, so Back returns. The network starts from
     * its seeded initial weights even when only, say, the learning rate changed: every set-up starts alike.
     */
    followLink(link: string, forget: readonly string[] = []): void {
      const ctx = app();
      const search = linkSearch(link, ctx.url.search(), forget);
      const rebuilt = applyConfig(ctx, useConfigStore.getState(), readUrlState(search));
      if (!rebuilt) ctx.bridge.startGeneration((generation) => ({ type: 'reset', generation }));
      ctx.url.go(search);
      syncView(search);
    },
    /** Changes view parameters only (the history entry is replaced: not a step to go back to). */
    setView(patch: Partial<ViewState>): void {
      const ctx = app();
      const search = writeViewState(ctx.url.search(), patch);
      ctx.url.replace(search);
      syncView(search);
    },
  };
}
