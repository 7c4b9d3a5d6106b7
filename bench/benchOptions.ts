/** The engine benchmark's command line (see engine.bench.ts's header for what each part times). */
import { DATASET_NAMES, type DatasetName } from '../src/data/dataset.ts';

export type EngineName = 'ours' | 'tfjs-cpu' | 'tfjs-wasm';
export type Part = 'engines' | 'dense' | 'scaling' | 'batch';
/** In the order they run: the one-thread comparisons with TF.js first, then the thread counts. */
export const PARTS: readonly Part[] = ['engines', 'dense', 'scaling', 'batch'];

export interface Options {
  reps: number;
  seconds: number;
  json: boolean;
  /** The engines part's engines. */
  engines: EngineName[];
  /** Thread counts of the scaling part, increasing, 1 always included (the reference); the batch part uses 1 and the last. */
  workers: number[];
  /** The scaling part's datasets. */
  datasets: DatasetName[];
  /** The batch part's batch sizes. */
  batches: number[];
  parts: Part[];
}

export const USAGE =
  'usage: npm run bench -- [--json] [--reps 5] [--seconds 2] [--parts engines,dense,scaling,batch] ' +
  '[--engines ours,cpu,wasm] [--workers 1,2,…] [--datasets mnist,fashion-mnist] [--batches 32,64,128,256]';

function list<T>(value: string, parse: (s: string) => T): T[] {
  return value
    .split(',')
    .filter((s) => s !== '')
    .map(parse);
}

function positiveInt(flag: string) {
  return (s: string): number => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag}: ${s} is not a whole number ≥ 1`);
    return n;
  };
}

function oneOf<T extends string>(flag: string, choices: readonly T[], alias: Record<string, T> = {}) {
  return (s: string): T => {
    const v = alias[s] ?? (s as T);
    if (!choices.includes(v)) throw new Error(`${flag}: unknown ${s} (choose from ${choices.join(', ')})`);
    return v;
  };
}

const increasing = (a: number[]) => [...new Set(a)].sort((x, y) => x - y);

/** `cores`: the default's largest thread count. */
export function parseArgs(argv: string[], cores: number): Options {
  const o: Options = {
    reps: 5,
    seconds: 2,
    json: false,
    engines: ['ours', 'tfjs-cpu', 'tfjs-wasm'],
    workers: Array.from({ length: Math.max(1, cores) }, (_, i) => i + 1),
    datasets: [...DATASET_NAMES],
    batches: [32, 64, 128, 256],
    parts: [...PARTS],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--json') o.json = true;
    else if (a === '--reps') o.reps = positiveInt(a)(next());
    else if (a === '--seconds') o.seconds = Math.max(0.2, Number.parseFloat(next()) || 0);
    else if (a === '--engines') {
      const alias = { cpu: 'tfjs-cpu', wasm: 'tfjs-wasm' } as const;
      o.engines = list(next(), oneOf(a, ['ours', 'tfjs-cpu', 'tfjs-wasm'] as const, alias));
    } else if (a === '--workers') o.workers = increasing([1, ...list(next(), positiveInt(a))]);
    else if (a === '--datasets') o.datasets = list(next(), oneOf(a, DATASET_NAMES));
    else if (a === '--batches') o.batches = increasing(list(next(), positiveInt(a)));
    else if (a === '--parts') {
      const chosen = new Set(list(next(), oneOf(a, PARTS)));
      o.parts = PARTS.filter((p) => chosen.has(p)); // run order, whatever order they were named in
    } else throw new Error(`unknown option ${a}\n${USAGE}`);
  }
  return o;
}
