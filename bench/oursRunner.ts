/**
 * Our engine as a benchmark runner: the app's TrainingSession, so what is timed includes gathering each
 * batch from the shuffled dataset and converting bytes to floats, as in the app — and, given a pool, the
 * data-parallel step across its threads.
 */
import type { TrainConfig } from '../src/engine/types.ts';
import type { ComputePool } from '../src/training/parallel/computePool.ts';
import { TrainingSession } from '../src/training/session.ts';
import type { BenchData } from './benchData.ts';
import { timeSteps, type Runner } from './measure.ts';

/**
 * A session of `config` on `data`, split across `pool`'s threads when given (binding it releases whatever
 * session the pool served before: build a pool's runner only once the previous one is done with).
 * Throws when the session does not use the threads asked for.
 */
export function oursRunner(config: TrainConfig, data: BenchData, pool?: ComputePool): Runner {
  const session = new TrainingSession(config, data, { pool });
  const want = pool?.workers ?? 1;
  if (session.workers !== want)
    throw new Error(`the session trains on ${session.workers} threads, not ${want}`);
  const choices: Record<string, number> = {};
  const note = (): void => {
    const k = session.network.firstLayerKernels();
    const key = `forward ${k.forward}, weight grad ${k.weightGrad}`;
    choices[key] = (choices[key] ?? 0) + 1;
  };
  return {
    kernelChoices: () => ({ ...choices }),
    run: (seconds) =>
      timeSteps(seconds, () => {
        const r = session.trainBatch();
        if ((r.step & 63) === 1) note(); // sample the kernel choice: the first batch, then every 64th
        return { samples: r.batchSize, loss: r.loss };
      }),
  };
}
