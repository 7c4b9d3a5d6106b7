/**
 * Each lesson's effect, in the engine, with the lesson's own settings (its query read by the URL reader),
 * on real MNIST and with generous margins. Lessons checked elsewhere: vanishing gradients in
 * lessonPhysics.test.ts, the uniform-init blow-up in test/engine/inspect.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { LESSONS } from '../../src/components/lessons/lessons';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/engine/types';
import { readUrlState } from '../../src/store/urlState';
import { buildStatsProbe, probeHealth } from '../../src/training/inspection';
import { TrainingSession } from '../../src/training/session';
import { loadMnist } from '../engine/helpers';

/** The config a lesson's set-up loads. */
function lessonConfig(id: string, setup = 0): TrainConfig {
  const lesson = LESSONS.find((l) => l.id === id)!;
  return readUrlState(`?${lesson.setups[setup]!.query}`).config;
}

/** The share of dead units in hidden layer 1 on the stats probe after `steps` batches (and the losses). */
function deadAfter(config: TrainConfig, steps: number): { dead: number; finite: boolean } {
  const data = loadMnist();
  const session = new TrainingSession(config, data);
  let finite = true;
  for (let i = 0; i < steps; i++) finite &&= Number.isFinite(session.trainBatch().loss);
  const health = probeHealth(session.network, buildStatsProbe(data.train));
  return { dead: health[0]!.deadFraction, finite };
}

describe('dead ReLUs (the default 256-128 network, SGD)', () => {
  it('at the lesson’s lr 1 most of hidden layer 1 dies within 50 steps, without diverging', () => {
    const { dead, finite } = deadAfter(lessonConfig('dead-relu'), 50);
    expect(dead).toBeGreaterThanOrEqual(0.5);
    expect(finite).toBe(true);
  });

  it('stays alive at lr 0.1 (B) and with the default Adam', () => {
    expect(deadAfter(lessonConfig('dead-relu', 1), 50).dead).toBeLessThanOrEqual(0.1);
    expect(deadAfter({ ...DEFAULT_CONFIG }, 50).dead).toBeLessThanOrEqual(0.1);
  });

  it('does not diverge over 300 steps at lr 1 (the lesson shows dying, not exploding)', () => {
    expect(deadAfter(lessonConfig('dead-relu'), 300).finite).toBe(true);
  });
});

describe('a learning rate too large', () => {
  it('SGD at the lesson’s lr 1000 reaches a non-finite loss within 10 steps', () => {
    const session = new TrainingSession(lessonConfig('lr-too-large'), loadMnist());
    let step = 0;
    while (step < 10 && Number.isFinite(session.trainBatch().loss)) step++;
    expect(step).toBeLessThan(10);
  });
});

describe('no hidden layer vs one', () => {
  it('one hidden layer of 128 beats logistic regression after the same 300 steps', () => {
    const accuracy = (config: TrainConfig) => {
      const session = new TrainingSession(config, loadMnist());
      for (let i = 0; i < 300; i++) session.trainBatch();
      return session.evaluate('test').accuracy;
    };
    const none = accuracy(lessonConfig('no-hidden'));
    const one = accuracy(lessonConfig('no-hidden', 1));
    expect(one).toBeGreaterThanOrEqual(none + 0.02);
  });
});

describe('overfitting and L2 (1,000 training images, constant rate)', () => {
  it('after 20 epochs the test-minus-train loss gap is smaller with the lesson’s L2', () => {
    const gap = (config: TrainConfig) => {
      const data = loadMnist();
      const session = new TrainingSession(config, data, { trainLimit: 1000 });
      for (let i = 0; i < 20 * session.batchesPerEpoch; i++) session.trainBatch();
      return session.evaluate('test', 2000).loss - session.evaluate('train', 1000).loss;
    };
    const without = gap(lessonConfig('overfitting'));
    const withL2 = gap(lessonConfig('overfitting', 1));
    expect(without).toBeGreaterThan(0.3);
    expect(withL2).toBeLessThan(without - 0.05);
  });
});

describe('the regularisation lab (1,000 training images, 1,000 validation)', () => {
  it('after 15 epochs L2, dropout and augmentation each leave a smaller validation-minus-train gap than none', () => {
    const gap = (config: TrainConfig) => {
      const session = new TrainingSession(config, loadMnist());
      for (let i = 0; i < 15 * session.batchesPerEpoch; i++) session.trainBatch();
      return session.evaluate('validation').loss - session.evaluate('train').loss;
    };
    const none = gap(lessonConfig('regularisation-lab'));
    expect(none).toBeGreaterThan(0.3);
    for (const setup of [1, 2, 3]) {
      expect(gap(lessonConfig('regularisation-lab', setup)), `set-up ${setup}`).toBeLessThan(none - 0.05);
    }
  });
});
