/**
 * Data-parallel parts of the engine benchmark, ours only: how samples/s grow with the threads a batch is
 * split across (per network and dataset), and how that depends on the batch size — each thread takes
 * ~batch/N rows, while the costs per step (waking the helpers, two barriers, summing N gradient buffers)
 * do not shrink with the batch, so small batches gain less.
 */
import type { DatasetName } from '../src/data/dataset.ts';
import type { TrainConfig } from '../src/engine/types.ts';
import { datasetLabel, loadBenchData } from './benchData.ts';
import type { Options } from './benchOptions.ts';
import {
  alternate,
  loadWarning,
  perSecond,
  workersLabel,
  type Runner,
  type Summary,
  type Timing,
} from './measure.ts';
import { oursRunner } from './oursRunner.ts';
import type { Pools } from './pools.ts';
import { DEFAULT_NET, layerSizes, networkLabel, SMALL_NET } from './workloads.ts';

export interface ScalingPoint extends Summary {
  workers: number;
  /** Median samples/s ÷ the median with 1 worker, measured in the same alternation. */
  speedup: number;
  /** speedup ÷ workers (1: every added thread paid in full). */
  efficiency: number;
}

export interface ScalingCurve {
  dataset: DatasetName;
  network: string;
  layers: number[];
  optimizer: string;
  batch: number;
  points: ScalingPoint[];
}

/** `config` on `dataset` with each thread count (1 first: the reference), alternated. */
async function measureCurve(
  config: TrainConfig,
  dataset: DatasetName,
  counts: number[],
  timing: Timing,
  pools: Pools,
): Promise<ScalingCurve> {
  const data = loadBenchData(dataset);
  const runners: [number, Runner][] = [];
  for (const n of counts) runners.push([n, oursRunner(config, data, await pools.get(n))]);
  const summaries = alternate(runners, timing);
  const base = summaries.get(1)!.median;
  return {
    dataset,
    network: networkLabel(config),
    layers: layerSizes(config),
    optimizer: config.optimizer,
    batch: config.batchSize,
    points: counts.map((n) => {
      const s = summaries.get(n)!;
      const speedup = s.median / base;
      return { workers: n, ...s, speedup, efficiency: speedup / n };
    }),
  };
}

/**
 * "MNIST 784-256-128-10 adam b64: 1 worker 7,400/s [7,300–7,500] on 1.00 cores · 2 workers 13,100/s
 * [12,800–13,300] on 1.96 cores (1.77×, efficiency 0.89)", and a warning line when other processes competed.
 */
export function curveLines(c: ScalingCurve): string[] {
  const points = c.points.map((p) => {
    const gain = p.workers === 1 ? '' : ` (${p.speedup.toFixed(2)}×, efficiency ${p.efficiency.toFixed(2)})`;
    return `${workersLabel(p.workers)} ${perSecond(p.median)}/s [${perSecond(p.min)}–${perSecond(p.max)}] on ${p.coresBusy.toFixed(2)} cores${gain}`;
  });
  const warning = loadWarning(c.points);
  return [
    `${datasetLabel(c.dataset)} ${c.network}: ${points.join(' · ')}`,
    ...(warning ? [`  ${warning}`] : []),
  ];
}

const HOW = (o: Options) =>
  `samples/s: median [min–max] of ${o.reps} reps × ~${o.seconds} s, thread counts alternated; speed-up = median ÷ median of 1 worker, efficiency = speed-up ÷ workers; on C cores = this process's CPU time (all its threads) ÷ wall time`;

/** Both networks on each of `opts.datasets`, every thread count of `opts.workers`. */
export async function runScaling(
  opts: Options,
  pools: Pools,
  log: (s: string) => void,
): Promise<ScalingCurve[]> {
  log(`Scaling (ours; ${HOW(opts)})`);
  const curves: ScalingCurve[] = [];
  for (const dataset of opts.datasets) {
    for (const net of [DEFAULT_NET, SMALL_NET]) {
      const curve = await measureCurve(net, dataset, opts.workers, opts, pools);
      for (const line of curveLines(curve)) log(`  ${line}`);
      curves.push(curve);
    }
  }
  return curves;
}

/** The default network on MNIST at each of `opts.batches`, with 1 worker and with the most of `opts.workers`. */
export async function runBatchSizes(
  opts: Options,
  pools: Pools,
  log: (s: string) => void,
): Promise<ScalingCurve[]> {
  const most = opts.workers.at(-1)!;
  const counts = most > 1 ? [1, most] : [1];
  log(`Batch size vs speed-up (ours, default network, MNIST; ${HOW(opts)})`);
  const curves: ScalingCurve[] = [];
  for (const batchSize of opts.batches) {
    const curve = await measureCurve({ ...DEFAULT_NET, batchSize }, 'mnist', counts, opts, pools);
    for (const line of curveLines(curve)) log(`  ${line}`);
    curves.push(curve);
  }
  return curves;
}
