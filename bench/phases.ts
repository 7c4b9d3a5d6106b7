/**
 * Where a training step's time goes, for the default network (784-256-128-10, Adam, batch 128, MNIST) and
 * 784-128-64-10 (SGD, batch 64): each phase timed alone on one thread — gathering the batch (bytes → floats),
 * forward + backward of the whole batch in one piece, summing the plan's chunk gradients, the optimizer's
 * pass — beside whole steps on 1 and 2 threads. What 2 threads cannot share (gather, and the coordinator's
 * wake-up and waits) is what keeps the speed-up under 2: `overhead` = the 2-thread step − (gather + the
 * shared phases ÷ 2).
 *
 *   npx tsx bench/phases.ts [--seconds 2]
 */
import { nodeComputePool } from '../src/cli/computeThreads.ts';
import { Network } from '../src/engine/network.ts';
import { createOptimizer } from '../src/engine/optimizer.ts';
import { stepPlan } from '../src/engine/stepPlan.ts';
import { DEFAULT_CONFIG, type TrainConfig } from '../src/engine/types.ts';
import { TrainingSession } from '../src/training/session.ts';
import { loadBenchData } from './benchData.ts';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 2;

/** Milliseconds per call of `fn`, the best of 5 rounds of ~seconds/5 each. */
function msPer(fn: () => void): number {
  for (let i = 0; i < 5; i++) fn();
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    let n = 0;
    while (performance.now() - t0 < (seconds * 1000) / 5) {
      fn();
      n++;
    }
    best = Math.min(best, (performance.now() - t0) / n);
  }
  return best;
}

const data = loadBenchData('mnist');
const pool = nodeComputePool();
await pool.resize(2);

for (const config of [
  { ...DEFAULT_CONFIG } as TrainConfig,
  {
    ...DEFAULT_CONFIG,
    hidden: [128, 64],
    optimizer: 'sgd',
    learningRate: 0.05,
    batchSize: 64,
  } as TrainConfig,
]) {
  const n = config.batchSize;
  const one = new TrainingSession(config, data);
  const x = new Float32Array(n * config.inputSize);
  const y = new Uint8Array(n);
  const gather = msPer(() => one.gatherNextRows(x, y, 0, n));
  one.gatherNextRows(x, y, 0, n);
  const net = Network.create(config, n);
  const compute = msPer(() => {
    net.forward(x, n);
    net.backward(y, config.l2, n);
  });
  const count = net.parameterCount();
  const plan = stepPlan(n, count);
  const grads = Array.from({ length: plan.chunks }, () => new Float32Array(count).fill(1e-3));
  const sum = msPer(() => {
    const s = grads[0]!;
    for (let k = 1; k < grads.length; k++) {
      const g = grads[k]!;
      for (let i = 0; i < count; i++) s[i] = s[i]! + g[i]!;
    }
  });
  const opt = createOptimizer(net, config);
  const optimizer = msPer(() => opt.step(1e-3));
  const step1 = msPer(() => one.trainBatch());
  const two = new TrainingSession(config, data, { pool });
  const step2 = msPer(() => two.trainBatch());
  const shared = compute + sum + optimizer;
  const overhead = step2 - (gather + shared / 2);
  const f = (v: number) => `${v.toFixed(2)} ms`;
  console.log(
    `${[784, ...config.hidden, 10].join('-')} ${config.optimizer} b${n} (${plan.chunks} chunks): ` +
      `gather ${f(gather)} · forward+backward ${f(compute)} · sum ${f(sum)} · optimizer ${f(optimizer)} | ` +
      `step on 1 thread ${f(step1)}, on 2 ${f(step2)} → ${(step1 / step2).toFixed(2)}× · ` +
      `2 threads' overhead (wake, waits, imbalance) ${f(overhead)}`,
  );
}
pool.dispose();
