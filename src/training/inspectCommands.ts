/**
 * The inside views' on-demand questions, answered from the current network without touching the run:
 * the init lab (fresh networks of the same shape), the test images that excite a unit most, and the test
 * images of a confusion cell (or the most confident mistakes). Each answer carries the images' bytes in
 * one transferred buffer, [items, pixels].
 */
import type { Split } from '../data/dataset.ts';
import type { PerSample } from '../engine/evaluate.ts';
import { toFloatPixels } from '../engine/evaluate.ts';
import { initReport, type InitSpread } from '../engine/initLab.ts';
import { selectSamples, type CellQuery } from '../engine/mistakes.ts';
import type { ModelConfig } from '../engine/types.ts';
import { assertNever } from '../protocol/assertNever.ts';
import type { Command, ImageItem, WorkerEvent } from '../protocol/messages.ts';
import { topActivatingImages } from '../engine/unitImages.ts';
import type { StatsProbe } from './inspection.ts';
import type { TrainingSession } from './session.ts';

/** How many test images the unit view searches (the first ones): a whole-set search would block the worker. */
export const UNIT_SEARCH_IMAGES = 2000;
/** Images a unit view or a mistakes gallery shows at most. */
export const MAX_GALLERY = 24;

export interface ImageAnswer {
  items: ImageItem[];
  /** [items.length · pixels] bytes, the images in item order. */
  pixels: Uint8Array;
}

/**
 * The images `indices` of `split` with the network's probabilities for each: those recorded at the last
 * evaluation when given (so a gallery agrees with the matrix it came from), else from the current network
 * (one forward per image).
 */
function answerFor(
  session: TrainingSession,
  split: Split,
  indices: readonly number[],
  activations?: readonly number[],
  recorded?: Float32Array,
): ImageAnswer {
  const classes = session.config.outputSize;
  const px = split.rows * split.cols;
  const pixels = new Uint8Array(indices.length * px);
  const x = new Float32Array(px);
  const items = indices.map((index, k) => {
    pixels.set(split.images.subarray(index * px, (index + 1) * px), k * px);
    let probabilities: Float32Array;
    if (recorded) {
      probabilities = recorded.slice(index * classes, (index + 1) * classes);
    } else {
      toFloatPixels(split.images, index * px, px, x);
      probabilities = session.network.predict(x).probabilities;
    }
    let predicted = 0;
    for (let c = 1; c < probabilities.length; c++)
      if (probabilities[c]! > probabilities[predicted]!) predicted = c;
    const item: ImageItem = { index, label: split.labels[index]!, predicted, probabilities };
    if (activations) item.activation = activations[k];
    return item;
  });
  return { items, pixels };
}

/** The init lab for `config`'s shape, activation and seed on the stats probe. */
export function initLabAnswer(config: ModelConfig, probe: StatsProbe): InitSpread[] {
  return initReport(config, probe.x, probe.count);
}

/**
 * The test images (of the first UNIT_SEARCH_IMAGES) that excite unit `unit` of weight layer `layer`
 * most, largest first. Throws a RangeError for a unit that does not exist.
 */
export function unitImagesAnswer(
  session: TrainingSession,
  test: Split,
  layer: number,
  unit: number,
  k = 9,
): ImageAnswer {
  const top = topActivatingImages(
    session.network,
    test,
    layer,
    unit,
    Math.min(k, MAX_GALLERY),
    UNIT_SEARCH_IMAGES,
  );
  return answerFor(
    session,
    test,
    top.map((t) => t.index),
    top.map((t) => t.activation),
  );
}

/**
 * The test images of a confusion cell, or the most confident mistakes (no class given), from the
 * answers recorded at the last test evaluation — the same evaluation the matrix shows.
 * @param count test images that evaluation covered
 */
export function mistakesAnswer(
  session: TrainingSession,
  test: Split,
  answers: PerSample,
  count: number,
  query: CellQuery,
  k = 12,
): ImageAnswer {
  const indices = selectSamples(test.labels, answers, count, query, Math.min(k, MAX_GALLERY));
  return answerFor(session, test, indices, undefined, answers.probabilities);
}

type InspectCommand = Extract<Command, { type: 'init-lab' | 'unit-images' | 'mistakes' }>;

/**
 * The answer to an inside view's question — or an `error` with the command's id saying, in plain words,
 * why there is none yet (no network, no evaluation yet, a unit that does not exist).
 */
export function inspectReply(
  cmd: InspectCommand,
  session: TrainingSession | null,
  generation: number,
  test: Split | null,
  statsProbe: StatsProbe | null,
  answers: { perSample: PerSample; count: number } | null,
): { event: WorkerEvent; transfer?: ArrayBuffer[] } {
  const fail = (kind: string, message: string) => ({
    event: { type: 'error', id: cmd.id, error: { kind, message } } as WorkerEvent,
  });
  if (!session || !test || !statsProbe) return fail('no-model', 'The network is not ready yet.');
  const images = (a: ImageAnswer) => ({
    event: { type: 'images', id: cmd.id, generation, items: a.items, pixels: a.pixels } as WorkerEvent,
    transfer: [a.pixels.buffer as ArrayBuffer],
  });
  switch (cmd.type) {
    case 'init-lab':
      return {
        event: {
          type: 'init-lab-result',
          id: cmd.id,
          generation,
          results: initLabAnswer(session.config, statsProbe),
        },
      };
    case 'unit-images':
      try {
        return images(unitImagesAnswer(session, test, cmd.layer, cmd.unit));
      } catch (e) {
        if (e instanceof RangeError)
          return fail('bad-unit', `There is no unit ${cmd.unit} in layer ${cmd.layer + 1}.`);
        throw e;
      }
    case 'mistakes':
      if (!answers) return fail('no-evaluation', 'Train one epoch: the test images are sorted at its end.');
      return images(
        mistakesAnswer(session, test, answers.perSample, answers.count, {
          trueClass: cmd.trueClass,
          predicted: cmd.predicted,
        }),
      );
    default:
      return assertNever(cmd);
  }
}
