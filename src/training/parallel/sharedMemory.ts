/**
 * Where the threads' shared buffers come from. Every buffer the parallel step shares is made by
 * {@link allocShared}, so the engine's code never names the source. Two sources, in this order:
 *
 * 1. the global SharedArrayBuffer (Node; Chromium, Firefox and Safari in a cross-origin isolated page);
 * 2. the engine's SharedArrayBuffer reached through a shared `WebAssembly.Memory`: WebKitGTK gives an
 *    isolated page no global `SharedArrayBuffer`, yet `new WebAssembly.Memory({ …, shared: true }).buffer`
 *    is one. Its constructor makes buffers of the exact length asked for — the callers build typed views
 *    without a length (`new Float32Array(buffer)`), so a memory's buffer, whole 64 KiB pages, would not do.
 *
 * A source counts only if a buffer it makes can be posted: WebKitGTK 2.50 makes shared buffers by either
 * route but refuses to post any to a worker (DataCloneError: its JSC option `useSharedArrayBuffer` is off
 * in the web process — Safari's WebKit turns it on for isolated pages). A MessageChannel post goes through
 * the same structured-clone path a Worker's does, synchronously, with no message reaching anyone.
 *
 * With one thread the same layout is made of plain ArrayBuffers ({@link allocLocal}), so one thread runs the
 * very code N threads run.
 */

/** What the probe looks at: the global scope (a worker's or Node's), or a stand-in in the tests. */
export interface SharedMemoryHost {
  SharedArrayBuffer?: unknown;
  Atomics?: unknown;
  WebAssembly?: {
    Memory?: new (descriptor: { initial: number; maximum: number; shared: boolean }) => { buffer: unknown };
  };
  MessageChannel?: new () => {
    port1: { postMessage(message: unknown): void; close(): void };
    port2: { close(): void };
  };
}

/** Where shared buffers come from here ('global' or 'wasm'), or null where threads cannot share memory. */
export type SharedMemorySource = 'global' | 'wasm';

export interface SharedMemoryProbe {
  source: SharedMemorySource | null;
  /** Makes a zeroed shared buffer of exactly `bytes` (null with the source). */
  make: ((bytes: number) => SharedArrayBuffer) | null;
}

const isShared = (b: unknown): b is SharedArrayBuffer =>
  Object.prototype.toString.call(b) === '[object SharedArrayBuffer]';

type Maker = (bytes: number) => SharedArrayBuffer;

/** The engine's SharedArrayBuffer constructor behind a shared WebAssembly.Memory's buffer (null: none). */
function wasmMaker(host: SharedMemoryHost): Maker | null {
  const Memory = host.WebAssembly?.Memory;
  if (typeof Memory !== 'function') return null;
  try {
    const buffer = new Memory({ initial: 1, maximum: 1, shared: true }).buffer;
    if (!isShared(buffer)) return null;
    const Ctor = (Object.getPrototypeOf(buffer) as { constructor: new (bytes: number) => unknown })
      .constructor;
    const make = (bytes: number): SharedArrayBuffer => {
      const b = new Ctor(bytes);
      if (!isShared(b) || b.byteLength !== bytes) throw new Error(`no shared buffer of ${bytes} bytes`);
      return b;
    };
    make(8);
    return make;
  } catch {
    // No shared memories in this engine (or its constructor refuses): not a source.
    return null;
  }
}

/** True when a buffer from `make` can be posted (checked on a MessageChannel; without one, assumed). */
function postable(host: SharedMemoryHost, make: Maker): boolean {
  const Channel = host.MessageChannel;
  if (typeof Channel !== 'function') return true;
  const channel = new Channel();
  try {
    channel.port1.postMessage(make(8));
    return true;
  } catch {
    return false;
  } finally {
    channel.port1.close();
    channel.port2.close();
  }
}

/** Finds the first source that makes shared buffers which Atomics can use and a worker can be sent. */
export function probeSharedMemory(host: SharedMemoryHost): SharedMemoryProbe {
  const none: SharedMemoryProbe = { source: null, make: null };
  if (typeof host.Atomics !== 'object' || host.Atomics === null) return none;
  const Global = host.SharedArrayBuffer;
  const source: SharedMemorySource = typeof Global === 'function' ? 'global' : 'wasm';
  const make =
    typeof Global === 'function'
      ? (bytes: number) => new (Global as new (bytes: number) => SharedArrayBuffer)(bytes)
      : wasmMaker(host);
  return make && postable(host, make) ? { source, make } : none;
}

/** This thread's probe, made on first use (the answer cannot change while the thread lives). */
let probed: SharedMemoryProbe | undefined;
function here(): SharedMemoryProbe {
  probed ??= probeSharedMemory(globalThis as unknown as SharedMemoryHost);
  return probed;
}

/** Where this thread's shared buffers come from (null: threads cannot share memory here). */
export function sharedMemorySource(): SharedMemorySource | null {
  return here().source;
}

/** True where threads can share memory: shared buffers can be made and posted here, and Atomics exists. */
export function sharedMemoryAvailable(): boolean {
  return here().source !== null;
}

/** A zeroed buffer of `bytes` that compute workers can share (throws where sharedMemoryAvailable is false). */
export function allocShared(bytes: number): SharedArrayBuffer {
  const make = here().make;
  if (!make) throw new Error('no shared memory here: threads cannot share buffers (sharedMemoryAvailable)');
  return make(bytes);
}

/**
 * A zeroed buffer for one thread alone: an ArrayBuffer typed as the shared kind (Atomics' load, store and
 * add work on it; only wait needs shared memory, and one thread never waits).
 */
export function allocLocal(bytes: number): SharedArrayBuffer {
  return new ArrayBuffer(bytes) as unknown as SharedArrayBuffer;
}
