/**
 * Whether a new build of the site is installed and waiting for this page to let it take over (the
 * service worker, src/sw/sw.ts; src/app/serviceWorker.ts sets it). The top bar then offers
 * "Reload to update" instead of swapping the page under a run.
 */
import { create } from 'zustand';

export interface UpdateState {
  /** A new build waits; reloading would load it (and end the current run). */
  ready: boolean;
}

export const useUpdateStore = create<UpdateState>()(() => ({ ready: false }));
