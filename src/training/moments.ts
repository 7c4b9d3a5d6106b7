/**
 * A kept moment brought back (the page's timeline scrubber): the moment's weights in a replica network —
 * never the training network, so a run in progress is not disturbed — the probe through them as a
 * snapshot's layers and probe (the diagram and the weight images draw it like a live one), and the drawing's
 * prediction by them. Per-step figures of the past (gradient norms, update ratios) are not kept: they are 0.
 */
import { Network, layerSizes } from '../engine/network';
import type { Command, WorkerEvent } from '../protocol/messages';
import { buildSnapshot, type Probe } from './snapshot';
import type { TrainingSession } from './session';
import type { WeightTimeline } from './timeline';

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
