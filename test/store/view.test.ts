import { describe, expect, it } from 'vitest';
import { readViewState, writeViewState } from '../../src/store/view';
import { linkSearch } from '../../src/store/urlState';
import { DEFAULT_CONFIG } from '../../src/engine/types';

describe('view parameters', () => {
  it('reads presenter mode with the schema row’s rules, and a lesson id', () => {
    expect(readViewState('')).toEqual({ lesson: null, present: false, lessonStep: 0 });
    expect(readViewState('?present=1&lesson=dead-relu')).toEqual({
      lesson: 'dead-relu',
      present: true,
      lessonStep: 0,
    });
    expect(readViewState('?present=7').present).toBe(true);
    expect(readViewState('?present=0').present).toBe(false);
    expect(readViewState('?present=yes').present).toBe(false);
    expect(readViewState('?lesson=<script>').lesson).toBeNull();
  });

  it('reads and writes a lesson’s step, 1-based in the address; anything else is the first', () => {
    expect(readViewState('?lesson=a&lstep=3').lessonStep).toBe(2);
    for (const bad of ['0', '-1', '2.5', 'x', '51', ''])
      expect(readViewState(`?lesson=a&lstep=${bad}`).lessonStep, bad).toBe(0);
    expect(writeViewState('?lesson=a', { lessonStep: 1 })).toBe('?lesson=a&lstep=2');
    expect(writeViewState('?lesson=a&lstep=2', { lessonStep: 0 })).toBe('?lesson=a');
  });

  it('writes only the parameters patched, removing defaults', () => {
    expect(writeViewState('?lr=0.1', { present: true })).toBe('?lr=0.1&present=1');
    expect(writeViewState('?lr=0.1&present=1&lesson=x', { present: false, lesson: null })).toBe('?lr=0.1');
    expect(writeViewState('?present=1', { present: false })).toBe('');
  });
});

describe('linkSearch', () => {
  it('takes every setting from the link, keeps foreign parameters except the forgotten ones', () => {
    const s = new URLSearchParams(
      linkSearch('lesson=a&init=uniform&foo=9', '?data=d&lr=0.5&x=1&lesson=b', ['x']),
    );
    expect(s.get('init')).toBe('uniform');
    // The link names no learning rate: the default's, not the page's 0.5.
    expect(s.get('lr')).toBe(String(DEFAULT_CONFIG.learningRate));
    expect([s.get('data'), s.get('x'), s.get('lesson'), s.get('foo')]).toEqual(['d', null, 'a', '9']);
  });
});
