import { TrainingSession } from '/work/main/src/training/session.ts';
import { ComputePool } from '/work/main/src/training/parallel/computePool.ts';
import { spawnNodeCompute } from '/work/main/src/cli/computeThreads.ts';
import { DEFAULT_CONFIG } from '/work/main/src/engine/types.ts';
import { loadMnistNode } from '/work/main/bench/mnistNode.ts';
const data = loadMnistNode();
const config = { ...DEFAULT_CONFIG, batchSize: Number(process.argv[2] ?? 64) };
const sessions = new Map<number, TrainingSession>();
for (const w of [1, 2]) { const p = new ComputePool(spawnNodeCompute); await p.resize(w); sessions.set(w, new TrainingSession(config, data, { pool: p })); }
const tot = new Map<number, number>([[1, 0], [2, 0]]);
for (const rep of [0, 1, 2, 3]) {
  for (const w of rep % 2 ? [2, 1] : [1, 2]) {
    const s = sessions.get(w)!;
    for (let i = 0; i < 10; i++) s.trainBatch();
    const t0 = performance.now(); let n = 0;
    while (performance.now() - t0 < 2500) n += s.trainBatch().batchSize;
    tot.set(w, tot.get(w)! + n / ((performance.now() - t0) / 1000));
  }
}
console.log(`batch ${config.batchSize}: 1w ${Math.round(tot.get(1)! / 4)} 2w ${Math.round(tot.get(2)! / 4)} ratio ${(tot.get(2)! / tot.get(1)!).toFixed(2)}`);
process.exit(0);
