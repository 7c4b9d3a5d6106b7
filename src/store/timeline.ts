/**
 * The moments whose weights the worker keeps (training/timeline.ts): their steps and epochs, what they
 * take in memory and the most it keeps. The timeline scrubber and the loss landscape's path read it; a
 * new generation clears it (a new network has no past).
 */
import { create } from 'zustand';

export interface TimelineState {
  steps: Uint32Array;
  epochs: Uint16Array;
  bytes: number;
  capacity: number;
}

export const INITIAL_TIMELINE_STATE: TimelineState = {
  steps: new Uint32Array(0),
  epochs: new Uint16Array(0),
  bytes: 0,
  capacity: 0,
};

export const useTimelineStore = create<TimelineState>(() => INITIAL_TIMELINE_STATE);
