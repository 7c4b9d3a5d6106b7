import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/data/dataset';
import { DataError } from '../../src/data/errors';
import { serializeModel } from '../../src/engine/modelFile';
import { realClock } from '../../src/training/clock';
import { TrainingSession } from '../../src/training/session';
import { Trainer, type TrainerOptions } from '../../src/training/trainer';
import type { DataProgress, WorkerEvent } from '../../src/protocol/messages';
import { EventLog, FakeClock, mnistSlice, smallConfig } from './harness';

const TRAIN = 2000;
const TEST = 300;

function setup(opts: Partial<TrainerOptions> = {}, config = smallConfig(), data?: Dataset) {
  const clock = new FakeClock();
  const log = new EventLog();
  const trainer = new Trainer({
    post: log.post,
    clock,
    maxBatchesPerSlice: 4,
    evalLimit: TEST,
    ...opts,
  });
  trainer.setDataset(data ?? mnistSlice(TRAIN, TEST));
  trainer.handle({ type: 'configure', generation: 1, config });
  return { clock, log, trainer };
}

function mean(a: number[]): number {
  return a.reduce((s, v) => s + v, 0) / a.length;
}

function isFiniteDeep(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  if (ArrayBuffer.isView(v)) return Array.from(v as Float32Array).every((x) => Number.isFinite(x));
  if (Array.isArray(v)) return v.every(isFiniteDeep);
  if (v && typeof v === 'object') return Object.values(v).every(isFiniteDeep);
  return true;
}

function paramsOf(e: Extract<WorkerEvent, { type: 'snapshot' }>) {
  return e.layers.map((l) => [l.weights, l.biases]);
}

describe('Trainer', () => {
  it('start → metric points arrive, every step once, with decreasing loss', () => {
    const { clock, log, trainer } = setup();
    trainer.handle({ type: 'start' });
    expect(log.lastStatus()?.status).toBe('training');
    clock.runUntil(() => log.points().length >= 120);
    const pts = log.points();
    // Consecutive steps from 1, each exactly once, all finite.
    pts.forEach((p, i) => expect(p.step).toBe(i + 1));
    expect(pts.every((p) => Number.isFinite(p.loss) && p.accuracy >= 0 && p.accuracy <= 1)).toBe(true);
    const first = mean(pts.slice(0, 20).map((p) => p.loss));
    const last = mean(pts.slice(100, 120).map((p) => p.loss));
    expect(first).toBeGreaterThan(1.5); // ≈ ln 10 at the start
    expect(last).toBeLessThan(first * 0.6);
    // Metrics are batched: far fewer events than points.
    expect(log.of('metrics').length).toBeLessThan(pts.length / 4);
    // A status with throughput arrives while training.
    expect(log.of('status').some((s) => s.status === 'training' && s.step > 0)).toBe(true);
  });

  it('pause stops the points; nothing is left scheduled but timers', () => {
    const { clock, log, trainer } = setup();
    trainer.handle({ type: 'start' });
    clock.run(10);
    trainer.handle({ type: 'pause' });
    const stepAtPause = trainer.step;
    expect(stepAtPause).toBeGreaterThan(0);
    // All points up to the pause were flushed with the status change.
    expect(log.points().length).toBe(stepAtPause);
    expect(log.lastStatus()).toMatchObject({ status: 'paused', step: stepAtPause });
    const before = log.points().length;
    clock.run(200);
    expect(trainer.step).toBe(stepAtPause);
    expect(log.points().length).toBe(before);
    expect(clock.pending()).toBe(0);
  });

  it('step advances exactly one batch, then pauses', () => {
    const { clock, log, trainer } = setup();
    trainer.handle({ type: 'step' });
    expect(trainer.step).toBe(1);
    expect(log.points().map((p) => p.step)).toEqual([1]);
    expect(log.lastStatus()).toMatchObject({ status: 'paused', step: 1 });
    trainer.handle({ type: 'step' });
    trainer.handle({ type: 'step' });
    clock.run(50);
    expect(trainer.step).toBe(3);
    expect(log.points().map((p) => p.step)).toEqual([1, 2, 3]);
    // Step during training: one more batch, then paused.
    trainer.handle({ type: 'start' });
    clock.run(3);
    const s = trainer.step;
    trainer.handle({ type: 'step' });
    clock.run(20);
    expect(trainer.step).toBe(s + 1);
    expect(trainer.currentStatus).toBe('paused');
  });

  it('Step pressed while the epoch ends: the evaluation finishes, then that step is taken, then paused', () => {
    // 320 rows of batch 32: step 10 ends epoch 1. Time passes on every clock read, so the evaluation
    // of 300 test images in chunks of 50 spans several ticks and Step arrives while it runs.
    const clock = new FakeClock(25, 2);
    const log = new EventLog();
    const trainer = new Trainer({ post: log.post, clock, evalLimit: TEST, evalChunk: 50 });
    trainer.setDataset(mnistSlice(320, TEST));
    trainer.handle({ type: 'configure', generation: 1, config: smallConfig({ epochs: 3 }) });
    for (let i = 0; i < 10; i++) trainer.handle({ type: 'step' });
    expect(trainer.step).toBe(10);
    expect(log.of('epoch-end')).toHaveLength(0);
    trainer.handle({ type: 'step' });
    // Not dropped: once the epoch is evaluated, step 11 follows, and the run is paused again.
    clock.runUntil(() => trainer.step === 11);
    expect(log.of('epoch-end').map((e) => e.step)).toEqual([10]);
    expect(log.points().map((p) => p.step)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    expect(log.lastStatus()).toMatchObject({ status: 'paused', step: 11 });
    clock.run(50);
    expect(trainer.step).toBe(11);

    // Pause while the evaluation runs cancels the waiting step.
    for (let i = 0; i < 9; i++) trainer.handle({ type: 'step' });
    expect(trainer.step).toBe(20);
    trainer.handle({ type: 'step' });
    trainer.handle({ type: 'pause' });
    clock.runUntil(() => log.of('epoch-end').length === 2);
    clock.run(50);
    expect(trainer.step).toBe(20);

    // At the last epoch's end the run is done: a waiting step is not taken.
    for (let i = 0; i < 10; i++) trainer.handle({ type: 'step' });
    trainer.handle({ type: 'step' });
    clock.runUntil(() => trainer.currentStatus === 'done');
    clock.run(50);
    expect(trainer.step).toBe(30);
  });

  it('reset restores the seeded initial weights (bit for bit) and the step count', () => {
    const config = smallConfig();
    const { clock, log, trainer } = setup({}, config);
    const fresh = new TrainingSession(config, mnistSlice(TRAIN, TEST)).network.getParams();
    trainer.handle({ type: 'start' });
    clock.run(10);
    const trained = trainer.currentSession!.network.getParams();
    expect(trained.weights[0]).not.toEqual(fresh.weights[0]);
    trainer.handle({ type: 'reset', generation: 2 });
    expect(trainer.step).toBe(0);
    expect(trainer.currentStatus).toBe('idle');
    const after = trainer.currentSession!.network.getParams();
    after.weights.forEach((w, l) => expect(w).toEqual(fresh.weights[l]));
    after.biases.forEach((b, l) => expect(b).toEqual(fresh.biases[l]));
    // The page sees the reset weights in the next snapshot, under the new generation.
    clock.runUntil(() => log.of('snapshot').some((s) => s.generation === 2) || ackAll(trainer, log));
    const snap = log.of('snapshot').find((s) => s.generation === 2)!;
    expect(snap.step).toBe(0);
    paramsOf(snap).forEach(([w, b], l) => {
      expect(w).toEqual(fresh.weights[l]);
      expect(b).toEqual(fresh.biases[l]);
    });
    // Training again reproduces the first run's losses exactly.
    const firstRun = log.points().filter((p) => p.generation === 1);
    trainer.handle({ type: 'start' });
    clock.runUntil(() => log.points().filter((p) => p.generation === 2).length >= firstRun.length);
    const second = log.points().filter((p) => p.generation === 2);
    expect(second.slice(0, firstRun.length).map((p) => p.loss)).toEqual(firstRun.map((p) => p.loss));
  });

  it('predict answers at once while training, with probabilities and every layer', () => {
    const { clock, log, trainer } = setup();
    trainer.handle({ type: 'start' });
    clock.run(5);
    const pixels = new Float32Array(784);
    const img = mnistSlice(TRAIN, TEST).test.images.subarray(0, 784);
    img.forEach((v, i) => (pixels[i] = v / 255));
    const n = log.count();
    trainer.handle({ type: 'predict', id: 7, pixels });
    // Answered synchronously, i.e. between two slices, not after the epoch.
    const answer = log.since(n).find((e) => e.type === 'prediction');
    expect(answer).toBeDefined();
    if (answer?.type !== 'prediction') throw new Error('no prediction');
    expect(answer.id).toBe(7);
    expect(answer.generation).toBe(1);
    const sum = answer.probabilities.reduce((s, p) => s + p, 0);
    expect(sum).toBeCloseTo(1, 5);
    expect(answer.activations.map((a) => a.length)).toEqual([784, 32, 16, 10]);
    expect(answer.activations[0]).toEqual(pixels);
    expect(trainer.currentStatus).toBe('training');
    const s = trainer.step;
    clock.run(3);
    expect(trainer.step).toBeGreaterThan(s);
    // Bad input: an error naming the id, training untouched.
    trainer.handle({ type: 'predict', id: 8, pixels: new Float32Array(3) });
    expect(log.of('error').at(-1)).toMatchObject({ id: 8 });
  });

  it('configure mid-run: every event after it carries the new generation', () => {
    const { clock, log, trainer } = setup();
    trainer.handle({ type: 'start' });
    clock.run(8);
    expect(trainer.snapshotPending).not.toBeNull(); // an old snapshot is in flight, never acked
    const cut = log.count();
    trainer.handle({ type: 'configure', generation: 2, config: smallConfig({ hidden: [24] }) });
    trainer.handle({ type: 'start' });
    clock.runUntil(() => log.points().filter((p) => p.generation === 2).length >= 30);
    const after = log.since(cut);
    for (const e of after) {
      if ('generation' in e) expect(e.generation).toBe(2);
    }
    // The new network is the one shown: its first snapshot has the new shape, and steps restart at 1.
    const snap = after.find((e) => e.type === 'snapshot');
    if (snap?.type !== 'snapshot') throw new Error('no snapshot after configure');
    expect(snap.layers.map((l) => [l.inSize, l.outSize])).toEqual([
      [784, 24],
      [24, 10],
    ]);
    expect(log.points().find((p) => p.generation === 2)?.step).toBe(1);
  });

  it('back-pressure: with the page never acking, one snapshot in flight and every metric point delivered', () => {
    const { clock, log, trainer } = setup({ maxBatchesPerSlice: 2 });
    trainer.handle({ type: 'start' });
    // 300 slices × 25 ms = 7.5 s of training: the rate alone would allow ~110 snapshots.
    clock.run(300);
    expect(log.of('snapshot').length).toBe(1);
    const pts = log.points();
    trainer.handle({ type: 'pause' });
    const all = log.points();
    expect(all.length).toBe(trainer.step);
    all.forEach((p, i) => expect(p.step).toBe(i + 1));
    expect(pts.length).toBeGreaterThan(400);
    // Acking releases exactly one more (the newest state, coalesced).
    trainer.handle({ type: 'ack-snapshot', seq: log.of('snapshot')[0]!.seq });
    clock.run(5);
    const snaps = log.of('snapshot');
    expect(snaps.length).toBe(2);
    expect(snaps[1]!.step).toBe(trainer.step);
  });

  it('snapshots: throttled to perSecond when acked at once, with stats and the probe', () => {
    const { clock, log, trainer } = setup({ snapshotsPerSecond: 10, maxBatchesPerSlice: 1 });
    let acked = 0;
    const t0 = clock.t;
    trainer.handle({ type: 'start' });
    for (let i = 0; i < 400; i++) {
      clock.runNext();
      for (const s of log.of('snapshot').slice(acked)) {
        trainer.handle({ type: 'ack-snapshot', seq: s.seq });
        acked++;
      }
    }
    const seconds = (clock.t - t0) / 1000;
    const snaps = log.of('snapshot');
    expect(snaps.length).toBeGreaterThan(seconds * 10 * 0.8);
    expect(snaps.length).toBeLessThanOrEqual(seconds * 10 + 1);
    const s = snaps.at(-1)!;
    expect(s.layers.map((l) => [l.inSize, l.outSize, l.activation])).toEqual([
      [784, 32, 'relu'],
      [32, 16, 'relu'],
      [16, 10, 'softmax'],
    ]);
    for (const l of s.layers) {
      expect(l.weights.length).toBe(l.inSize * l.outSize);
      expect(l.gradNorm).toBeGreaterThan(0);
      expect(l.updateRatio).toBeGreaterThan(0);
      expect(l.activationStats.std).toBeGreaterThan(0);
    }
    expect(s.probe.pixels.length).toBe(784);
    expect(s.probe.label).toBe(mnistSlice(TRAIN, TEST).test.labels[0]);
    expect(s.probe.activations.map((a) => a.length)).toEqual([784, 32, 16, 10]);
    // The snapshot's weights are the network's at that step.
    trainer.handle({ type: 'pause' });
    expect(isFiniteDeep(snaps)).toBe(true);
  });

  it('divergence: a huge learning rate stops within the batch, reports step and last finite loss', () => {
    const { clock, log, trainer } = setup({}, smallConfig({ optimizer: 'sgd', learningRate: 1e6 }));
    trainer.handle({ type: 'start' });
    clock.runUntil(() => trainer.currentStatus === 'diverged');
    const d = log.of('diverged');
    expect(d.length).toBe(1);
    const ev = d[0]!;
    const pts = log.points();
    // Every batch before the bad one was reported; the bad one (and nothing after it) was not.
    expect(pts.map((p) => p.step)).toEqual(Array.from({ length: ev.step - 1 }, (_, i) => i + 1));
    expect(trainer.step).toBe(ev.step);
    // Metrics travel as float32; the event carries the float64 figure.
    expect(Math.fround(ev.lastFiniteLoss)).toBe(pts.at(-1)!.loss);
    expect(ev.message).toContain(`step ${ev.step}`);
    expect(ev.message).toContain('smaller learning rate');
    expect(log.lastStatus()).toMatchObject({ status: 'diverged', step: ev.step });
    // Nothing non-finite anywhere the page could draw.
    for (const e of log.events) {
      if (e.type === 'metrics' || e.type === 'snapshot' || e.type === 'status' || e.type === 'diverged') {
        expect(isFiniteDeep(e)).toBe(true);
      }
    }
    // Stopped: nothing more happens.
    const n = log.points().length;
    clock.run(100);
    expect(log.points().length).toBe(n);
    expect(trainer.step).toBe(ev.step);
  });

  it('a model file that does not fit the data or has blown-up weights is refused; the model stays', () => {
    const config = smallConfig();
    const { log, trainer } = setup({}, config);
    const donorFor = (c: typeof config) => new TrainingSession(c, mnistSlice(TRAIN, TEST));
    const before = trainer.currentSession!.network.getParams();
    const refuse = (id: number, text: string): string => {
      trainer.handle({ type: 'load-model', id, generation: 10 + id, text });
      const err = log.of('error').at(-1)!;
      expect(err.id).toBe(id);
      return err.error.message;
    };
    // 5 outputs on 10-class data: refused, naming the field and the classes.
    const five = donorFor({ ...config, outputSize: 5 });
    expect(refuse(1, serializeModel(five.network, five.config))).toMatch(
      /config\.outputSize: the model has 5 outputs, .* 10 classes/,
    );
    // Finite weights of 3e38 (or 1e30): refused — they would blow up at step 0.
    for (const [id, big] of [
      [2, 3e38],
      [3, 1e30],
    ] as const) {
      const donor = donorFor(config);
      const p = donor.network.getParams();
      donor.network.setParams({ weights: p.weights.map((w) => w.fill(big)), biases: p.biases });
      expect(refuse(id, serializeModel(donor.network, config))).toMatch(
        /layers\[0\]\.weights: .*beyond ±10000/,
      );
    }
    expect(log.of('model-loaded').length).toBe(0);
    expect(trainer.currentGeneration).toBe(1);
    expect(trainer.currentSession!.network.getParams().weights[0]).toEqual(before.weights[0]);
  });

  it('divergence with a finite loss (Adam at lr 1000): stopped at step 4 with the plain-language notice', () => {
    const { clock, log, trainer } = setup({}, smallConfig({ learningRate: 1000 }));
    trainer.handle({ type: 'start' });
    clock.runUntil(() => trainer.currentStatus === 'diverged');
    const ev = log.of('diverged')[0]!;
    expect(ev.step).toBe(4);
    expect(ev.message).toMatch(
      /^Training diverged at step 4: the loss exploded to .*try a smaller learning rate$/,
    );
    // The exploded losses are finite, so they were reported (and drawn); nothing after the verdict.
    expect(log.points().map((p) => p.step)).toEqual([1, 2, 3, 4]);
    expect(log.lastStatus()).toMatchObject({ status: 'diverged', step: 4 });
    // Training on anyway (the user insists): no second notice a few batches later.
    trainer.handle({ type: 'start' });
    clock.run(20);
    expect(log.of('diverged').length).toBe(1);
    expect(trainer.step).toBeGreaterThan(10);
  });

  it('finite weights whose activations overflow are never drawn: no snapshot, a divergence instead', () => {
    const config = smallConfig();
    const { clock, log, trainer } = setup({}, config);
    ackAll(trainer, log);
    // Weights so large (finite, but far beyond what a model file may bring) that every activation
    // overflows: put straight into the session, as a blow-up in training would.
    const net = trainer.currentSession!.network;
    const p = net.getParams();
    net.setParams({ weights: p.weights.map((w) => w.fill(1e30)), biases: p.biases });
    const snapsBefore = log.of('snapshot').length;
    trainer.handle({ type: 'set-inspect', on: true });
    clock.run(20);
    expect(log.of('snapshot').length).toBe(snapsBefore);
    const d = log.of('diverged').at(-1)!;
    expect(d.generation).toBe(1);
    expect(d.message).toMatch(/no longer finite/);
    expect(trainer.currentStatus).toBe('diverged');
    // A predict on it is refused rather than answered with NaN.
    trainer.handle({ type: 'predict', id: 3, pixels: new Float32Array(784).fill(0.5) });
    expect(log.of('prediction').length).toBe(0);
    expect(log.of('error').at(-1)).toMatchObject({ id: 3, error: { kind: 'non-finite' } });
  });

  it('epoch end: evaluates the test set (chunked) and reports the confusion matrix; stops at config.epochs', () => {
    const data = mnistSlice(320, TEST);
    // 10 batches per epoch; time passes on every clock read so evaluation is cut into slices.
    const clock = new FakeClock(25, 2);
    const log = new EventLog();
    const trainer = new Trainer({ post: log.post, clock, evalLimit: TEST, evalChunk: 50 });
    trainer.setDataset(data);
    trainer.handle({ type: 'configure', generation: 1, config: smallConfig({ epochs: 2 }) });
    trainer.handle({ type: 'start' });
    let predictedDuringEval = false;
    clock.runUntil(() => {
      if (log.of('epoch-end').length === 0 && trainer.step === 10 && !predictedDuringEval) {
        // The epoch's evaluation is running: a predict is still answered at once.
        const n = log.count();
        trainer.handle({ type: 'predict', id: 1, pixels: new Float32Array(784) });
        predictedDuringEval = log.since(n).some((e) => e.type === 'prediction');
      }
      return trainer.currentStatus === 'done';
    });
    expect(predictedDuringEval).toBe(true);
    const ends = log.of('epoch-end');
    expect(ends.map((e) => [e.epoch, e.step])).toEqual([
      [1, 10],
      [2, 20],
    ]);
    for (const e of ends) {
      expect(e.confusion.length).toBe(100);
      expect(e.confusion.reduce((s, v) => s + v, 0)).toBe(TEST);
      let diag = 0;
      for (let k = 0; k < 10; k++) diag += e.confusion[k * 11]!;
      expect(e.testAccuracy).toBeCloseTo(diag / TEST, 10);
      expect(e.testLoss).toBeGreaterThan(0);
      expect(e.trainAccuracy).toBeGreaterThan(0);
    }
    // Matches a direct evaluation of the same network.
    const direct = trainer.currentSession!.evaluate('test', TEST);
    expect(ends[1]!.testAccuracy).toBeCloseTo(direct.accuracy, 10);
    expect(ends[1]!.testLoss).toBeCloseTo(direct.loss, 5);
    expect(trainer.step).toBe(20);
    // Every metric point arrived before the epoch-end that follows it.
    const idxEnd = log.events.indexOf(ends[1]!);
    const ptsBefore = log.events
      .slice(0, idxEnd)
      .filter((e) => e.type === 'metrics')
      .reduce((s, e) => s + (e.type === 'metrics' ? e.loss.length : 0), 0);
    expect(ptsBefore).toBe(20);
    // Start when done does nothing.
    trainer.handle({ type: 'start' });
    clock.run(20);
    expect(trainer.step).toBe(20);
  });

  it('slices shrink while the user draws, so predicts wait less', () => {
    // Every clock read advances 1 ms: a slice ends by time, not by a batch cap.
    const clock = new FakeClock(0, 1);
    const log = new EventLog();
    const trainer = new Trainer({
      post: log.post,
      clock,
      sliceMs: 25,
      interactiveSliceMs: 8,
      interactiveWindowMs: 500,
    });
    // 10k samples: no epoch end (whose evaluation slice trains no batch) inside the measured ticks.
    trainer.setDataset(mnistSlice(10_000, TEST));
    trainer.handle({ type: 'configure', generation: 1, config: smallConfig() });
    trainer.handle({ type: 'start' });
    const batchesPerTick = (ticks: number) => {
      const s0 = trainer.step;
      clock.run(ticks);
      return (trainer.step - s0) / ticks;
    };
    const normal = batchesPerTick(8);
    trainer.handle({ type: 'predict', id: 1, pixels: new Float32Array(784) });
    const drawing = batchesPerTick(5);
    expect(drawing).toBeLessThan(normal / 2);
    expect(drawing).toBeGreaterThanOrEqual(1);
    // The window passes: long slices again.
    clock.t += 1000;
    expect(batchesPerTick(8)).toBeGreaterThan(normal * 0.8);
  });

  it('speed: N batches per second', () => {
    const { clock, trainer } = setup({ maxBatchesPerSlice: Infinity });
    trainer.handle({ type: 'set-speed', speed: 4 });
    trainer.handle({ type: 'start' });
    const t0 = clock.t;
    clock.runUntil(() => clock.t - t0 >= 5000);
    // 5 s at 4 batches/s (± one for the boundaries).
    expect(trainer.step).toBeGreaterThanOrEqual(19);
    expect(trainer.step).toBeLessThanOrEqual(21);
  });

  it('update-config changes hyper-parameters mid-run, keeping weights and the step count', () => {
    const { clock, log, trainer } = setup();
    trainer.handle({ type: 'start' });
    clock.run(10);
    trainer.handle({ type: 'pause' });
    const step = trainer.step;
    const before = trainer.currentSession!.network.getParams();
    trainer.handle({ type: 'update-config', config: smallConfig({ learningRate: 1e-4, batchSize: 16 }) });
    expect(trainer.step).toBe(step);
    expect(trainer.currentSession!.network.getParams().weights[0]).toEqual(before.weights[0]);
    expect(trainer.currentSession!.config.learningRate).toBe(1e-4);
    expect(log.lastStatus()).toMatchObject({ learningRate: 1e-4, step });
    trainer.handle({ type: 'step' });
    expect(log.points().at(-1)!.step).toBe(step + 1);
    // Another optimizer: fresh moments, same weights and step count.
    trainer.handle({ type: 'update-config', config: smallConfig({ optimizer: 'sgd', learningRate: 0.05 }) });
    trainer.handle({ type: 'step' });
    expect(log.points().at(-1)!.step).toBe(step + 2);
    // Shape changes are refused.
    trainer.handle({ type: 'update-config', config: smallConfig({ hidden: [8] }) });
    expect(log.of('error').at(-1)!.error.kind).toBe('invalid-config');
    expect(trainer.currentGeneration).toBe(1);
  });

  it('update-config that changes nothing about the maths continues bit for bit (position and moments kept)', () => {
    const straight = setup();
    straight.trainer.handle({ type: 'start' });
    straight.clock.runUntil(() => straight.trainer.step >= 90);
    straight.trainer.handle({ type: 'pause' });
    const expected = straight.log.points().slice(0, 90);

    const { clock, log, trainer } = setup();
    trainer.handle({ type: 'start' });
    clock.runUntil(() => trainer.step >= 40);
    // Epochs to run only matters at epoch ends; the batch order, the moments and the schedule carry on.
    trainer.handle({ type: 'update-config', config: smallConfig({ epochs: 50 }) });
    clock.runUntil(() => trainer.step >= 90);
    trainer.handle({ type: 'pause' });
    const got = log.points().slice(0, 90);
    expect(got.map((p) => p.step)).toEqual(expected.map((p) => p.step));
    expect(got.map((p) => p.loss)).toEqual(expected.map((p) => p.loss));
    // Past an epoch end (2000 / 32 → 63 batches per epoch): the epoch counter continued too.
    expect(got.at(-1)!.epoch).toBe(1);
  });

  it('checkpoint → configure with resume continues the run bit for bit; a checkpoint that does not fit starts afresh', () => {
    const { clock, log, trainer } = setup();
    trainer.handle({ type: 'start' });
    clock.run(6);
    trainer.handle({ type: 'pause' });
    trainer.handle({ type: 'checkpoint', id: 7 });
    const cp = log.of('checkpoint')[0]!;
    expect(cp).toMatchObject({ id: 7, generation: 1, checkpoint: { step: trainer.step } });
    const saved = structuredClone(cp.checkpoint);
    const next = trainer.currentSession!.trainBatch().loss;

    // A new trainer (a restarted worker): configure arrives with the checkpoint, before the data.
    const log2 = new EventLog();
    const again = new Trainer({
      post: log2.post,
      clock: new FakeClock(),
      maxBatchesPerSlice: 4,
      evalLimit: TEST,
    });
    again.handle({ type: 'configure', generation: 2, config: smallConfig(), resume: saved });
    again.setDataset(mnistSlice(TRAIN, TEST));
    expect(again.step).toBe(saved.step);
    expect(log2.lastStatus()).toMatchObject({ generation: 2, status: 'idle', step: saved.step });
    expect(again.currentSession!.trainBatch().loss).toBe(next);

    const bad = { ...saved, params: { ...saved.params, weights: saved.params.weights.slice(1) } };
    again.handle({ type: 'configure', generation: 3, config: smallConfig(), resume: bad });
    expect(log2.of('error').at(-1)!.error).toMatchObject({ kind: 'resume-failed' });
    expect(again.step).toBe(0);
  });

  it('save-model → load-model round trip; a bad file leaves the model untouched', () => {
    const { clock, log, trainer } = setup();
    trainer.handle({ type: 'start' });
    clock.run(6);
    trainer.handle({ type: 'pause' });
    trainer.handle({ type: 'save-model', id: 1 });
    const saved = log.of('model-saved')[0]!;
    expect(saved.id).toBe(1);
    const params = trainer.currentSession!.network.getParams();

    trainer.handle({ type: 'load-model', id: 2, generation: 5, text: '{"format":"nope"}' });
    const err = log.of('error').at(-1)!;
    expect(err.id).toBe(2);
    expect(err.error.message).toMatch(/not a Backprop Lab model file/);
    expect(trainer.currentGeneration).toBe(1);
    expect(trainer.currentSession!.network.getParams().weights[0]).toEqual(params.weights[0]);

    trainer.handle({ type: 'reset', generation: 2 });
    trainer.handle({ type: 'load-model', id: 3, generation: 3, text: saved.text });
    expect(log.of('model-loaded').at(-1)).toMatchObject({ id: 3, generation: 3 });
    expect(trainer.currentGeneration).toBe(3);
    const loaded = trainer.currentSession!.network.getParams();
    loaded.weights.forEach((w, l) => expect(w).toEqual(params.weights[l]));

    trainer.handle({ type: 'export-tfjs', id: 4 });
    const tf = log.of('tfjs-exported')[0]!;
    expect(JSON.parse(tf.modelJson).format).toBe('layers-model');
    const floats =
      params.weights.reduce((s, w) => s + w.length, 0) + params.biases.reduce((s, b) => s + b.length, 0);
    expect(tf.weightsBin.byteLength).toBe(floats * 4);
  });

  it('load-data: progress, ready, and a start before the data arrived begins once it did', async () => {
    const clock = new FakeClock();
    const log = new EventLog();
    const data = mnistSlice(200, 100);
    let release: () => void = () => {};
    const loadData: TrainerOptions['loadData'] = (_base, name, onProgress) =>
      new Promise<Dataset>((resolve) => {
        const p = (r: number): DataProgress => ({
          dataset: name,
          files: [{ file: 'x.gz', received: r, total: 10 }],
        });
        onProgress(p(5));
        release = () => {
          onProgress(p(10));
          resolve(data);
        };
      });
    const trainer = new Trainer({ post: log.post, clock, loadData, maxBatchesPerSlice: 2 });
    trainer.handle({ type: 'load-data', dataset: 'mnist', baseUrl: 'http://x/' });
    trainer.handle({ type: 'configure', generation: 1, config: smallConfig() });
    trainer.handle({ type: 'start' });
    expect(trainer.currentStatus).toBe('idle');
    release();
    await Promise.resolve();
    await Promise.resolve();
    expect(log.of('data-progress').map((e) => e.progress.files[0]!.received)).toEqual([5, 10]);
    expect(log.of('data-ready')[0]).toMatchObject({ dataset: 'mnist', trainCount: 200, testCount: 100 });
    expect(trainer.currentStatus).toBe('training');
    clock.run(5);
    expect(trainer.step).toBeGreaterThan(0);

    // A failing load reports the loader's plain-language error.
    const failing = new Trainer({
      post: log.post,
      clock,
      loadData: () => Promise.reject(new DataError('truncated', 'train-images-idx3-ubyte.gz', 'cut short')),
    });
    failing.handle({ type: 'load-data', dataset: 'mnist', baseUrl: 'http://x/' });
    await new Promise((r) => setTimeout(r, 0));
    expect(log.of('data-error').at(-1)!.error).toEqual({
      kind: 'truncated',
      file: 'train-images-idx3-ubyte.gz',
      message: 'cut short',
    });
  });

  it('an unexpected failure becomes an error event; the trainer keeps serving', () => {
    const { clock, log, trainer } = setup();
    trainer.handle({ type: 'start' });
    clock.run(3);
    const session = trainer.currentSession!;
    const original = session.trainMicroBatch.bind(session);
    session.trainMicroBatch = () => {
      throw new Error('boom');
    };
    clock.run(3);
    expect(log.of('error').at(-1)!.error).toMatchObject({ kind: 'internal', message: 'boom' });
    expect(trainer.currentStatus).toBe('paused');
    session.trainMicroBatch = original;
    trainer.handle({ type: 'predict', id: 9, pixels: new Float32Array(784) });
    expect(log.of('prediction').at(-1)!.id).toBe(9);
    trainer.handle({ type: 'start' });
    const s = trainer.step;
    clock.run(3);
    expect(trainer.step).toBeGreaterThan(s);
  });

  it('runs on the real clock and pauses', async () => {
    const log = new EventLog();
    const trainer = new Trainer({ post: log.post, clock: realClock(), evalLimit: TEST });
    trainer.setDataset(mnistSlice(TRAIN, TEST));
    trainer.handle({ type: 'configure', generation: 1, config: smallConfig() });
    trainer.handle({ type: 'start' });
    while (log.points().length < 50) await new Promise((r) => setTimeout(r, 5));
    trainer.handle({ type: 'pause' });
    const n = trainer.step;
    await new Promise((r) => setTimeout(r, 50));
    expect(trainer.step).toBe(n);
    expect(log.points().length).toBe(n);
  });
});

/** Acks every snapshot seen so far; returns false (for use inside runUntil conditions). */
function ackAll(trainer: Trainer, log: EventLog): boolean {
  for (const s of log.of('snapshot')) trainer.handle({ type: 'ack-snapshot', seq: s.seq });
  return false;
}

/** setup() on a clock of the test's own (one whose now() moves). */
function setupOn(clock: FakeClock, config: ReturnType<typeof smallConfig>) {
  const log = new EventLog();
  const trainer = new Trainer({ post: log.post, clock, maxBatchesPerSlice: 4, evalLimit: TEST });
  trainer.setDataset(mnistSlice(TRAIN, TEST));
  trainer.handle({ type: 'configure', generation: 1, config });
  return { clock, log, trainer };
}

describe('Trainer, batches of micro-batches', () => {
  // 784-256-64-10: micro-batches of ≤ 153 rows; batches of 1,000 are 7 of them, the 2,000 images 2 steps.
  const big = smallConfig({ hidden: [256, 64], batchSize: 1000 });

  it('a step spans slices: its progress in the status, Pause in the middle, Step finishes it, then pauses', () => {
    // A micro-batch or two a slice: every now() moves the clock 30 ms.
    const { clock, log, trainer } = setupOn(new FakeClock(25, 30), big);
    trainer.handle({ type: 'start' });
    clock.runUntil(() => (log.lastStatus()?.stepRows?.done ?? 0) > 0);
    const progress = log.lastStatus()!.stepRows!;
    expect(progress.of).toBe(1000);
    expect(progress.done).toBeLessThan(1000);
    expect(trainer.step).toBe(0);
    trainer.handle({ type: 'pause' });
    expect(log.lastStatus()).toMatchObject({ status: 'paused', step: 0 });
    expect(log.lastStatus()!.stepRows!.done).toBeGreaterThan(0);
    // Step: the rest of the batch, across slices, then paused again with step 1 done.
    trainer.handle({ type: 'step' });
    clock.runUntil(() => log.lastStatus()?.status === 'paused' && trainer.step === 1);
    expect(log.lastStatus()!.stepRows).toBeUndefined();
    expect(log.points()).toHaveLength(1);
  });

  it('the epoch end says how long the run has trained', () => {
    const { clock, log, trainer } = setupOn(new FakeClock(25, 1), smallConfig({ epochs: 2 }));
    trainer.handle({ type: 'start' });
    clock.runUntil(() => log.of('epoch-end').length >= 2);
    const [first, second] = log.of('epoch-end');
    expect(first!.trainSeconds).toBeGreaterThan(0);
    expect(second!.trainSeconds).toBeGreaterThan(first!.trainSeconds!);
  });
});
