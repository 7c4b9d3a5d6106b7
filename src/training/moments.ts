/**
 * A kept moment brought back (the page's timeline scrubber): the moment's weights in a replica network —
 * never the training network, so a run in progress is not disturbed — the probe through them as a
 * snapshot's layers and probe (the diagram and the weight images draw it like a live one), and the drawing's
 * prediction by them. Per-step figures of the past (gradient norms, update ratios) are not kept: they are 0.
 */
import type { Split } from '../data/dataset';
import { evaluate } from '../engine/evaluate';
import { Network, layerSizes } from '../engine/network';
import type { Command, WorkerEvent } from '../protocol/messages';
import { buildSnapshot, type Probe } from './snapshot';
import type { TrainingSession } from './session';
import type { BackgroundJob } from './backgroundWork';
import type { Clock } from './clock';
import type { Moment, WeightTimeline } from './timeline';

type MomentReply = { event: WorkerEvent; transfer: ArrayBuffer[] };

export class MomentViews {
  private replica: Network | null = null;

  private replicaOf(session: TrainingSession, rows: number): Network {
    const c = session.network.config;
    const r = this.replica;
    const same =
      r &&
      r.maxBatch >= rows &&
      r.config.activation === c.activation &&
      layerSizes(r.config).join() === layerSizes(c).join();
    if (!same) this.replica = Network.create(c, Math.max(rows, 1));
    return this.replica!;
  }

  reply(
    cmd: Extract<Command, { type: 'moment' }>,
    session: TrainingSession | null,
    timeline: WeightTimeline | null,
    probe: Probe | null,
    generation: number,
  ): MomentReply {
    const fail = (kind: string, message: string): MomentReply => ({
      event: { type: 'error', id: cmd.id, error: { kind, message } },
      transfer: [],
    });
    if (!session || !timeline || !probe) return fail('no-model', 'The network is not ready yet.');
    const moment = timeline.at(cmd.step);
    if (!moment)
      return fail('no-moment', `Step ${cmd.step} is not a kept moment (it may have been thinned).`);
    const net = this.replicaOf(session, probe.count);
    net.setParams(moment.params);
    const zeros = net.layers.map(() => ({ gradNorm: 0, weightNorm: 0, updateRatio: 0, gradBiasNorm: 0 }));
    const built = buildSnapshot(
      { network: net, layerStats: () => zeros, step: moment.step, epoch: moment.epoch },
      probe,
      generation,
      -1,
    );
    if (!built) return fail('not-finite', `The weights kept at step ${cmd.step} are not finite numbers.`);
    const { layers, probe: probeSnapshot } = built.event as Extract<WorkerEvent, { type: 'snapshot' }>;
    const transfer = built.transfer;
    let prediction: Extract<WorkerEvent, { type: 'moment-result' }>['prediction'] = null;
    if (cmd.pixels && cmd.pixels.length === net.config.inputSize) {
      prediction = net.predict(cmd.pixels);
      transfer.push(
        ...[prediction.probabilities, prediction.logits, ...prediction.activations].map(
          (a) => a.buffer as ArrayBuffer,
        ),
      );
    }
    return {
      event: {
        type: 'moment-result',
        id: cmd.id,
        generation,
        step: moment.step,
        epoch: moment.epoch,
        layers,
        probe: probeSnapshot,
        prediction,
      },
      transfer,
    };
  }
}

/** Rows of the test set per piece of a moment's evaluation. */
const EVAL_ROWS = 256;

/**
 * A kept moment's evaluation on the whole test set (its confusion matrix), in pieces between training
 * slices, through its own network (the moment's weights): the live one is never touched.
 */
export class MomentEvalJob implements BackgroundJob {
  private readonly net: Network;
  private cursor = 0;
  private lossSum = 0;
  private correct = 0;
  private readonly confusion: Uint32Array;

  constructor(
    private readonly id: number,
    private readonly moment: Moment,
    session: TrainingSession,
    private readonly test: Split,
    private readonly clock: Clock,
    private readonly generation: number,
    private readonly stillValid: () => boolean,
    private readonly post: (event: WorkerEvent, transfer?: ArrayBuffer[]) => void,
  ) {
    this.net = Network.create(session.network.config, EVAL_ROWS);
    this.net.setParams(moment.params);
    const k = session.network.config.outputSize;
    this.confusion = new Uint32Array(k * k);
  }

  work(deadline: number): boolean {
    if (!this.stillValid()) throw new Error('The network changed while a moment was evaluated.');
    const px = this.test.rows * this.test.cols;
    const k = this.net.config.outputSize;
    do {
      const n = Math.min(EVAL_ROWS, this.test.count - this.cursor);
      const part: Split = {
        ...this.test,
        images: this.test.images.subarray(this.cursor * px, (this.cursor + n) * px),
        labels: this.test.labels.subarray(this.cursor, this.cursor + n),
        count: n,
      };
      const r = evaluate(this.net, part, n, EVAL_ROWS);
      this.lossSum += r.loss * n;
      this.correct += Math.round(r.accuracy * n);
      for (let i = 0; i < k * k; i++) this.confusion[i]! += r.confusion[i]!;
      this.cursor += n;
    } while (this.cursor < this.test.count && this.clock.now() < deadline);
    if (this.cursor < this.test.count) return false;
    const count = this.test.count;
    this.post(
      {
        type: 'moment-eval-result',
        id: this.id,
        generation: this.generation,
        step: this.moment.step,
        loss: count > 0 ? this.lossSum / count : 0,
        accuracy: count > 0 ? this.correct / count : 0,
        count,
        confusion: this.confusion,
      },
      [this.confusion.buffer as ArrayBuffer],
    );
    return true;
  }

  fail(error: unknown): void {
    const message =
      error === undefined
        ? 'A newer moment was asked for.'
        : error instanceof Error
          ? error.message
          : String(error);
    this.post({ type: 'error', id: this.id, error: { kind: 'moment-cancelled', message } });
  }
}
