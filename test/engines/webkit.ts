/**
 * WebKitGTK for the smoke test (the engine Safari uses): WebKitWebDriver (webkit2gtk-driver) driving
 * MiniBrowser (libwebkit2gtk-4.1-0) through selenium-webdriver. MiniBrowser has no headless mode, so it
 * runs on an Xvfb display of its own, started here (`-displayfd` picks a free display).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { Builder, Origin, type WebDriver } from 'selenium-webdriver';
import { collectErrorsScript, within, type EngineDriver, type Found } from './driver';

const INSTALL = 'Debian/Ubuntu: sudo apt-get install webkit2gtk-driver libwebkit2gtk-4.1-0 xvfb';

export interface WebKitPaths {
  driver: string;
  miniBrowser: string;
  xvfb: string;
}

/** MiniBrowser where libwebkit2gtk-4.1-0 puts it (`dpkg -L libwebkit2gtk-4.1-0 | grep MiniBrowser`). */
function findMiniBrowser(): string | undefined {
  let arches: string[] = [];
  try {
    arches = readdirSync('/usr/lib').filter((d) => d.includes('-linux-'));
  } catch {
    // No /usr/lib: not a Debian-like system.
  }
  return [
    ...arches.map((a) => `/usr/lib/${a}/webkit2gtk-4.1/MiniBrowser`),
    '/usr/libexec/webkit2gtk-4.1/MiniBrowser',
  ]
    .filter((p) => existsSync(p))
    .at(0);
}

/** $WEBKIT_WEBDRIVER_PATH / $MINIBROWSER_PATH, else Debian's; and Xvfb. */
export function findWebKit(env: NodeJS.ProcessEnv = process.env): Found & { paths?: WebKitPaths } {
  const driver = env.WEBKIT_WEBDRIVER_PATH || '/usr/bin/WebKitWebDriver';
  const miniBrowser = env.MINIBROWSER_PATH || findMiniBrowser();
  const xvfb = '/usr/bin/Xvfb';
  const missing = [
    existsSync(driver) ? null : `WebKitWebDriver (${driver})`,
    miniBrowser && existsSync(miniBrowser) ? null : `MiniBrowser (${miniBrowser ?? 'libwebkit2gtk-4.1-0'})`,
    existsSync(xvfb) ? null : `Xvfb (${xvfb})`,
  ].filter((m) => m !== null);
  if (missing.length > 0) return { found: false, missing: `no ${missing.join(', no ')}`, install: INSTALL };
  return {
    found: true,
    what: `${driver} + ${miniBrowser}`,
    paths: { driver, miniBrowser: miniBrowser!, xvfb },
  };
}

/** A free TCP port on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Starts Xvfb on a free display; resolves with ":N" once it accepts clients. */
function startXvfb(xvfb: string): Promise<{ display: string; proc: ChildProcess }> {
  const proc = spawn(xvfb, ['-displayfd', '3', '-screen', '0', '1400x1000x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  return within(
    20_000,
    'starting Xvfb',
    new Promise((resolve, reject) => {
      let out = '';
      let err = '';
      proc.stderr!.on('data', (b: Buffer) => (err += b.toString()));
      proc.stdio[3]!.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.includes('\n')) resolve({ display: `:${out.trim()}`, proc });
      });
      proc.once('exit', (code) =>
        reject(new Error(`Xvfb exited (${code}): ${err.trim().split('\n').at(-1)}`)),
      );
    }),
  );
}

/** Waits until WebKitWebDriver answers its status endpoint. */
async function driverReady(url: string, proc: ChildProcess): Promise<void> {
  const t0 = Date.now();
  while (Date.now() - t0 < 20_000) {
    if (proc.exitCode !== null) throw new Error(`WebKitWebDriver exited (${proc.exitCode})`);
    try {
      if ((await fetch(`${url}/status`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('WebKitWebDriver did not answer within 20 s');
}

/**
 * A MiniBrowser session. `env` goes to WebKitWebDriver and so to MiniBrowser and its web process: e.g.
 * `JSC_useSharedArrayBuffer=1`, the JavaScriptCore option Safari's WebKit turns on for a cross-origin
 * isolated page's process (WebKitGTK leaves it off).
 */
export async function launchWebKit(
  paths: WebKitPaths,
  env: Record<string, string> = {},
): Promise<EngineDriver> {
  const procs: ChildProcess[] = [];
  let session: WebDriver | undefined;
  // Should the runner die mid-run, Xvfb and the driver must not outlive it.
  const killAll = () => procs.forEach((p) => p.exitCode === null && p.kill());
  process.once('exit', killAll);
  const stop = async () => {
    if (session) await within(20_000, 'closing MiniBrowser', session.quit()).catch(() => undefined);
    procs.reverse();
    killAll();
    process.off('exit', killAll);
  };
  try {
    const x = await startXvfb(paths.xvfb);
    procs.push(x.proc);
    const port = await freePort();
    const driver = spawn(paths.driver, [`--port=${port}`, '--host=127.0.0.1'], {
      env: { ...process.env, DISPLAY: x.display, ...env },
      stdio: 'ignore',
    });
    procs.push(driver);
    const url = `http://127.0.0.1:${port}`;
    await driverReady(url, driver);
    session = await within(
      60_000,
      'starting MiniBrowser',
      new Builder()
        .usingServer(url)
        .withCapabilities({
          browserName: 'MiniBrowser',
          'webkitgtk:browserOptions': { binary: paths.miniBrowser, args: ['--automation'] },
        })
        .build(),
    );
    const s = session;
    await s.manage().setTimeouts({ script: 150_000, pageLoad: 60_000 });
    await s.manage().window().setRect({ x: 0, y: 0, width: 1280, height: 800 });
    const caps = await s.getCapabilities();
    return {
      version: `${caps.get('browserName')} ${caps.get('browserVersion')}`,
      async goto(pageUrl) {
        await within(60_000, `loading ${pageUrl}`, s.get(pageUrl));
        // No preload scripts here: installed right after load (see collectErrorsScript).
        await s.executeScript(collectErrorsScript());
      },
      async evaluate(expression) {
        const answer = (await within(
          160_000,
          'a script in the page',
          s.executeAsyncScript(
            `const done = arguments[arguments.length - 1];
             Promise.resolve().then(() => ${expression})
               .then((value) => done({ value: value === undefined ? null : value }), (e) => done({ error: String((e && e.stack) || e) }));`,
          ),
        )) as { value?: unknown; error?: string };
        if (answer.error !== undefined) throw new Error(`in the page: ${answer.error}`);
        return answer.value;
      },
      async drag(points) {
        const [first, ...rest] = points;
        if (!first) return;
        const at = ([x, y]: [number, number]) => ({
          x: Math.round(x),
          y: Math.round(y),
          origin: Origin.VIEWPORT,
        });
        let a = s
          .actions({ async: true })
          .move({ ...at(first), duration: 0 })
          .press();
        for (const p of rest) a = a.move({ ...at(p), duration: 15 });
        await a.release().perform();
      },
      async screenshot(file) {
        writeFileSync(path.resolve(file), Buffer.from(await s.takeScreenshot(), 'base64'));
      },
      close: stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
