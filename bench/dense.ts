/**
 * The dense path: Fashion-MNIST's pixels are mostly ink (about half non-zero, against MNIST's ~19 %), so
 * our first layer's sparse kernels save little there; this part measures ours (one thread) against TF.js
 * WASM-SIMD (one thread) on it, beside the engines part's MNIST ratio.
 */
import type { Split } from '../src/data/dataset.ts';
import type { BenchData } from './benchData.ts';
import type { Options } from './benchOptions.ts';
import { kernelChoiceLines } from './enginesPart.ts';
import { alternate, loadWarning, perSecond, type Summary } from './measure.ts';
import { oursRunner } from './oursRunner.ts';
import type { TfjsThread } from './tfjsThread.ts';
import { networkLabel, SMALL_NET } from './workloads.ts';

export interface DenseResult {
  dataset: 'fashion-mnist';
  network: string;
  /** Fraction of non-zero training pixels, this dataset's and MNIST's. */
  nonZeroPixels: { fashionMnist: number; mnist: number };
  ours: Summary;
  tfjsWasm: Summary;
  /** ours ÷ tfjs-wasm, medians. */
  ratio: number;
  /** The engines part's ours/tfjs-wasm on MNIST (null when it did not run both). */
  mnistRatio: number | null;
  oursFirstLayerKernels: Record<string, number>;
}

function nonZeroFraction(s: Split): number {
  let nz = 0;
  for (let i = 0; i < s.images.length; i++) if (s.images[i] !== 0) nz++;
  return nz / s.images.length;
}

export function runDense(
  opts: Options,
  data: { fashion: BenchData; mnist: BenchData },
  tfjs: TfjsThread,
  mnistRatio: number | null,
  log: (s: string) => void,
): DenseResult {
  const nonZeroPixels = {
    fashionMnist: nonZeroFraction(data.fashion.train),
    mnist: nonZeroFraction(data.mnist.train),
  };
  log(
    `Dense path (${networkLabel(SMALL_NET)}, Fashion-MNIST: ${(100 * nonZeroPixels.fashionMnist).toFixed(0)} % of pixels non-zero, MNIST ${(100 * nonZeroPixels.mnist).toFixed(0)} %; one thread each, alternated)`,
  );
  const ours = oursRunner(SMALL_NET, data.fashion);
  const tf = tfjs.runner('wasm', SMALL_NET, 'fashion-mnist');
  const s = alternate(
    [
      ['ours', ours],
      ['tfjs-wasm', tf],
    ],
    opts,
  );
  const result: DenseResult = {
    dataset: 'fashion-mnist',
    network: networkLabel(SMALL_NET),
    nonZeroPixels,
    ours: s.get('ours')!,
    tfjsWasm: s.get('tfjs-wasm')!,
    ratio: s.get('ours')!.median / s.get('tfjs-wasm')!.median,
    mnistRatio,
    oursFirstLayerKernels: ours.kernelChoices!(),
  };
  const fig = (v: Summary) => `${perSecond(v.median)}/s [${perSecond(v.min)}–${perSecond(v.max)}]`;
  const beside =
    mnistRatio === null
      ? 'MNIST: run the engines part with ours and wasm'
      : `MNIST ${mnistRatio.toFixed(2)}×`;
  log(
    `  Fashion-MNIST: ours ${fig(result.ours)} · tfjs-wasm ${fig(result.tfjsWasm)} → ours/tfjs-wasm ${result.ratio.toFixed(2)}× (${beside})`,
  );
  const warning = loadWarning([result.ours, result.tfjsWasm]);
  if (warning) log(`  ${warning}`);
  for (const line of kernelChoiceLines(result.oursFirstLayerKernels)) log(`  ${line}`);
  return result;
}
