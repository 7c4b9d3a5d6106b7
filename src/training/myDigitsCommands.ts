/**
 * The worker's side of my digits: the halves as splits the session reads, and the answer to
 * `evaluate-my-digits` — how the network reads each digit now (the gallery's right / wrong marks).
 */
import type { Split } from '../data/dataset.ts';
import { DIGIT_SIDE } from '../data/myDigits.ts';
import { evaluate } from '../engine/evaluate.ts';
import type { Command, MyDigitsPart, WorkerEvent } from '../protocol/messages.ts';
import type { MyDigitsHalves, TrainingSession } from './session.ts';

type EvaluateCommand = Extract<Command, { type: 'evaluate-my-digits' }>;

/** A part as a split (checked: sizes agree, labels within the classes); throws with the reason. */
export function partSplit(part: MyDigitsPart, classes: number, what: string): Split {
  const px = DIGIT_SIDE * DIGIT_SIDE;
  if (
    !(part.images instanceof Uint8Array) ||
    !(part.labels instanceof Uint8Array) ||
    !Number.isInteger(part.count) ||
    part.count < 0 ||
    part.images.length !== part.count * px ||
    part.labels.length !== part.count
  ) {
    throw new Error(`${what}: ${part.count} digits need ${part.count} labels and ${part.count}×${px} pixels`);
  }
  for (let i = 0; i < part.count; i++) {
    if (part.labels[i]! >= classes)
      throw new Error(`${what}: label ${part.labels[i]} is not one of ${classes} classes`);
  }
  return { images: part.images, labels: part.labels, count: part.count, rows: DIGIT_SIDE, cols: DIGIT_SIDE };
}

/** The halves of set-my-digits for a network of `classes` outputs. */
export function halvesOf(cmd: Extract<Command, { type: 'set-my-digits' }>, classes: number): MyDigitsHalves {
  return {
    teach: partSplit(cmd.teach, classes, 'my digits (teach half)'),
    test: partSplit(cmd.test, classes, 'my digits (test half)'),
  };
}

export function evaluateMyDigitsReply(
  cmd: EvaluateCommand,
  session: TrainingSession | null,
  generation: number,
): { event: WorkerEvent; transfer?: ArrayBuffer[] } {
  if (!session) {
    return {
      event: {
        type: 'error',
        id: cmd.id,
        error: { kind: 'no-model', message: 'The network is not ready yet.' },
      },
    };
  }
  const classes = session.config.outputSize;
  let split: Split;
  try {
    split = partSplit(cmd.digits, classes, 'my digits');
  } catch (e) {
    return {
      event: { type: 'error', id: cmd.id, error: { kind: 'bad-input', message: (e as Error).message } },
    };
  }
  const n = split.count;
  const predicted16 = new Uint16Array(n);
  const confidence = new Float32Array(n);
  const probabilities = new Float32Array(n * classes);
  const r = evaluate(session.network, split, n, undefined, {
    predicted: predicted16,
    confidence,
    probabilities,
  });
  const predicted = Uint8Array.from(predicted16);
  const probabilityOfLabel = new Float32Array(n);
  for (let i = 0; i < n; i++) probabilityOfLabel[i] = probabilities[i * classes + split.labels[i]!]!;
  return {
    event: {
      type: 'my-digits-evaluation',
      id: cmd.id,
      generation,
      step: session.step,
      predicted,
      probabilityOfLabel,
      confidence,
      correct: Math.round(r.accuracy * n),
    },
    transfer: [predicted.buffer, probabilityOfLabel.buffer, confidence.buffer],
  };
}
