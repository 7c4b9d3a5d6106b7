/**
 * The little a smoke scenario needs from a browser, so the scenario (scenario.ts) is written once and each
 * engine is one adapter (firefox.ts: puppeteer-core over WebDriver BiDi; webkit.ts: selenium-webdriver and
 * WebKitWebDriver). Everything else — finding elements, reading attributes, waiting — runs in the page as
 * a script built here, so the adapters stay a few lines each and behave alike.
 */

export interface EngineDriver {
  /** The browser's own name and version, as its driver reports them ("firefox 153.8.0esr"). */
  readonly version: string;
  /** Opens `url`, waits for its load event, and has page errors collected ({@link ERRORS_GLOBAL}). */
  goto(url: string): Promise<void>;
  /**
   * Evaluates a JavaScript expression in the page (a promise is awaited) and returns its JSON value.
   * Build it with {@link call}; a throw in the page rejects with the page's message.
   */
  evaluate(expression: string): Promise<unknown>;
  /** The mouse, in viewport CSS pixels: press at the first point, move through the others, release. */
  drag(points: readonly [number, number][]): Promise<void>;
  /** A PNG of the viewport. */
  screenshot(file: string): Promise<void>;
  close(): Promise<void>;
}

/** A browser the runner can start, or why not and how to get it. */
export type Found = { found: true; what: string } | { found: false; missing: string; install: string };

export interface EngineVariant {
  /** Stated in every line of the report: "Firefox ESR 153", "WebKitGTK (SharedArrayBuffer on)". */
  label: string;
  /** Starts a fresh browser with a 1280×800 viewport. */
  launch(): Promise<EngineDriver>;
}

/** Where the page's errors are kept (window.onerror and unhandled rejections), read back by the scenario. */
export const ERRORS_GLOBAL = '__engineSmokeErrors';

/**
 * Installs the error collector; run in the page before its scripts where the engine allows (Firefox: a
 * BiDi preload script), else right after load (WebKitWebDriver has no preload; an error while the app
 * starts leaves it not ready, which the scenario's first check sees). MiniBrowser's console does not reach
 * the driver, hence collecting in the page.
 */
export function collectErrorsScript(): string {
  return `(() => {
    if (window.${ERRORS_GLOBAL}) return;
    const errors = (window.${ERRORS_GLOBAL} = []);
    window.addEventListener('error', (e) => errors.push('error: ' + (e.message || e.type) + ' at ' + (e.filename || '?') + ':' + (e.lineno || 0)));
    window.addEventListener('unhandledrejection', (e) => errors.push('unhandled rejection: ' + String(e.reason) + (e.reason && e.reason.stack ? ' ' + e.reason.stack : '')));
  })()`;
}

/**
 * An expression calling `fn(...args)` in the page. `fn` travels as its source text, so it may use only
 * its parameters and the page's globals. The runner's compiler (tsx, keepNames) wraps inner named
 * functions in `__name(fn, "name")`; a no-op of that name is put in scope.
 */
export function call<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): string {
  return `((__name) => (${fn.toString()})(...${JSON.stringify(args)}))((f) => f)`;
}

/** A promise that rejects after `ms` with `what`, for calls into a browser that may hang. */
export async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer after ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
