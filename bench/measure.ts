/**
 * What every part of the engine benchmark shares: a runner that trains for a given time, repetitions that
 * alternate the runners being compared, and the summary of the samples/s they measured.
 */
import { cpus } from 'node:os';

export interface RunResult {
  samples: number;
  seconds: number;
  /** Mean loss of the last 20 batches (a sanity check: a runner that diverged is not a fair comparison). */
  loss: number;
  /** CPU time of the whole process (every thread) ÷ wall time: how many cores it actually kept busy. */
  coresBusy: number;
  /** The same for the whole machine, every process (os.cpus()' non-idle time; tick resolution, ~10 ms). */
  machineCoresBusy: number;
}

export interface Runner {
  /** Trains batches until `seconds` have passed. */
  run(seconds: number): RunResult;
  /** Ours only: how often each first-layer kernel was chosen so far ("forward …, weight grad …" → batches). */
  kernelChoices?: () => Record<string, number>;
}

/** Samples/s of one runner over the repetitions. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  /** Each repetition's samples/s, in order. */
  samples: number[];
  lastLoss: number;
  /**
   * Median of the runs' CPU ÷ wall time. With N threads it should approach N; when it stays near 1 the
   * threads either waited (at the step's barriers) or had no core to run on — {@link machineCoresBusy}
   * tells which.
   */
  coresBusy: number;
  /** Median of the runs' machine-wide busy cores: well above coresBusy, other processes competed. */
  machineCoresBusy: number;
}

export interface Timing {
  reps: number;
  seconds: number;
}

/**
 * Warms every runner up (JIT, wasm compilation, first allocations, the helpers' JIT too), then `reps`
 * repetitions in which each runs `seconds`, the starting one rotated each repetition so that machine noise
 * (another process, thermal throttling, GC) hits all alike rather than always the first.
 * @param onRep called after each repetition with its samples/s per runner (progress lines)
 */
export function alternate<K>(
  runners: readonly (readonly [K, Runner])[],
  timing: Timing,
  onRep?: (rep: number, figures: [K, number][]) => void,
): Map<K, Summary> {
  for (const [, r] of runners) r.run(Math.min(1, timing.seconds / 2));
  const rates = new Map<K, number[]>(runners.map(([k]) => [k, []]));
  const loss = new Map<K, number>();
  const busy = new Map<K, number[]>(runners.map(([k]) => [k, []]));
  const machine = new Map<K, number[]>(runners.map(([k]) => [k, []]));
  for (let rep = 0; rep < timing.reps; rep++) {
    const figures: [K, number][] = [];
    for (let i = 0; i < runners.length; i++) {
      const [k, runner] = runners[(i + rep) % runners.length]!;
      const r = runner.run(timing.seconds);
      const sps = r.samples / r.seconds;
      rates.get(k)!.push(sps);
      loss.set(k, r.loss);
      busy.get(k)!.push(r.coresBusy);
      machine.get(k)!.push(r.machineCoresBusy);
      figures.push([k, sps]);
    }
    onRep?.(rep, figures);
  }
  return new Map(
    runners.map(([k]) => [
      k,
      {
        ...summarise(rates.get(k)!, loss.get(k) ?? NaN),
        coresBusy: median(busy.get(k)!),
        machineCoresBusy: median(machine.get(k)!),
      },
    ]),
  );
}

function summarise(samples: number[], lastLoss: number) {
  return { median: median(samples), min: Math.min(...samples), max: Math.max(...samples), samples, lastLoss };
}

/** Busy milliseconds of every core since boot (all processes). */
function machineBusyMs(): number {
  let ms = 0;
  for (const c of cpus()) ms += c.times.user + c.times.nice + c.times.sys + c.times.irq;
  return ms;
}

/** Above this many cores busy in other processes (median of a run), a part's figures carry a warning. */
const OTHERS_NOTICEABLE = 0.25;

/**
 * A warning when other processes kept cores busy while `summaries` were measured (their figures then
 * measure the machine's load as much as the code), else null.
 */
export function loadWarning(summaries: readonly Summary[]): string | null {
  const others = Math.max(...summaries.map((s) => Math.max(0, s.machineCoresBusy - s.coresBusy)));
  if (!(others > OTHERS_NOTICEABLE)) return null;
  return `⚠ other processes kept up to ${others.toFixed(2)} of ${cpus().length} cores busy during these runs: the figures measure the machine's load as much as the code`;
}

/**
 * Calls `step` (one batch: its samples and loss) until `seconds` have passed, reading the clock after
 * every batch (performance.now() costs ~0.1 µs here, a batch ≥ ~0.3 ms).
 */
export function timeSteps(seconds: number, step: () => { samples: number; loss: number }): RunResult {
  const last = new Float64Array(20);
  let batches = 0;
  let samples = 0;
  const cpu0 = process.cpuUsage();
  const machine0 = machineBusyMs();
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  let t = t0;
  while (t < end) {
    const r = step();
    samples += r.samples;
    last[batches++ % last.length] = r.loss;
    t = performance.now();
  }
  const cpu = process.cpuUsage(cpu0);
  const machineMs = machineBusyMs() - machine0;
  const wall = (t - t0) / 1000;
  return {
    samples,
    seconds: wall,
    loss: mean(Array.from(last.subarray(0, Math.min(batches, last.length)))),
    coresBusy: (cpu.user + cpu.system) / 1e6 / wall,
    machineCoresBusy: machineMs / 1000 / wall,
  };
}

export function mean(a: number[]): number {
  return a.length === 0 ? NaN : a.reduce((s, v) => s + v, 0) / a.length;
}

export function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** 13,100 (samples/s as people read them). */
export function perSecond(v: number): string {
  return Math.round(v).toLocaleString('en-US');
}

/** Threads in words: "1 worker", "2 workers". */
export function workersLabel(n: number): string {
  return `${n} worker${n === 1 ? '' : 's'}`;
}
