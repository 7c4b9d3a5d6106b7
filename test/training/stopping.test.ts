/**
 * The stop rules (src/training/stopping.ts) on their own, then in the trainer with a fake clock: a rule
 * fires, the run stops by itself, and the page is told why and where.
 */
import { describe, expect, it } from 'vitest';
import { smoothSeries } from '../../src/components/panels/LossChart/lossChartLayout';
import type { NetworkParams } from '../../src/engine/network';
import { Trainer } from '../../src/training/trainer';
import { SmoothedLoss, StopRules } from '../../src/training/stopping';
import { EventLog, FakeClock, mnistSlice, smallConfig } from './harness';

const params = (): NetworkParams => ({ weights: [], biases: [] });

describe('StopRules', () => {
  it('smooths the loss exactly as the loss chart does (β 0.98, debiased)', () => {
    const ys = Array.from({ length: 300 }, (_, i) => 2.3 * Math.exp(-i / 80) + 0.1 * Math.sin(i));
    const chart = smoothSeries(
      ys.map((_, i) => i + 1),
      ys,
      0.98,
    );
    const s = new SmoothedLoss();
    ys.forEach((y, i) => expect(s.add(y)).toBeCloseTo(chart[i]!, 12));
  });

  it('the loss tolerance fires once when the smoothed loss reaches it, and again only after rising above it', () => {
    const rules = new StopRules({ untilLoss: 0.5, patience: 0 });
    const fired: number[] = [];
    const losses = [
      ...Array(200).fill(1),
      ...Array(300).fill(0.2),
      ...Array(300).fill(2),
      ...Array(300).fill(0.2),
    ];
    losses.forEach((l, i) => rules.afterBatch(l) && fired.push(i));
    expect(fired).toHaveLength(2);
    expect(fired[0]).toBeGreaterThan(200);
    expect(fired[1]).toBeGreaterThan(800);
    expect(new StopRules({ untilLoss: 0, patience: 0 }).afterBatch(0)).toBe(false);
  });

  it('patience: stops after K evaluations without improvement and keeps the best one', () => {
    const rules = new StopRules({ untilLoss: 0, patience: 2 });
    const v = (loss: number) => ({ loss, accuracy: 0.9 });
    expect(rules.afterValidation(1, v(0.5), params)).toBe(false);
    expect(rules.afterValidation(2, v(0.4), params)).toBe(false);
    expect(rules.afterValidation(3, v(0.45), params)).toBe(false);
    expect(rules.afterValidation(4, v(0.4), params)).toBe(true); // equal is no improvement
    expect(rules.best).toMatchObject({ epoch: 2, validationLoss: 0.4 });
    rules.resume();
    expect(rules.afterValidation(5, v(NaN), params)).toBe(false);
    expect(rules.afterValidation(6, v(0.41), params)).toBe(true);
  });
});

function setup(config = smallConfig()) {
  const clock = new FakeClock();
  const log = new EventLog();
  const trainer = new Trainer({ post: log.post, clock, maxBatchesPerSlice: 4, evalLimit: 200 });
  trainer.setDataset(mnistSlice(2000, 200));
  trainer.handle({ type: 'configure', generation: 1, config });
  const ack = () => {
    for (const s of log.of('snapshot')) trainer.handle({ type: 'ack-snapshot', seq: s.seq });
    return false;
  };
  return { clock, log, trainer, ack };
}

describe('Trainer: stopping by itself', () => {
  it('the loss tolerance: stops after the batch whose smoothed loss reaches it, and says so before status done', () => {
    const { clock, log, trainer, ack } = setup(smallConfig({ untilLoss: 0.8 }));
    trainer.handle({ type: 'start' });
    clock.runUntil(() => log.of('stopped').length > 0 || trainer.currentStatus !== 'training' || ack());
    const [stopped] = log.of('stopped');
    expect(stopped).toMatchObject({
      generation: 1,
      reason: 'loss-tolerance',
      message: 'stopped: loss ≤ 0.8',
    });
    expect(stopped!.trainLoss).toBeLessThanOrEqual(0.8);
    expect(stopped!.step).toBe(trainer.step);
    expect(stopped!.bestEpoch).toBe(stopped!.epoch);
    expect(trainer.currentStatus).toBe('done');
    // The chart's smoothed line, over the points the page got, crosses 0.8 at that very step.
    const pts = log.points();
    expect(pts.at(-1)!.step).toBe(stopped!.step);
    const smooth = smoothSeries(
      pts.map((p) => p.step),
      pts.map((p) => p.loss),
    );
    expect(smooth.at(-1)).toBeCloseTo(stopped!.trainLoss, 5);
    expect(smooth.at(-2)).toBeGreaterThan(0.8);
    // The stopped event comes before the status that says done; nothing trains after it.
    const events = log.since(0);
    const at = events.indexOf(stopped!);
    expect(events.slice(at).find((e) => e.type === 'status')).toMatchObject({ status: 'done' });
    clock.run(50);
    expect(trainer.step).toBe(stopped!.step);
    // Train on: the rule waits until the loss has been above the tolerance again.
    trainer.handle({ type: 'start' });
    clock.run(30);
    expect(trainer.step).toBeGreaterThan(stopped!.step);
  });

  it('early stopping: the validation figures arrive at every epoch end; the best weights come back', () => {
    const config = smallConfig({
      trainSize: 300,
      validation: 500,
      patience: 1,
      learningRate: 1e-2,
      hidden: [64],
      epochs: 200,
    });
    const { clock, log, trainer, ack } = setup(config);
    trainer.handle({ type: 'start' });
    clock.runUntil(() => log.of('stopped').length > 0 || ack(), 1_000_000);
    const ends = log.of('epoch-end');
    for (const e of ends) {
      expect(e.validationLoss).toBeGreaterThan(0);
      expect(e.validationAccuracy).toBeGreaterThan(0);
    }
    const [stopped] = log.of('stopped');
    expect(stopped!.reason).toBe('early-stopping');
    expect(stopped!.bestEpoch).toBe(stopped!.epoch - 1);
    expect(stopped!.message).toBe(`early stop: best epoch ${stopped!.bestEpoch}, weights restored`);
    const best = ends[stopped!.bestEpoch - 1]!;
    expect(Math.min(...ends.map((e) => e.validationLoss!))).toBe(best.validationLoss);
    expect(stopped!.testAccuracy).toBe(best.testAccuracy);
    expect(trainer.currentStatus).toBe('done');
    // The network holds the best epoch's weights again.
    const restored = trainer.currentSession!.evaluate('validation');
    expect(restored.loss).toBeCloseTo(best.validationLoss!, 6);
  });
});
