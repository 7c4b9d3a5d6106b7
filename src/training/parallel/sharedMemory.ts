/**
 * Where the threads' shared buffers come from. Every buffer the parallel step shares is made by
 * {@link allocShared}, so the engine's code never names the source: a SharedArrayBuffer where the global
 * exists (Node, Chromium and Firefox in a cross-origin isolated page), else whatever this file finds
 * (see sharedMemoryAvailable). With one thread the same layout is made of plain ArrayBuffers
 * ({@link allocLocal}), so one thread runs the very code N threads run.
 */

/** True where threads can share memory: shared buffers can be made here and Atomics exists. */
export function sharedMemoryAvailable(): boolean {
  return typeof SharedArrayBuffer === 'function' && typeof Atomics === 'object';
}

/** A zeroed buffer of `bytes` that compute workers can share (throws where sharedMemoryAvailable is false). */
export function allocShared(bytes: number): SharedArrayBuffer {
  return new SharedArrayBuffer(bytes);
}

/**
 * A zeroed buffer for one thread alone: an ArrayBuffer typed as the shared kind (Atomics' load, store and
 * add work on it; only wait needs shared memory, and one thread never waits).
 */
export function allocLocal(bytes: number): SharedArrayBuffer {
  return new ArrayBuffer(bytes) as unknown as SharedArrayBuffer;
}
