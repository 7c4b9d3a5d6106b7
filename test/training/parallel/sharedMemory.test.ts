import { describe, expect, it } from 'vitest';
import {
  allocShared,
  probeSharedMemory,
  sharedMemoryAvailable,
  sharedMemorySource,
  type SharedMemoryHost,
} from '../../../src/training/parallel/sharedMemory';

const tag = (b: unknown) => Object.prototype.toString.call(b);

/** A MessageChannel that refuses shared buffers, as WebKitGTK's does (its Worker.postMessage the same). */
class RefusingChannel {
  readonly closed: string[] = [];
  readonly port1 = {
    postMessage: (m: unknown) => {
      if (tag(m) === '[object SharedArrayBuffer]')
        throw new Error('DataCloneError: The object can not be cloned.');
    },
    close: () => this.closed.push('port1'),
  };
  readonly port2 = { close: () => this.closed.push('port2') };
}

/** Node's own globals, with some taken away or replaced. */
const host = (overrides: Partial<Record<keyof SharedMemoryHost, unknown>>): SharedMemoryHost => ({
  SharedArrayBuffer,
  Atomics,
  WebAssembly,
  MessageChannel,
  ...(overrides as SharedMemoryHost),
});

describe('probeSharedMemory', () => {
  it('takes the global SharedArrayBuffer where there is one (Node, Chromium, Firefox)', () => {
    const probe = probeSharedMemory(host({}));
    expect(probe.source).toBe('global');
    const b = probe.make!(12);
    expect(b).toBeInstanceOf(SharedArrayBuffer);
    expect(b.byteLength).toBe(12);
  });

  it('without the global, a shared WebAssembly.Memory gives the buffers: exact lengths, Atomics work, a worker can be sent them', async () => {
    const probe = probeSharedMemory(host({ SharedArrayBuffer: undefined }));
    expect(probe.source).toBe('wasm');
    // An exact length, not whole 64 KiB pages: views are made without one (new Float32Array(buffer)).
    for (const bytes of [1, 40, 65_536, 65_537, 3 * 784 * 4]) {
      const b = probe.make!(bytes);
      expect(tag(b)).toBe('[object SharedArrayBuffer]');
      expect(b.byteLength).toBe(bytes);
    }
    const b = probe.make!(16);
    const view = new Int32Array(b);
    expect(view).toEqual(new Int32Array(4));
    expect(Atomics.add(view, 0, 5)).toBe(0);
    expect(Atomics.load(view, 0)).toBe(5);
    // Shared, not copied: what the other side writes is seen here.
    const { port1, port2 } = new MessageChannel();
    const echoed = new Promise<void>((resolve) => {
      port2.onmessage = (ev: MessageEvent<SharedArrayBuffer>) => {
        Atomics.add(new Int32Array(ev.data), 1, 7);
        resolve();
      };
    });
    port1.postMessage(b);
    await echoed;
    port1.close();
    port2.close();
    expect(Atomics.load(view, 1)).toBe(7);
  });

  it('a source whose buffers cannot be posted does not count, and the probe closes its channel', () => {
    const channel = new RefusingChannel();
    const Refusing = function () {
      return channel;
    } as unknown as SharedMemoryHost['MessageChannel'];
    for (const overrides of [{}, { SharedArrayBuffer: undefined }]) {
      expect(probeSharedMemory(host({ ...overrides, MessageChannel: Refusing }))).toEqual({
        source: null,
        make: null,
      });
    }
    expect(channel.closed).toEqual(['port1', 'port2', 'port1', 'port2']);
  });

  it('no shared memory without Atomics, or with neither source', () => {
    expect(probeSharedMemory(host({ Atomics: undefined })).source).toBeNull();
    expect(
      probeSharedMemory(host({ SharedArrayBuffer: undefined, WebAssembly: undefined })).source,
    ).toBeNull();
    // An engine whose memories cannot be shared (it throws on `shared: true`, or hands out a plain buffer).
    const plain = {
      Memory: function () {
        return { buffer: new ArrayBuffer(65_536) };
      },
    };
    const refusing = {
      Memory: function () {
        throw new TypeError('shared memories need cross-origin isolation');
      },
    };
    for (const wasm of [plain, refusing])
      expect(probeSharedMemory(host({ SharedArrayBuffer: undefined, WebAssembly: wasm })).source).toBeNull();
  });
});

describe('this thread (Node)', () => {
  it('shares memory through the global, and allocShared makes what was asked', () => {
    expect(sharedMemoryAvailable()).toBe(true);
    expect(sharedMemorySource()).toBe('global');
    const b = allocShared(24);
    expect(b).toBeInstanceOf(SharedArrayBuffer);
    expect(b.byteLength).toBe(24);
  });
});
