/**
 * The headless trainer behind `npm run train`: the same engine and the same TrainingSession the browser's
 * worker uses, driven synchronously, with a progress bar, a readable table or JSON lines, and files at the end.
 *
 * Kept apart from the entry point (train.ts) so tests can run it in-process with fake streams; the CLI
 * tests also spawn the real command.
 */

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DataError } from '../data/errors.ts';
import { halfSplit } from '../data/myDigits.ts';
import { decodeMyDigits } from '../data/myDigitsFile.ts';
import { ModelFileError, serializeModel } from '../engine/modelFile.ts';
import { TFJS_WEIGHTS_FILE, exportTfjs } from '../engine/tfjsExport.ts';
import type { TrainConfig } from '../engine/types.ts';
import { initReport } from '../engine/initLab.ts';
import { buildStatsProbe, probeHealth, statsLines, type LayerStatsLine } from '../training/inspection.ts';
import type { ComputePool } from '../training/parallel/computePool.ts';
import { TrainingSession, type MyDigitsHalves } from '../training/session.ts';
import { cliTimeline, computeLandscape, writeLandscape } from './landscape.ts';
import { lastStepEpoch, stopMessage, StopRules } from '../training/stopping.ts';
import type { StopReason } from '../protocol/messages.ts';
import { DivergenceWatch } from '../training/divergence.ts';
import { DataMissingError, loadDatasetFromDisk } from './data.ts';
import { cliComputePool } from './computeThreads.ts';
import { costGate } from './dryRun.ts';
import { UsageError, helpText, parseArgs, type CliOptions } from './options.ts';

/** Exit statuses (also listed in --help). */
export const EXIT = { ok: 0, error: 1, usage: 2, diverged: 3 } as const;

/** One line of `--json` output: exactly these keys, in this order. */
export interface EpochLine {
  /** From 1. */
  epoch: number;
  /** Mean of the per-batch losses over the epoch, weighted by batch size (before each update). */
  trainLoss: number;
  /** Fraction 0–1 of the epoch's samples classified right when their batch was trained (before its update). */
  trainAccuracy: number;
  testLoss: number;
  testAccuracy: number;
  /** Training samples per second over the epoch's batches only (evaluation and output excluded). */
  samplesPerSecond: number;
  /** On the held-out validation images (only when --validation is given). */
  validationLoss?: number;
  validationAccuracy?: number;
  /** On the test half of my digits (only with --my-digits whose test half is not empty). */
  myDigitsAccuracy?: number;
}

/** The last line of `--json` output: why and where the run stopped, and the figures of the weights kept. */
export interface StoppedLine {
  stopped: StopReason;
  /** The epoch (from 1) of the last step trained (a partial one when the loss tolerance stopped it mid-epoch). */
  epoch: number;
  step: number;
  /** The smoothed training loss at the stop (what --until-loss watches); null if there was no finite loss. */
  trainLoss: number | null;
  /** The epoch whose weights were kept: restored after early stopping, else the last. */
  bestEpoch: number;
  /** The test accuracy of the weights kept (null when training diverged). */
  testAccuracy: number | null;
}

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stderr is a terminal (progress bar shown). */
  stderrIsTty: boolean;
  /** Monotonic milliseconds. */
  now: () => number;
  /** The machine's memory in bytes (default: os.totalmem()); the budget is half of it (a test injects it). */
  totalMemoryBytes?: number;
}

/** What went wrong in a way the user can act on: printed as the message alone, no stack. */
class CliFailure extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;

function describeConfig(c: TrainConfig): string {
  const shape = [c.inputSize, ...c.hidden, c.outputSize].join('-');
  const opt =
    c.optimizer === 'momentum'
      ? `momentum μ=${c.momentum}`
      : c.optimizer === 'adam'
        ? `adam β=(${c.beta1}, ${c.beta2}) ε=${c.epsilon}`
        : 'sgd';
  const schedule =
    c.schedule === 'constant'
      ? 'constant'
      : c.schedule === 'exponential'
        ? `×${c.lrDecay} per epoch`
        : c.schedule === 'step'
          ? `×${c.lrDecay} every ${c.stepEvery} epochs`
          : 'cosine';
  return (
    `${shape} ${c.activation} · ${c.init} init · ${opt} · lr ${c.learningRate} (${schedule}) · ` +
    `batch ${c.batchSize}${c.l2 > 0 ? ` · L2 ${c.l2}` : ''} · seed ${c.seed}`
  );
}

/** A one-line bar redrawn in place on stderr: `epoch 2/5 [█████·····] 48% · 11,200 samples/s`. */
function progressLine(epoch: number, epochs: number, done: number, total: number, rate: number): string {
  const width = 30;
  const filled = Math.round((width * done) / total);
  const bar = '█'.repeat(filled) + '·'.repeat(width - filled);
  return `\r  epoch ${epoch}/${epochs} [${bar}] ${Math.floor((100 * done) / total)
    .toString()
    .padStart(3)}% · ${fmtInt(rate)} samples/s `;
}

/** "step 100 · W1 ‖g‖ 1.2e-2 Δ/w 1.0e-3 a 0.21±0.35 dead 3% sat 0% · W2 …" — a --stats-every row. */
function statsRow(step: number, layers: readonly LayerStatsLine[]): string {
  const e = (v: number) => v.toExponential(1);
  const p = (v: number) => `${Math.round(v * 100)}%`;
  const parts = layers.map(
    (l) =>
      `W${l.layer} ‖g‖ ${e(l.gradNorm)} Δ/w ${e(l.updateRatio)} a ${l.activationMean.toPrecision(2)}±` +
      `${l.activationStd.toPrecision(2)} dead ${p(l.deadFraction)} sat ${p(l.saturatedFraction)}`,
  );
  return `  step ${fmtInt(step)} · ${parts.join(' · ')}`;
}

const TABLE_HEADER = 'epoch  learning rate  train loss  train acc  test loss  test acc   samples/s     time';

const VALIDATION_HEADER = `  ${'val loss'.padStart(11)}  ${'val acc'.padStart(9)}`;
const MY_DIGITS_HEADER = `  ${'my digits'.padStart(10)}`;

function tableRow(line: EpochLine, lr: number, seconds: number): string {
  const validation =
    line.validationLoss !== undefined
      ? [line.validationLoss.toFixed(4).padStart(11), pct(line.validationAccuracy ?? 0).padStart(9)]
      : [];
  const mine = line.myDigitsAccuracy !== undefined ? [pct(line.myDigitsAccuracy).padStart(10)] : [];
  return [
    String(line.epoch).padStart(5),
    lr.toExponential(2).padStart(13),
    line.trainLoss.toFixed(4).padStart(10),
    pct(line.trainAccuracy).padStart(9),
    line.testLoss.toFixed(4).padStart(9),
    pct(line.testAccuracy).padStart(8),
    fmtInt(line.samplesPerSecond).padStart(11),
    `${seconds.toFixed(1)} s`.padStart(8),
    ...validation,
    ...mine,
  ].join('  ');
}

/** Writes --save and --export-tfjs; `epochs`: the epochs behind the weights kept (the best after early stopping). */
function writeOutputs(
  options: CliOptions,
  session: TrainingSession,
  testAccuracy: number,
  io: CliIo,
  epochs: number,
): void {
  const { save, exportTfjs: tfjsDir } = options;
  if (save !== undefined) {
    const path = resolve(save);
    let text: string;
    try {
      text = serializeModel(session.network, session.config, {
        training: { epochs, steps: session.step, testAccuracy },
      });
    } catch (e) {
      if (e instanceof ModelFileError)
        throw new CliFailure(`could not save the model: ${e.message}`, EXIT.error);
      throw e;
    }
    try {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    } catch (e) {
      throw new CliFailure(`could not write ${path}: ${(e as Error).message}`, EXIT.error);
    }
    io.stderr(`Saved the model to ${path} (${fmtInt(text.length / 1024)} KB).\n`);
  }
  if (tfjsDir !== undefined) {
    const dir = resolve(tfjsDir);
    const { modelJson, weightsBin } = exportTfjs(session.network, {
      generatedBy: 'Backprop Lab CLI (npm run train)',
      dropout: { input: session.config.inputDropout, hidden: session.config.dropout },
    });
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson));
      writeFileSync(join(dir, TFJS_WEIGHTS_FILE), weightsBin);
    } catch (e) {
      throw new CliFailure(`could not write the TF.js export to ${dir}: ${(e as Error).message}`, EXIT.error);
    }
    io.stderr(
      `Exported for TensorFlow.js to ${dir}/model.json + ${TFJS_WEIGHTS_FILE} ` +
        `(load with tf.loadLayersModel('…/model.json')).\n`,
    );
  }
}

async function train(options: CliOptions, io: CliIo): Promise<number> {
  const { config } = options;
  const stop = costGate(options, io, EXIT);
  if (stop !== undefined) return stop;
  let data;
  try {
    data = loadDatasetFromDisk(options.dataDir, options.dataset);
  } catch (e) {
    if (e instanceof DataMissingError || e instanceof DataError) throw new CliFailure(e.message, EXIT.error);
    throw e;
  }
  if (options.initReport) {
    // The init lab's figures: fresh networks of this shape, no training.
    const probe = buildStatsProbe(data.train);
    for (const r of initReport(config, probe.x, probe.count)) {
      const layers = r.layers.map((l) => ({ layer: l.layer, meanAbs: l.meanAbs, std: l.std }));
      io.stdout(`${JSON.stringify({ init: r.init, layers })}\n`);
    }
    return EXIT.ok;
  }
  const myDigits = options.myDigits
    ? readMyDigits(options.myDigits, options.dataset, config.outputSize)
    : undefined;
  const pool = await cliComputePool(config.workers, (line) => io.stderr(line));
  try {
    return trainWith(options, io, data, pool, myDigits);
  } finally {
    pool?.dispose();
  }
}

/** --my-digits FILE: its two halves, or a failure naming the file and the fault (exit 1, as a bad data file). */
function readMyDigits(file: string, dataset: CliOptions['dataset'], classes: number): MyDigitsHalves {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(file));
  } catch (e) {
    throw new CliFailure(`cannot read --my-digits ${file}: ${(e as Error).message}`, EXIT.error);
  }
  try {
    const read = decodeMyDigits(bytes, basename(file), classes);
    if (read.dataset !== dataset) {
      throw new CliFailure(
        `${file} holds digits drawn for ${read.dataset}; this run trains on ${dataset} (--dataset ${read.dataset})`,
        EXIT.error,
      );
    }
    return { teach: halfSplit(read.digits, 'teach'), test: halfSplit(read.digits, 'test') };
  } catch (e) {
    if (e instanceof DataError) throw new CliFailure(e.message, EXIT.error);
    throw e;
  }
}

function trainWith(
  options: CliOptions,
  io: CliIo,
  data: ReturnType<typeof loadDatasetFromDisk>,
  pool: ComputePool | undefined,
  myDigits: MyDigitsHalves | undefined,
): number {
  const { config, json } = options;
  let session: TrainingSession;
  try {
    session = new TrainingSession(config, data, { pool, myDigits });
  } catch (e) {
    throw new CliFailure(`cannot train this configuration: ${(e as Error).message}`, EXIT.usage);
  }
  const testCount = Math.min(data.test.count, options.testLimit ?? data.test.count);
  const showBar = options.progress && io.stderrIsTty;
  const say = json ? io.stderr : io.stdout;

  if (!json) {
    const threads = session.workers === 1 ? '' : ` · ${session.workers} workers`;
    say(`Backprop Lab · ${options.dataset} · ${describeConfig(session.config)}${threads}\n`);
    if (myDigits) {
      say(
        `My digits (${options.myDigits}): ${fmtInt(myDigits.teach.count)} to teach` +
          (session.mineSamples > 0 ? ` (each seen ${config.mine}× per epoch)` : ' (not trained on)') +
          `, ${fmtInt(myDigits.test.count)} to test.\n`,
      );
    }

    say(
      `Training on ${fmtInt(session.trainCount)} samples` +
        (session.mineSamples > 0 ? ` + ${fmtInt(session.mineSamples)} of my digits` : '') +
        ` (${fmtInt(session.batchesPerEpoch)} batches per epoch), ` +
        (session.validationSplit ? `validating on ${fmtInt(session.validationSplit.count)} held out, ` : '') +
        `testing on ${fmtInt(testCount)}, for ${config.epochs} epoch${config.epochs === 1 ? '' : 's'}.\n\n`,
    );
    say(
      `${TABLE_HEADER}${session.validationSplit ? VALIDATION_HEADER : ''}${session.hasMyDigitsTest ? MY_DIGITS_HEADER : ''}\n`,
    );
  }

  if (session.mineIgnored) {
    io.stderr(
      `note: --mine-weight ${config.mine}: ${options.myDigits} has no digit in its teach half, so none is trained on\n`,
    );
  }
  const statsProbe = options.statsEvery ? buildStatsProbe(data.train) : null;
  // --landscape: the path is the weights kept along the way (the page's timeline).
  const timeline = options.landscape ? cliTimeline(session) : null;
  const stops = new StopRules(config);
  const hasValidation = session.validationSplit !== null;
  let lastFiniteLoss = NaN;
  let lastFiniteStep = 0;
  const watch = new DivergenceWatch(session.config.outputSize);
  let totalTrainMs = 0;
  /** The last epoch's test figures (of the weights at that epoch's end). */
  let lastTest: { loss: number; accuracy: number } | null = null;
  let stopped: Exclude<StopReason, 'diverged'> = 'epochs';

  /** The --json line that ends a diverged run, then the failure (message on stderr, exit status 3). */
  const diverged = (message: string): CliFailure => {
    if (json) {
      const line: StoppedLine = {
        stopped: 'diverged',
        epoch: lastStepEpoch(session),
        step: session.step,
        trainLoss: Number.isFinite(stops.smoothed.value) ? stops.smoothed.value : null,
        bestEpoch: session.epoch,
        testAccuracy: null,
      };
      io.stdout(`${JSON.stringify(line)}\n`);
    }
    return new CliFailure(message, EXIT.diverged);
  };

  for (let e = 1; e <= config.epochs; e++) {
    const lr = session.learningRate;
    let lossSum = 0;
    let correct = 0;
    let samples = 0;
    let trainMs = 0;
    let lastDraw = -Infinity;
    const total = session.batchesPerEpoch;
    let t0 = io.now();
    let lossReached = false;
    // The bar is redrawn at most every 100 ms; drawing is excluded from the training time (output).
    const drawBar = (done: number, trained: number, last: boolean): void => {
      const t = io.now();
      if (t - lastDraw <= 100 && !last) return;
      trainMs += t - t0;
      const rate = trainMs > 0 ? (1000 * trained) / trainMs : 0;
      io.stderr(progressLine(e, config.epochs, done, total, rate));
      lastDraw = t;
      t0 = io.now();
    };
    for (let b = 0; b < total && !lossReached; b++) {
      // Micro-batch by micro-batch, so a batch of 60,000 (one step an epoch) moves the bar as it trains.
      let r = session.trainMicroBatch();
      while (!r) {
        const p = session.stepProgress;
        if (showBar && p) drawBar(b + p.rowsDone / p.rows, samples + p.rowsDone, false);
        r = session.trainMicroBatch();
      }
      if (!Number.isFinite(r.loss)) {
        if (showBar) io.stderr('\n');
        const before =
          lastFiniteStep > 0
            ? `The last finite loss was ${lastFiniteLoss.toPrecision(5)} (step ${fmtInt(lastFiniteStep)}).`
            : 'There was no finite loss before it.';
        throw diverged(
          `Training diverged at step ${fmtInt(r.step)} (epoch ${e}, batch ${b + 1} of ${fmtInt(total)}): ` +
            `the loss became ${r.loss}. ${before} Try a smaller learning rate (--lr ${config.learningRate} now) ` +
            `or another initialisation (--init).`,
        );
      }
      lastFiniteLoss = r.loss;
      lastFiniteStep = r.step;
      timeline?.offer(r.step, session.epoch, () => session.network.getParams());
      // A finite loss that blew up is a divergence too (divergence.ts).
      const verdict = watch.push(r.loss);
      if (verdict) {
        if (showBar) io.stderr('\n');
        throw diverged(
          `Training diverged at step ${fmtInt(r.step)} (epoch ${e}, batch ${b + 1} of ${fmtInt(total)}): ` +
            `${verdict.message} (--lr ${config.learningRate} now).`,
        );
      }
      // --until-loss: checked after every batch, on the smoothed loss (stopping.ts).
      lossReached = stops.afterBatch(r.loss);
      if (statsProbe && options.statsEvery && r.step % options.statsEvery === 0) {
        const layers = statsLines(session.layerStats(), probeHealth(session.network, statsProbe));
        if (json) io.stdout(`${JSON.stringify({ step: r.step, layers })}\n`);
        else {
          if (showBar) io.stderr(`\r${' '.repeat(80)}\r`);
          io.stdout(`${statsRow(r.step, layers)}\n`);
        }
      }
      lossSum += r.loss * r.batchSize;
      correct += r.correct;
      samples += r.batchSize;
      if (showBar) drawBar(b + 1, samples, b === total - 1);
    }
    trainMs += io.now() - t0;
    if (showBar) io.stderr(`\r${' '.repeat(80)}\r`);
    totalTrainMs += trainMs;
    if (lossReached) stopped = 'loss-tolerance';
    // Stopped mid-epoch: no epoch line (the epoch is not finished); the stopped line follows.
    if (session.batchInEpoch !== 0) break;

    const validation = hasValidation ? session.evaluate('validation') : null;
    const test = session.evaluate('test', options.testLimit);
    const mine = session.hasMyDigitsTest ? session.evaluate('mine') : null;
    if (!Number.isFinite(test.loss)) {
      throw diverged(
        `Training diverged in epoch ${e}: the test loss is ${test.loss} (the last finite training loss was ` +
          `${lastFiniteLoss.toPrecision(5)} at step ${fmtInt(lastFiniteStep)}). Try a smaller learning rate.`,
      );
    }
    lastTest = { loss: test.loss, accuracy: test.accuracy };
    const line: EpochLine = {
      epoch: e,
      trainLoss: lossSum / samples,
      trainAccuracy: correct / samples,
      testLoss: test.loss,
      testAccuracy: test.accuracy,
      samplesPerSecond: trainMs > 0 ? (1000 * samples) / trainMs : 0,
      ...(validation ? { validationLoss: validation.loss, validationAccuracy: validation.accuracy } : {}),
      ...(mine ? { myDigitsAccuracy: mine.accuracy } : {}),
    };
    if (json) io.stdout(`${JSON.stringify(line)}\n`);
    else io.stdout(`${tableRow(line, lr, trainMs / 1000)}\n`);
    if (stopped !== 'epochs') break;
    // --patience: the validation loss has not improved for K epochs.
    if (validation && stops.afterValidation(e, validation, () => session.network.getParams(), lastTest)) {
      stopped = 'early-stopping';
      break;
    }
  }

  // The weights kept: the best epoch's after early stopping (what --save writes), else the last ones.
  const epoch = lastStepEpoch(session);
  let bestEpoch = epoch;
  let kept = lastTest;
  const best = stops.best;
  if (stopped === 'early-stopping' && best) {
    session.network.setParams(best.params);
    bestEpoch = best.epoch;
    kept = best.test ?? null;
  }
  // Stopped mid-epoch: the test figures of the weights as they are now.
  if (session.batchInEpoch !== 0 || !kept) {
    const test = session.evaluate('test', options.testLimit);
    kept = { loss: test.loss, accuracy: test.accuracy };
  }
  const testAccuracy = kept.accuracy;
  const smoothed = stops.smoothed.value;
  if (json) {
    const line: StoppedLine = {
      stopped,
      epoch,
      step: session.step,
      trainLoss: Number.isFinite(smoothed) ? smoothed : null,
      bestEpoch,
      testAccuracy,
    };
    io.stdout(`${JSON.stringify(line)}\n`);
  } else {
    const why =
      stopped === 'epochs'
        ? `after ${epoch} epoch${epoch === 1 ? '' : 's'}`
        : `(${stopMessage(stopped, { untilLoss: config.untilLoss, epoch, bestEpoch })}, in epoch ${epoch})`;
    say(
      `\nTest accuracy ${pct(testAccuracy)} ${why} ` +
        `(${fmtInt(session.step)} steps, ${(totalTrainMs / 1000).toFixed(1)} s of training; ` +
        `smoothed training loss ${Number.isFinite(smoothed) ? smoothed.toFixed(4) : '—'}).\n`,
    );
  }
  writeOutputs(options, session, testAccuracy, io, stopped === 'early-stopping' ? bestEpoch : session.epoch);
  if (options.landscape && timeline) {
    const { file, grid } = options.landscape;
    const land = computeLandscape(session, timeline, data.train, grid, (done, total) => {
      if (showBar) io.stderr(`\rLoss landscape: ${done} of ${total} points`);
    });
    if (showBar) io.stderr(`\r${' '.repeat(80)}\r`);
    let where: string;
    try {
      where = writeLandscape(file, land);
    } catch (e) {
      throw new CliFailure(`could not write the landscape to ${file}: ${(e as Error).message}`, EXIT.error);
    }
    io.stderr(
      `Wrote the loss landscape (${grid} × ${grid}, ${land.plane === 'path' ? 'the path’s plane' : 'a random plane'}, ` +
        `${land.pathSteps.length} kept moments, ${(land.workMs / 1000).toFixed(1)} s) to ${where}.\n`,
    );
  }
  return EXIT.ok;
}

/** Runs the CLI: parses `argv`, trains, writes outputs. Returns the exit status; never throws for user errors. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const parsed = parseArgs(argv);
    if (parsed.kind === 'help') {
      io.stdout(`${helpText()}\n`);
      return EXIT.ok;
    }
    return await train(parsed.options, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`error: ${e.message}\nRun \`npm run train -- --help\` for the options.\n`);
      return EXIT.usage;
    }
    if (e instanceof CliFailure) {
      io.stderr(`${e.status === EXIT.diverged ? '' : 'error: '}${e.message}\n`);
      return e.status;
    }
    // Anything else is a bug of ours: say so plainly, without a stack trace unless asked for.
    const err = e as Error;
    io.stderr(`error: ${err?.message ?? String(e)}\n`);
    if (process.env.BACKPROP_DEBUG) io.stderr(`${err?.stack ?? ''}\n`);
    return EXIT.error;
  }
}
