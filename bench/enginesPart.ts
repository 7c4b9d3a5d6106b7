/**
 * The engine comparison: 784-128-64-10 (ReLU, batch 64, SGD) on MNIST, ours on one thread against TF.js on
 * its `cpu` and `wasm` backends, engines alternated; then our kernels' GFLOP/s for these shapes.
 */
import type { Options, EngineName } from './benchOptions.ts';
import type { BenchData } from './benchData.ts';
import { measureKernels, type KernelFigure } from './kernels.ts';
import { alternate, loadWarning, perSecond, type Runner, type Summary } from './measure.ts';
import { oursRunner } from './oursRunner.ts';
import type { TfjsThread } from './tfjsThread.ts';
import { flopsPerSample, layerSizes, networkLabel, SMALL_NET } from './workloads.ts';

export interface EnginesResult {
  workload: { layers: number[]; batch: number; optimizer: string; learningRate: number; activation: string };
  samplesPerSecond: (Summary & { engine: EngineName })[];
  /** "ours/tfjs-wasm" → ratio of the medians. */
  ratios: Record<string, number>;
  flopsPerSample: number;
  oursEffectiveGflops: number | null;
  oursFirstLayerKernels: Record<string, number> | null;
  kernelsGflops: KernelFigure[];
}

export function runEngines(
  opts: Options,
  mnist: BenchData,
  tfjs: TfjsThread | null,
  log: (s: string) => void,
): EnginesResult {
  log(
    `Engines (${networkLabel(SMALL_NET)}, ReLU, SGD lr ${SMALL_NET.learningRate}, MNIST; one thread each, alternated)`,
  );
  const runners: [EngineName, Runner][] = opts.engines.map((e) => {
    if (e === 'ours') return [e, oursRunner(SMALL_NET, mnist)];
    if (!tfjs) throw new Error('TF.js was not loaded');
    return [e, tfjs.runner(e === 'tfjs-cpu' ? 'cpu' : 'wasm', SMALL_NET, 'mnist')];
  });
  const summaries = alternate(runners, opts, (rep, figures) =>
    log(`  rep ${rep + 1}: ${figures.map(([e, v]) => `${e} ${perSecond(v)}`).join(' · ')} samples/s`),
  );
  const summary = opts.engines.map((engine) => ({ engine, ...summaries.get(engine)! }));
  const ours = summaries.get('ours');
  const ratios: Record<string, number> = {};
  if (ours) {
    for (const s of summary) if (s.engine !== 'ours') ratios[`ours/${s.engine}`] = ours.median / s.median;
  }
  const flops = flopsPerSample(SMALL_NET);
  const result: EnginesResult = {
    workload: {
      layers: layerSizes(SMALL_NET),
      batch: SMALL_NET.batchSize,
      optimizer: SMALL_NET.optimizer,
      learningRate: SMALL_NET.learningRate,
      activation: SMALL_NET.activation,
    },
    samplesPerSecond: summary,
    ratios,
    flopsPerSample: flops,
    oursEffectiveGflops: ours ? (ours.median * flops) / 1e9 : null,
    oursFirstLayerKernels: runners.find(([e]) => e === 'ours')?.[1].kernelChoices?.() ?? null,
    kernelsGflops: measureKernels(mnist.train),
  };
  printEngines(result, log);
  return result;
}

function printEngines(r: EnginesResult, log: (s: string) => void): void {
  log('  engine        median     min        max   (samples/s)   loss (last 20 batches)');
  for (const s of r.samplesPerSecond) {
    const f = (v: number) => perSecond(v).padStart(9);
    log(
      `  ${s.engine.padEnd(10)} ${f(s.median)} ${f(s.min)} ${f(s.max)}   ${s.lastLoss.toFixed(3).padStart(8)}`,
    );
  }
  for (const [k, v] of Object.entries(r.ratios)) log(`  ${k}: ${v.toFixed(2)}×`);
  const warning = loadWarning(r.samplesPerSecond);
  if (warning) log(`  ${warning}`);
  log(
    `  ours, whole step: ${r.flopsPerSample / 1000} kFLOP/sample → ${r.oursEffectiveGflops?.toFixed(2) ?? '–'} GFLOP/s dense-equivalent (this many FLOP per sample ÷ time per sample)`,
  );
  if (r.oursFirstLayerKernels)
    for (const line of kernelChoiceLines(r.oursFirstLayerKernels)) log(`  ${line}`);
  log('  kernels, GFLOP/s performed (dense-equivalent = FLOPs of the dense product ÷ time):');
  for (const k of r.kernelsGflops) {
    const same = Math.abs(k.gflops - k.denseEquivalentGflops) < 1e-9 * k.gflops;
    const dense = same ? '' : ` (dense-equivalent ${k.denseEquivalentGflops.toFixed(2)})`;
    log(`    ${k.kernel}: ${k.gflops.toFixed(2)}${dense}`);
  }
}

/** "ours, first layer: forward sparse, weight grad dense in 97 % of sampled batches". */
export function kernelChoiceLines(choices: Record<string, number>): string[] {
  const total = Object.values(choices).reduce((a, b) => a + b, 0);
  return Object.entries(choices).map(
    ([k, n]) => `ours, first layer: ${k} in ${((100 * n) / total).toFixed(0)} % of sampled batches`,
  );
}
