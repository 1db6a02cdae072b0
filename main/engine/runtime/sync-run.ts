import { createRequire } from 'node:module';
import * as ort from 'onnxruntime-node';

// Not `require`: the Electron build declares its own at the top of each chunk.
const requireCjs = createRequire(import.meta.url);

type Feeds = Record<string, ort.Tensor>;

/** A CPU session whose run() returns at once: the hot loop of one-sample generation steps. */
export interface SyncSession {
  run(feeds: Feeds, fetches: Feeds): Feeds;
  release(): void;
}

interface NativeSession {
  loadModel(buffer: ArrayBufferLike, byteOffset: number, byteLength: number, options: ort.InferenceSession.SessionOptions): void;
  run(feeds: Feeds, fetches: Feeds, options: object): Feeds;
  dispose(): void;
}

interface Binding {
  binding: { InferenceSession: new () => NativeSession };
  initOrt: () => void;
}

/**
 * onnxruntime-node's public run() wraps the native, synchronous run in a promise resolved from
 * setImmediate, after checking the feeds; at one sample a step (~250 µs) that costs tens of
 * microseconds a step. This opens the same native session onnxruntime-node's backend opens
 * (dist/binding.js, onnxruntime-node 1.30) and calls it directly. Null when this install's
 * binding does not look like that, so callers keep the public API. The caller must let the event
 * loop run now and then (nothing here yields).
 */
export function openSyncSession(model: Uint8Array, options: ort.InferenceSession.SessionOptions): SyncSession | null {
  let b: Binding;
  try {
    b = requireCjs('onnxruntime-node/dist/binding.js') as Binding;
  } catch {
    return null;
  }
  if (typeof b.initOrt !== 'function' || typeof b.binding?.InferenceSession !== 'function') return null;
  b.initOrt();
  const native = new b.binding.InferenceSession();
  if (typeof native.run !== 'function' || typeof native.loadModel !== 'function') return null;
  native.loadModel(model.buffer, model.byteOffset, model.byteLength, options);
  return {
    run: (feeds, fetches) => native.run(feeds, fetches, {}),
    release: () => native.dispose(),
  };
}
