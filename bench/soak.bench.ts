/**
 * Soak test: the built app trains at full speed in Chromium for a long time, and the page's and the
 * worker's JS heap (after a forced GC) are printed every minute — a leak shows as a steady climb.
 *
 *   npm run bench:soak                         # 30 minutes
 *   npm run bench:soak -- --minutes 2          # a quick look
 *   npm run -s bench:soak -- --json            # machine-readable result on stdout (-s: no npm banner)
 *
 * Reuses bench/browser.bench.ts: the same Chromium (test/e2e/chromium.ts), the same init script that
 * sees the worker's status events, and the same DevTools-protocol memory sampling (the browser session
 * attaches to the worker target: HeapProfiler.collectGarbage + Runtime.getHeapUsage; the page through
 * its own CDP session). No drawing: this measures training alone, for as long as asked.
 *
 * The site is built into the system's temp folder and served by `vite preview` (started and stopped here,
 * by pid). The app runs with `epochs=0` (train until paused) and its default network.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { chromiumLaunchOptions, resolveChromium } from '../test/e2e/chromium';
import { instrumentScript, sampleMemory, waitForServer, WorkerCdp, type MemorySample } from './browser.bench';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT_DIR = path.join(os.tmpdir(), 'backprop-lab-soak-dist');
const VITE = path.join(ROOT, 'node_modules', '.bin', 'vite');

interface Options {
  minutes: number;
  everySeconds: number;
  json: boolean;
  port: number;
  build: boolean;
}

const USAGE = 'usage: npm run bench:soak -- [--minutes 30] [--every 60] [--json] [--port 4184] [--no-build]';

function parseArgs(argv: string[]): Options {
  const o: Options = { minutes: 30, everySeconds: 60, json: false, port: 4184, build: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v <= 0) throw new Error(`${a} needs a number > 0`);
      return v;
    };
    if (a === '--minutes') o.minutes = next();
    else if (a === '--every') o.everySeconds = Math.max(5, next());
    else if (a === '--port') o.port = next();
    else if (a === '--json') o.json = true;
    else if (a === '--no-build') o.build = false;
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${a}\n${USAGE}`);
  }
  return o;
}

interface SoakSample extends MemorySample {
  step: number;
  samplesPerSecond: number;
  status: string;
}

/** Least-squares slope of y over x (MB per minute when x is in minutes); NaN with fewer than 2 points. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  if (n < 2) return NaN;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den > 0 ? num / den : NaN;
}

const fmt = (v: number, digits = 2) => (Number.isFinite(v) ? v.toFixed(digits) : '–');

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const log = (s: string) => (o.json ? process.stderr.write(`${s}\n`) : console.log(s));
  const chromiumPath = resolveChromium().path;

  if (o.build || !existsSync(path.join(OUT_DIR, 'index.html'))) {
    log(`building into ${OUT_DIR} …`);
    const b = spawnSync(VITE, ['build', '--outDir', OUT_DIR, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: ROOT,
      stdio: o.json ? ['ignore', 'ignore', 'inherit'] : 'inherit',
    });
    if (b.status !== 0) throw new Error('vite build failed');
  }

  let server: ChildProcess | null = null;
  let browser: Browser | null = null;
  const baseUrl = `http://127.0.0.1:${o.port}/`;
  try {
    // vite's own binary, not npx: its pid is the server's, so kill() stops it.
    server = spawn(
      VITE,
      ['preview', '--outDir', OUT_DIR, '--port', String(o.port), '--strictPort', '--host', '127.0.0.1'],
      { cwd: ROOT, stdio: 'ignore' },
    );
    await waitForServer(baseUrl, 20_000);

    browser = await chromium.launch(chromiumLaunchOptions());
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    await context.addInitScript({ content: instrumentScript() });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));

    await page.goto(`${baseUrl}?epochs=0`);
    await page.getByTestId('dataset-counts').waitFor({ timeout: 60_000 });
    await page.getByTestId('train-toggle').click();
    await page.waitForFunction(
      () =>
        (window as unknown as { __bench: { status: { status: string } | null } }).__bench.status?.status ===
        'training',
      undefined,
      { timeout: 10_000 },
    );
    const workerUrl =
      page
        .workers()
        .find((w) => w.url().includes('training.worker'))
        ?.url() ?? 'training.worker';
    const worker = await WorkerCdp.attach(browser, path.basename(new URL(workerUrl).pathname));
    const pageCdp = await context.newCDPSession(page);

    const status = () =>
      page.evaluate(() => {
        const s = (
          window as unknown as {
            __bench: { status: { status: string; step: number; samplesPerSecond: number } | null };
          }
        ).__bench.status;
        return s ?? { status: 'unknown', step: 0, samplesPerSecond: 0 };
      });
    const sample = async (atSeconds: number): Promise<SoakSample> => {
      const m = await sampleMemory(worker, pageCdp, atSeconds);
      const s = await status();
      return { ...m, step: s.step, samplesPerSecond: s.samplesPerSecond, status: s.status };
    };
    const line = (s: SoakSample) =>
      `${fmt(s.atSeconds / 60, 1).padStart(5)} min  step ${String(s.step).padStart(8)}  ` +
      `${String(Math.round(s.samplesPerSecond)).padStart(6)} samples/s  ` +
      `page heap ${fmt(s.pageHeapMB).padStart(7)} MB  worker heap ${fmt(s.workerHeapMB).padStart(7)} MB  ` +
      `worker ArrayBuffers ${fmt(s.workerArrayBuffersMB ?? NaN, 1).padStart(6)} MB  ${s.status}`;

    log(`training at full speed for ${o.minutes} min; JS heap after a forced GC every ${o.everySeconds} s`);
    const t0 = Date.now();
    const samples: SoakSample[] = [await sample(0)];
    log(line(samples[0]!));
    const end = t0 + o.minutes * 60_000;
    for (let k = 1; ; k++) {
      const at = Math.min(end, t0 + k * o.everySeconds * 1000);
      await page.waitForTimeout(Math.max(0, at - Date.now()));
      const s = await sample((Date.now() - t0) / 1000);
      samples.push(s);
      log(line(s));
      if (at >= end) break;
    }
    await page.getByTestId('train-toggle').click();

    const minutes = samples.map((s) => s.atSeconds / 60);
    // The first minute holds the warm-up (JIT, first allocations): the trend is fitted after it when
    // there is enough run left.
    const from = samples.length > 3 ? 1 : 0;
    const trend = (pick: (s: SoakSample) => number) =>
      slope(minutes.slice(from), samples.slice(from).map(pick));
    const first = samples[0]!;
    const last = samples[samples.length - 1]!;
    const result = {
      browser: chromiumPath,
      minutes: o.minutes,
      steps: last.step - first.step,
      pageHeapMB: {
        first: first.pageHeapMB,
        last: last.pageHeapMB,
        max: Math.max(...samples.map((s) => s.pageHeapMB)),
      },
      workerHeapMB: {
        first: first.workerHeapMB,
        last: last.workerHeapMB,
        max: Math.max(...samples.map((s) => s.workerHeapMB)),
      },
      trendMBPerMinute: { page: trend((s) => s.pageHeapMB), worker: trend((s) => s.workerHeapMB) },
      samples,
      pageErrors,
    };
    if (o.json) console.log(JSON.stringify(result, null, 2));
    else {
      console.log('');
      console.log(
        `page heap   ${fmt(first.pageHeapMB)} → ${fmt(last.pageHeapMB)} MB (max ${fmt(result.pageHeapMB.max)}), ` +
          `trend ${fmt(result.trendMBPerMinute.page, 3)} MB/min`,
      );
      console.log(
        `worker heap ${fmt(first.workerHeapMB)} → ${fmt(last.workerHeapMB)} MB (max ${fmt(result.workerHeapMB.max)}), ` +
          `trend ${fmt(result.trendMBPerMinute.worker, 3)} MB/min`,
      );
      console.log(
        `${result.steps} steps in ${fmt(last.atSeconds / 60, 1)} min; final status: ${last.status}`,
      );
      if (pageErrors.length) console.log(`page errors: ${pageErrors.join(' | ')}`);
    }
  } finally {
    await browser?.close();
    server?.kill();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
