import * as os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { StudioError, type StudioErrorCode } from '../errors';
import type { WaveNetConfig } from '../model/config';
import type { Device } from '../runtime/session';
import { startEngineWorker } from '../runtime/worker-thread';
import type { ChunkWork } from './chunks';
import type { FramesInput } from './conditioning';
import { generationDevice } from './incremental';
import type { SegmentGeneratorSettings } from './segments';

/** What one worker thread of a parallel render does (see render-worker.ts). */
export type WorkerTask =
  | { kind: 'chunks'; work: ChunkWork }
  | {
    kind: 'segments'; cfg: WaveNetConfig; flat: Float32Array; frames: FramesInput | null;
    settings: Omit<SegmentGeneratorSettings, 'onFallback'>; indices: number[]; seed: number; temperature: number;
  };

export interface WorkerMessage {
  steps?: number;
  of?: number;
  batch?: number[];
  segment?: number;
  classes?: Uint8Array | Uint8Array[];
  done?: boolean;
  device?: Device;
  error?: { code: StudioErrorCode | null; message: string };
}

/**
 * Worker threads a render may use: one per core on the CPU (ONNX Runtime's run() holds the
 * JavaScript thread while it computes, so threads, not promises, are what fill the cores); one,
 * this thread, on other devices.
 */
export function renderWorkers(device: Device | 'auto', wanted?: number): number {
  return generationDevice(device) === 'cpu' ? Math.max(1, wanted ?? os.availableParallelism()) : 1;
}

/**
 * Run tasks on worker threads at once, handing each message to `onMessage(worker index, message)`;
 * resolves with each worker's final message. A failure or a cancel stops every worker and the
 * first error is the one reported; the workers are gone when this returns. They are asked to stop
 * and waited for, never terminated: a thread killed inside ONNX Runtime's native code aborts the
 * whole process ("terminate called after throwing an instance of 'Napi::Error'", seen when a
 * cancel terminated workers mid-step).
 */
export async function runWorkers(tasks: readonly WorkerTask[], onMessage: (i: number, m: WorkerMessage) => void | Promise<void>, signal?: AbortSignal): Promise<WorkerMessage[]> {
  const workers = tasks.map(startRenderWorker);
  const exited = workers.map((w) => new Promise<void>((resolve) => w.once('exit', () => resolve())));
  const stopAll = (): void => {
    for (const w of workers) w.postMessage('cancel');
  };
  signal?.addEventListener('abort', stopAll, { once: true });
  if (signal?.aborted) stopAll();
  try {
    return await Promise.all(workers.map((w, i) => new Promise<WorkerMessage>((resolve, reject) => {
      let settled = false;
      // Messages are handled in order (a segment is stored before the worker's `done` resolves).
      let queue = Promise.resolve();
      w.on('message', (m: WorkerMessage) => {
        queue = queue.then(async () => {
          if (settled) return;
          if (m.error) {
            settled = true;
            stopAll();
            reject(m.error.code ? new StudioError(m.error.code, m.error.message) : new Error(m.error.message));
          } else if (m.done) {
            settled = true;
            resolve(m);
          } else {
            await onMessage(i, m);
          }
        }).catch((e: unknown) => {
          settled = true;
          stopAll();
          reject(e);
        });
      });
      w.on('error', (e) => {
        settled = true;
        stopAll();
        reject(e);
      });
      w.on('exit', (code) => {
        void queue.then(() => {
          if (!settled) reject(new Error(`a render worker stopped (exit code ${code}) before it finished`));
        });
      });
    })));
  } finally {
    signal?.removeEventListener('abort', stopAll);
    // Finished workers exit on their own; the others stop at their next step.
    stopAll();
    await Promise.all(exited);
  }
}

/** Render threads started ahead of a render (standbyRenderWorkers), each waiting for its task. */
const standby: Worker[] = [];

/**
 * Start render threads ahead, up to `count` waiting at once: a render then hands them its tasks
 * instead of starting threads (~0.5 s of loading the engine and ONNX Runtime in each). The app's
 * spare engine worker does this while it waits for a job.
 */
export function standbyRenderWorkers(count: number): void {
  while (standby.length < count) {
    const worker = startEngineWorker('generate/render-worker', null);
    standby.push(worker);
    worker.once('exit', () => {
      const at = standby.indexOf(worker);
      if (at >= 0) standby.splice(at, 1);
    });
  }
}

/** Render threads waiting on standby now. */
export function standbyCount(): number {
  return standby.length;
}

/** Let the threads on standby go (a job that renders nothing). */
export function releaseStandbyWorkers(): void {
  for (const worker of standby.splice(0)) worker.postMessage('cancel');
}

function startRenderWorker(task: WorkerTask): Worker {
  const worker = standby.shift();
  if (!worker) return startEngineWorker('generate/render-worker', task);
  worker.postMessage({ task });
  return worker;
}
