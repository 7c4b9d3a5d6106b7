/**
 * The status table itself: complete, and the few rules the rest of the app relies on.
 */
import { describe, expect, it } from 'vitest';
import type { RunStatus } from '../../src/protocol/messages';
import { nextStatus, RUN_EVENTS } from '../../src/training/runStatus';

const STATES: RunStatus[] = ['idle', 'training', 'paused', 'done', 'diverged'];

describe('run status table', () => {
  it('every fresh run starts idle, from any state', () => {
    for (const s of STATES) expect(nextStatus(s, 'new-run')).toBe('idle');
  });

  it('only a start leads into training; a training run ignores another start', () => {
    for (const s of STATES) {
      for (const e of RUN_EVENTS) {
        if (nextStatus(s, e) === 'training') expect(e).toBe('start');
      }
    }
    expect(nextStatus('training', 'start')).toBeNull();
    expect(nextStatus('training', 'start-at-limit')).toBeNull();
  });

  it('pause applies only while training; a diverged run stays diverged until started or rebuilt', () => {
    expect(STATES.filter((s) => nextStatus(s, 'pause') !== null)).toEqual(['training']);
    const leaves = RUN_EVENTS.filter((e) => nextStatus('diverged', e) !== null);
    expect(leaves).toEqual(['start', 'start-at-limit', 'step', 'new-run']);
  });
});
