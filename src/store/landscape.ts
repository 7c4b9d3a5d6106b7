/**
 * How far the loss landscape in progress has got (loss-landscape-progress events): grid points done of the
 * total. The landscape view resets it when it asks and reads it while it waits.
 */
import { create } from 'zustand';

export interface LandscapeProgress {
  done: number;
  total: number;
}

export const useLandscapeProgress = create<{ progress: LandscapeProgress | null }>(() => ({
  progress: null,
}));
