import { describe, expect, it } from 'vitest';
import {
  createFramePacer,
  FAST_MS,
  MAX_SCALE,
  nextScale,
  SLOW_MS,
  WINDOW_MS,
} from '../../src/components/canvas/framePacer';

/** A page whose frames come every `frameMs` (changeable), driven by hand: no real clock, no rAF. */
function fakePage(frameMs: number) {
  let t = 0;
  let queued: ((t: number) => void)[] = [];
  const page = {
    frameMs,
    requested: 0,
    env: {
      now: () => t,
      requestFrame(cb: (t: number) => void) {
        page.requested++;
        queued.push(cb);
      },
    },
    /** Runs the page for `ms`: one frame every frameMs, each frame's callbacks once. */
    run(ms: number, onFrame: () => void = () => {}) {
      const end = t + ms;
      while (t + page.frameMs <= end) {
        t += page.frameMs;
        const now = queued;
        queued = [];
        for (const cb of now) cb(t);
        onFrame();
      }
      t = end;
    },
    get loopAlive() {
      return queued.length > 0;
    },
  };
  return page;
}

describe('nextScale', () => {
  it('grows on slow frames, up to MAX_SCALE', () => {
    let s = 1;
    for (let i = 0; i < 20; i++) s = nextScale(s, 100);
    expect(s).toBe(MAX_SCALE);
    expect(nextScale(1, SLOW_MS + 1)).toBe(1.5);
  });

  it('shrinks on fast frames, never below 1', () => {
    expect(nextScale(4, FAST_MS - 4)).toBe(3.2);
    let s = MAX_SCALE;
    for (let i = 0; i < 40; i++) s = nextScale(s, 16.7);
    expect(s).toBe(1);
  });

  it('holds between the thresholds', () => {
    expect(nextScale(3, (SLOW_MS + FAST_MS) / 2)).toBe(3);
    expect(nextScale(3, SLOW_MS)).toBe(3);
    expect(nextScale(3, FAST_MS)).toBe(3);
  });
});

describe('createFramePacer', () => {
  it('stays at 1 on a 60 frames/s page', () => {
    const page = fakePage(1000 / 60);
    const pacer = createFramePacer(page.env);
    pacer.noteRepaint();
    page.run(5000, () => pacer.noteRepaint());
    expect(pacer.scale).toBe(1);
  });

  it('slows the repaints on an 8 frames/s page, and gives them back when frames are fast again', () => {
    const page = fakePage(125);
    const pacer = createFramePacer(page.env);
    pacer.noteRepaint();
    page.run(3 * WINDOW_MS, () => pacer.noteRepaint());
    expect(pacer.scale).toBeGreaterThan(2);
    page.run(20 * WINDOW_MS, () => pacer.noteRepaint());
    expect(pacer.scale).toBe(MAX_SCALE);
    page.frameMs = 1000 / 60;
    page.run(40 * WINDOW_MS, () => pacer.noteRepaint());
    expect(pacer.scale).toBe(1);
  });

  it('measures only while painters repaint: the frame loop stops when they go quiet', () => {
    const page = fakePage(1000 / 60);
    const pacer = createFramePacer(page.env);
    pacer.noteRepaint();
    page.run(200);
    expect(page.loopAlive).toBe(true);
    page.run(3 * WINDOW_MS);
    expect(page.loopAlive).toBe(false);
    const requested = page.requested;
    page.run(5000);
    expect(page.requested).toBe(requested);
    // A new repaint starts it again, once (not one loop per call).
    pacer.noteRepaint();
    pacer.noteRepaint();
    expect(page.requested).toBe(requested + 1);
  });

  it('keeps the scale across a quiet spell, and corrects it in the next busy window', () => {
    const page = fakePage(125);
    const pacer = createFramePacer(page.env);
    pacer.noteRepaint();
    page.run(4 * WINDOW_MS, () => pacer.noteRepaint());
    // Its frame loop measures on for up to two windows after the last repaint, then stops.
    page.run(3 * WINDOW_MS);
    expect(page.loopAlive).toBe(false);
    const slowed = pacer.scale;
    expect(slowed).toBeGreaterThan(1);
    page.run(5000);
    expect(pacer.scale).toBe(slowed);
    page.frameMs = 1000 / 60;
    pacer.noteRepaint();
    page.run(2 * WINDOW_MS + 50, () => pacer.noteRepaint());
    expect(pacer.scale).toBeLessThan(slowed);
  });
});
