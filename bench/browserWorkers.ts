/**
 * The browser benchmark's worker-count parts (browser.bench.ts): throughput and the page's budgets per
 * worker count in one page, and the time to a test accuracy per worker count in fresh pages.
 */
import type { Browser, Page } from 'playwright-core';
import { instrumentScript, measurePhase, type PhaseResult } from './browser.bench';

export interface WorkersFigure {
  workers: number;
  windows: number;
  samplesPerSecond: number;
  /** Throughput ÷ that of the first count measured (usually 1 worker). */
  ratio: number;
  framesPerSecond: number;
  longTasks: number;
  longestTaskMs: number;
  predictMedianMs: number;
}

const fmt = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '–');

/**
 * For each round and each count: sets the `workers` control while training, waits until the status says
 * the count is in use, settles, then measures a window (drawing, as the main window does).
 */
export async function compareWorkers(
  page: Page,
  o: { workers: number[]; rounds: number; minutes: number; draw: boolean },
  log: (s: string) => void,
): Promise<WorkersFigure[]> {
  const phases: { workers: number; phase: PhaseResult }[] = [];
  for (let r = 0; r < o.rounds; r++) {
    for (const n of o.workers) {
      await page.getByTestId('workers').selectOption(String(n));
      const used = n === 0 ? '' : `[data-used="${n}"]`;
      await page.locator(`[data-testid="workers-used"]${used}`).waitFor({ timeout: 30_000 });
      const phase = await measurePhase(page, 'watch', o);
      log(
        `  ${n} worker${n === 1 ? '' : 's'}: ${fmt(phase.samplesPerSecond, 0)} samples/s · ${fmt(phase.framesPerSecond)} fps · ` +
          `${phase.longTasks} long tasks (longest ${fmt(phase.longestTaskMs)} ms) · predict median ${fmt(phase.predictMedianMs)} ms`,
      );
      phases.push({ workers: n, phase });
    }
  }
  const figures = o.workers.map((n) => {
    const ps = phases.filter((p) => p.workers === n).map((p) => p.phase);
    const mean = (f: (p: PhaseResult) => number) => ps.reduce((a, p) => a + f(p), 0) / ps.length;
    return {
      workers: n,
      windows: ps.length,
      samplesPerSecond: mean((p) => p.samplesPerSecond),
      ratio: 1,
      framesPerSecond: Math.min(...ps.map((p) => p.framesPerSecond)),
      longTasks: ps.reduce((a, p) => a + p.longTasks, 0),
      longestTaskMs: Math.max(...ps.map((p) => p.longestTaskMs)),
      predictMedianMs: mean((p) => p.predictMedianMs),
    };
  });
  for (const f of figures) f.ratio = f.samplesPerSecond / figures[0]!.samplesPerSecond;
  return figures;
}

export function printWorkers(figures: WorkersFigure[]): void {
  console.log('\nworker counts compared in this run (mean samples/s, lowest fps, worst long task):');
  for (const f of figures) {
    console.log(
      `  ${String(f.workers).padStart(2)} worker${f.workers === 1 ? ' ' : 's'} ${fmt(f.samplesPerSecond, 0)} samples/s ` +
        `(${fmt(f.ratio, 2)}× the first) · ${fmt(f.framesPerSecond)} fps · ${f.longTasks} long tasks ` +
        `(longest ${fmt(f.longestTaskMs)} ms) · predict median ${fmt(f.predictMedianMs)} ms (${f.windows} window${f.windows === 1 ? '' : 's'})`,
    );
  }
}

/**
 * Per link (`workers=2`, `workers=1&batch=64&lr=0.001` …; the rest default), a fresh page: Train, then the
 * time from the first 'training' status to the first epoch whose test accuracy reaches `target`.
 */
export async function timeToAccuracy(
  browser: Browser,
  baseUrl: string,
  queries: string[],
  target: number,
  json: boolean,
  log: (s: string) => void,
): Promise<void> {
  const results: { query: string; used: number; seconds: number; epoch: number; testAccuracy: number }[] = [];
  for (const query of queries) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    await context.addInitScript({ content: instrumentScript() });
    const page = await context.newPage();
    await page.goto(`${baseUrl}?${query}`);
    await page.getByTestId('dataset-counts').waitFor({ timeout: 60_000 });
    await page.getByTestId('train-toggle').click();
    type Epochs = { epoch: number; testAccuracy: number; t: number }[];
    const reached = await page.waitForFunction(
      (goal) => {
        const b = (window as unknown as { __bench: { epochs: Epochs; trainingSince: number | null } })
          .__bench;
        const hit = b.epochs.find((e) => e.testAccuracy >= goal);
        return hit && b.trainingSince !== null ? { ...hit, since: b.trainingSince } : null;
      },
      target,
      { timeout: 30 * 60_000, polling: 500 },
    );
    const hit = (await reached.jsonValue())!;
    const used = Number(await page.getByTestId('workers-used').getAttribute('data-used'));
    const r = {
      query,
      used,
      seconds: (hit.t - hit.since) / 1000,
      epoch: hit.epoch,
      testAccuracy: hit.testAccuracy,
    };
    log(
      `  ?${query} (${used} worker${used === 1 ? '' : 's'} in use): ${fmt(r.seconds)} s to ${fmt(100 * target)} % ` +
        `(epoch ${r.epoch}, ${fmt(100 * r.testAccuracy, 2)} %)`,
    );
    results.push(r);
    await context.close();
  }
  if (json) console.log(JSON.stringify({ toAccuracy: target, results }, null, 2));
}
