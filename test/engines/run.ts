/**
 * `npm run test:engines`: the smoke scenario (scenario.ts) in Firefox ESR and WebKitGTK against the BUILT
 * site, served by `vite preview` twice — cross-origin isolated (COOP/COEP, what vite.config.ts sends) and
 * plain (BACKPROP_NOT_ISOLATED=1, a host that cannot send headers). Chromium runs the full suite under
 * Playwright (`npm run test:e2e`); these are the other two engines, kept lean for `npm test`'s budget.
 *
 * Runs, each a fresh browser:
 *   Firefox ESR   isolated → ≥ 2 workers          plain → 1 worker, "not cross-origin isolated"
 *   WebKitGTK     isolated → 1 worker, "this browser gives no shared memory to this page" (WebKitGTK makes
 *                 shared buffers but refuses to post them to workers: src/training/parallel/sharedMemory.ts)
 *                 isolated, JSC_useSharedArrayBuffer=1 (what Safari's WebKit sets for an isolated page's
 *                 process) → ≥ 2 workers: the threads path in JavaScriptCore
 *                 plain → 1 worker, "not cross-origin isolated"
 *
 * An engine that is not installed is named with how to install it in the last lines, never skipped
 * silently; where CI is set (to anything) that fails the run. The last line is "N passed, N failed"
 * (checks), with ", N engines not found" when one was missing.
 *
 * Options: --engine firefox|webkit (repeatable; default both). Environment: ENGINES_PORT (default 4180;
 * the plain server takes the next port), ENGINES_QUERY (appended to the page's query, e.g. `workers=1`),
 * FIREFOX_PATH, WEBKIT_WEBDRIVER_PATH, MINIBROWSER_PATH. Screenshots: test/engines/artifacts/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { EngineDriver, Found } from './driver';
import { findFirefox, launchFirefox } from './firefox';
import { runScenario, SMOKE_QUERY, type CheckResult } from './scenario';
import { findWebKit, launchWebKit } from './webkit';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ARTIFACTS = path.join(import.meta.dirname, 'artifacts');
const NOT_ISOLATED = 'this page is not cross-origin isolated';
const NO_SHARED_MEMORY = 'this browser gives no shared memory to this page';

type EngineId = 'firefox' | 'webkit';
interface Run {
  name: string;
  page: 'isolated' | 'plain';
  shared: boolean;
  reason?: string;
  launch: () => Promise<EngineDriver>;
}
interface Engine {
  id: EngineId;
  label: string;
  found: Found;
  runs: () => Run[];
}

function engines(): Engine[] {
  const firefox = findFirefox();
  const webkit = findWebKit();
  return [
    {
      id: 'firefox',
      label: 'Firefox ESR',
      found: firefox,
      runs: () => [
        {
          name: 'firefox-isolated',
          page: 'isolated',
          shared: true,
          launch: () => launchFirefox(firefox.path!),
        },
        {
          name: 'firefox-plain',
          page: 'plain',
          shared: false,
          reason: NOT_ISOLATED,
          launch: () => launchFirefox(firefox.path!),
        },
      ],
    },
    {
      id: 'webkit',
      label: 'WebKitGTK',
      found: webkit,
      runs: () => [
        {
          name: 'webkit-isolated',
          page: 'isolated',
          shared: false,
          reason: NO_SHARED_MEMORY,
          launch: () => launchWebKit(webkit.paths!),
        },
        {
          name: 'webkit-isolated-sab',
          page: 'isolated',
          shared: true,
          launch: () => launchWebKit(webkit.paths!, { JSC_useSharedArrayBuffer: '1' }),
        },
        {
          name: 'webkit-plain',
          page: 'plain',
          shared: false,
          reason: NOT_ISOLATED,
          launch: () => launchWebKit(webkit.paths!),
        },
      ],
    },
  ];
}

/** `vite preview` of dist/ on `port`; resolves once it answers. */
async function preview(port: number, isolated: boolean): Promise<ChildProcess> {
  const proc = spawn(
    path.join(ROOT, 'node_modules/.bin/vite'),
    ['preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'],
    {
      cwd: ROOT,
      env: { ...process.env, ...(isolated ? {} : { BACKPROP_NOT_ISOLATED: '1' }) },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  proc.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  const t0 = Date.now();
  // A server that did not come up is ended here: the caller only stops the servers it got.
  const fail = (message: string): never => {
    if (proc.exitCode === null) proc.kill();
    throw new Error(message);
  };
  // A busy machine (another browser on the same 2 cores) can take a while to start node.
  while (Date.now() - t0 < 60_000) {
    if (proc.exitCode !== null)
      fail(`vite preview on port ${port} exited (${proc.exitCode}): ${stderr.trim()}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/`);
      const coop = r.headers.get('cross-origin-opener-policy');
      if (r.ok && (coop === 'same-origin') === isolated) return proc;
      if (r.ok) fail(`port ${port} answers with COOP ${coop}: another server? (set ENGINES_PORT)`);
    } catch (e) {
      if (e instanceof Error && e.message.startsWith('port ')) throw e;
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return fail(`vite preview on port ${port} did not answer within 60 s`);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { engine: { type: 'string', multiple: true } } });
  const wanted = new Set<string>(values.engine ?? ['firefox', 'webkit']);
  for (const e of wanted)
    if (e !== 'firefox' && e !== 'webkit') throw new Error(`--engine ${e}: expected firefox or webkit`);
  if (!existsSync(path.join(ROOT, 'dist', 'index.html')))
    throw new Error('dist/ is missing: run `npm run build` first (`npm test` does).');
  mkdirSync(ARTIFACTS, { recursive: true });

  const all = engines().filter((e) => wanted.has(e.id));
  const present = all.filter((e) => e.found.found);
  const missing = all.filter((e) => !e.found.found);
  const port = Number(process.env.ENGINES_PORT ?? 4180);
  const extra = process.env.ENGINES_QUERY ? `&${process.env.ENGINES_QUERY}` : '';
  const query = `?${SMOKE_QUERY}${extra}`;

  let passed = 0;
  let failed = 0;
  const summary: string[] = [];
  const servers: ChildProcess[] = [];
  const stopServers = () => servers.forEach((s) => s.exitCode === null && s.kill());
  process.once('exit', stopServers);
  try {
    if (present.length > 0) {
      servers.push(await preview(port, true));
      servers.push(await preview(port + 1, false));
      console.log(`engines: the built site on :${port} (isolated) and :${port + 1} (plain), query ${query}`);
    }
    for (const engine of present) {
      for (const run of engine.runs()) {
        const t0 = performance.now();
        const title = `${engine.label} · ${run.name}`;
        let results: CheckResult[];
        let driver: EngineDriver | undefined;
        try {
          driver = await run.launch();
          console.log(`▶ ${title} (${driver.version})`);
          results = await runScenario(
            driver,
            {
              url: `http://127.0.0.1:${run.page === 'isolated' ? port : port + 1}/${query}`,
              isolated: run.page === 'isolated',
              shared: run.shared,
              reason: run.reason,
              artifacts: ARTIFACTS,
              name: run.name,
            },
            (r) =>
              console.log(
                `  ${r.ok ? '✓' : '✗'} ${r.check} (${seconds(r.ms)}) — ${r.detail.split('\n').join('\n      ')}`,
              ),
          );
        } catch (e) {
          console.log(`▶ ${title}`);
          const detail = e instanceof Error ? e.message : String(e);
          console.log(`  ✗ the browser started — ${detail}`);
          results = [{ check: 'the browser started', ok: false, ms: 0, detail }];
        } finally {
          await driver?.close();
        }
        const ok = results.filter((r) => r.ok).length;
        passed += ok;
        failed += results.length - ok;
        const line = `${title}: ${ok} of ${results.length} checks passed in ${seconds(performance.now() - t0)}`;
        summary.push(line);
        console.log(`  ${line}`);
      }
    }
  } finally {
    stopServers();
  }

  console.log('');
  for (const line of summary) console.log(line);
  if (present.length > 0) console.log(`screenshots: ${path.relative(process.cwd(), ARTIFACTS)}/`);
  for (const e of missing) {
    if (e.found.found) continue;
    console.log(`${e.label} NOT FOUND, so not tested: ${e.found.missing}.`);
    console.log(`  Install it — ${e.found.install}`);
  }
  if (missing.length > 0 && process.env.CI !== undefined)
    console.log(`CI is set: a missing engine fails the run (${missing.map((e) => e.label).join(', ')}).`);
  const notFound =
    missing.length === 0
      ? ''
      : `, ${missing.length} ${missing.length === 1 ? 'engine' : 'engines'} not found`;
  console.log(`${passed} passed, ${failed} failed${notFound}`);
  return failed > 0 || (missing.length > 0 && process.env.CI !== undefined) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
