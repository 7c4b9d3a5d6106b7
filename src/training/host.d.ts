/**
 * The few host globals the trainer uses, which dedicated workers and Node both provide: a subset of their
 * lib.dom / @types/node declarations, so that src/training compiles with `lib: ["ES2023"]` and nothing
 * else (tsconfig.training.json). Anything used here that a worker or Node lacks would be a bug; anything
 * DOM (document, window, fetch) stays a compile error. Only tsconfig.training.json includes this file:
 * the app and Node projects see the real declarations instead.
 */

/* eslint-disable no-var -- `declare var`, as lib.dom.d.ts does: only a var is also a globalThis property. */

/** Monotonic milliseconds (absent on very old hosts: the clock falls back to Date.now). */
declare var performance: { now(): number } | undefined;

declare function setTimeout(fn: () => void, ms: number): unknown;
declare function clearTimeout(handle: unknown): void;

interface MessagePort {
  onmessage: ((ev: unknown) => void) | null;
  postMessage(message: unknown): void;
}
interface MessageChannel {
  readonly port1: MessagePort;
  readonly port2: MessagePort;
}
declare var MessageChannel: { new (): MessageChannel; prototype: MessageChannel };

interface AbortSignal {
  readonly aborted: boolean;
}
interface AbortController {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}
declare var AbortController: { new (): AbortController; prototype: AbortController };
