import { describe, expect, it } from 'vitest';
import { announcement } from '../../src/components/ui/Announcer';
import { INITIAL_RUN_STATE, type RunState } from '../../src/store/run';

const ready: RunState = {
  ...INITIAL_RUN_STATE,
  data: { ...INITIAL_RUN_STATE.data, counts: { train: 60000, test: 10000 } },
};
const epoch = (n: number, acc: number) => ({
  epoch: n,
  step: n * 938,
  trainLoss: 0.3,
  trainAccuracy: 0.9,
  testLoss: 0.2,
  testAccuracy: acc,
});

describe('announcement', () => {
  it('says status changes and epoch results, once each', () => {
    expect(announcement(ready, INITIAL_RUN_STATE)).toBe(
      'Data loaded: 60,000 training and 10,000 test images.',
    );
    const training = { ...ready, status: 'training' as const };
    expect(announcement(training, ready)).toBe('Training.');
    const later = { ...training, step: 500 };
    expect(announcement(later, training), 'not on every step').toBeNull();
    const epoch1 = { ...later, epochs: [epoch(1, 0.9741)] };
    expect(announcement(epoch1, later)).toBe('Epoch 1: test accuracy 97.4%.');
    const paused = { ...epoch1, status: 'paused' as const, step: 1200 };
    expect(announcement(paused, epoch1)).toBe('Paused at step 1,200.');
    const done = { ...paused, status: 'done' as const, epochs: [epoch(1, 0.97), epoch(2, 0.98)] };
    expect(announcement(done, paused)).toBe('Epoch 2: test accuracy 98.0%. Training done.');
    const diverged = {
      ...training,
      status: 'diverged' as const,
      diverged: { step: 3, lastFiniteLoss: 1e26, message: 'The loss exploded' },
    };
    expect(announcement(diverged, training)).toBe('Training stopped at step 3: the loss diverged.');
    expect(announcement({ ...ready }, paused)).toBe('Network reset.');
  });
});
