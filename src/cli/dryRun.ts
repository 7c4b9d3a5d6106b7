/**
 * `--dry-run` and the CLI's budget: what a configuration costs (engine/cost.ts), at the speed measured here
 * — a few timed batches of the configuration itself when that is cheap, else of a small fixed network —
 * and whether it is within the CLI's budget. Over it, training is refused (exit 2) unless `--force`.
 */
import { totalmem } from 'node:os';
import {
  costReport,
  formatBytes,
  formatSeconds,
  judgeCost,
  runSize,
  type CostBudget,
  type CostReport,
} from '../engine/cost.ts';
import { calibrate, CALIBRATION_CONFIG } from '../training/calibration.ts';
import type { CliIo } from './runTrain.ts';
import type { CliOptions } from './options.ts';

/**
 * Headless, nothing has to stay responsive, but a run should not take the machine down: half the machine's
 * memory. Time never refuses (a batch of the whole split is micro-batched, engine/stepPlan.ts, so its memory
 * is a small batch's; Ctrl-C ends a run at any moment); --dry-run says how long a step and an epoch take.
 */
export function cliBudget(totalMemoryBytes = totalmem()): CostBudget {
  return { memoryBytes: totalMemoryBytes / 2 };
}

/** The configuration itself is timed when its session is this small and a batch this quick (estimated). */
const CHEAP = { bytes: 256 * 1024 ** 2, secondsPerBatch: 0.5 };

/** One `--dry-run --json` line. */
export interface DryRunLine {
  parameters: number;
  layers: number[];
  memoryBytes: number;
  secondsPerBatch: number;
  secondsPerEpoch: number;
  flopsPerSample: number;
  memory: CostReport['memory']['breakdown'];
  flopsPerSecond: number;
  calibratedOn: 'this configuration' | 'a small network';
  withinBudget: boolean;
}

/**
 * Measures, judges, and with `--dry-run` prints. Returns an exit status when the CLI should stop here (a dry
 * run, or a configuration over the budget without `--force`), undefined to go on training.
 */
export function costGate(
  options: CliOptions,
  io: CliIo,
  exits: { ok: number; usage: number },
): number | undefined {
  const { config } = options;
  const data = runSize(config);
  let speed = calibrate(io.now, CALIBRATION_CONFIG, { targetMs: 100 }).flopsPerSecond;
  let calibratedOn: DryRunLine['calibratedOn'] = 'a small network';
  const first = costReport(config, speed, data);
  if (
    options.dryRun &&
    first.memory.sessionBytes <= CHEAP.bytes &&
    first.time!.secondsPerBatch <= CHEAP.secondsPerBatch
  ) {
    speed = calibrate(io.now, config, { targetMs: 300, minBatches: 2, maxBatches: 50 }).flopsPerSecond;
    calibratedOn = 'this configuration';
  }
  const report = costReport(config, speed, data);
  const budget = cliBudget(io.totalMemoryBytes);
  const verdict = judgeCost(report, budget);
  const time = report.time!;
  if (options.dryRun) {
    const line: DryRunLine = {
      parameters: report.parameters,
      layers: report.layers,
      memoryBytes: report.memory.totalBytes,
      secondsPerBatch: time.secondsPerBatch,
      secondsPerEpoch: time.secondsPerEpoch,
      flopsPerSample: report.flopsPerSample.total,
      memory: report.memory.breakdown,
      flopsPerSecond: speed,
      calibratedOn,
      withinBudget: verdict.kind !== 'over',
    };
    if (options.json) io.stdout(`${JSON.stringify(line)}\n`);
    else {
      const shape = [config.inputSize, ...config.hidden, config.outputSize].join('-');
      io.stdout(
        [
          `${shape}, batch ${config.batchSize}, ${config.optimizer}`,
          `  parameters   ${report.parameters.toLocaleString('en-US')}  (${report.layers.map((n) => n.toLocaleString('en-US')).join(' + ')})`,
          `  memory       ${formatBytes(report.memory.totalBytes)}  (weights ${formatBytes(report.memory.breakdown.weights)}, gradients ${formatBytes(report.memory.breakdown.gradients)}, optimizer ${formatBytes(report.memory.breakdown.optimizer)}, activations ${formatBytes(report.memory.breakdown.activations)}, dataset ${formatBytes(report.memory.breakdown.dataset)})`,
          `  time         ${formatSeconds(time.secondsPerBatch)} per step (batch of ${Math.min(config.batchSize, data.trainCount).toLocaleString('en-US')}), ${formatSeconds(time.secondsPerEpoch)} per epoch  (${(speed / 1e9).toFixed(1)} GFLOP/s, timed on ${calibratedOn})`,
          '',
        ].join('\n'),
      );
    }
  }
  if (verdict.kind === 'over' && !options.force) {
    io.stderr(
      `error: ${verdict.reason.replace(/the limit is/g, 'the CLI’s limit is').replace(/, so that pause and drawing still answer/, '')} ` +
        `Not training: pass --force to ${options.dryRun ? 'accept it' : 'train anyway'}, or choose smaller --hidden / --batch.\n`,
    );
    return exits.usage;
  }
  return options.dryRun ? exits.ok : undefined;
}
