import { parentPort, workerData } from 'node:worker_threads';
import { isStudioError } from '../errors';
import { generateChunks } from './chunks';
import { SegmentGenerator } from './segments';
import type { WorkerTask } from './worker-pool';

/**
 * A worker thread of a parallel render (see worker-pool.ts): generates its share of a folded
 * render's chunks or of a document's segments and posts the classes back. Its task comes as its
 * workerData, or (a thread started ahead, see standbyRenderWorkers) as a { task } message. Messages
 * out: { steps, of }, { batch }, { segment, classes }, { done, classes?, device },
 * { error: { code, message } }. Messages in: { task }, 'cancel' (a thread on standby then exits).
 */
const port = parentPort!;
const abort = new AbortController();
let started = false;
port.on('message', (m: unknown) => {
  if (m === 'cancel') {
    abort.abort();
    if (!started) port.close();
  } else if (!started && typeof m === 'object' && m !== null && 'task' in m) {
    void perform((m as { task: WorkerTask }).task);
  }
});

async function run(task: WorkerTask): Promise<void> {
  if (task.kind === 'chunks') {
    const r = await generateChunks(task.work, { signal: abort.signal, onSteps: (steps) => port.postMessage({ steps, of: task.work.layout.span }) });
    port.postMessage({ done: true, classes: r.classes, device: r.device }, r.classes.map((c) => c.buffer as ArrayBuffer));
    return;
  }
  const gen = await SegmentGenerator.open(task.cfg, task.flat, task.frames, task.settings);
  try {
    await gen.generate(task.indices, {
      seed: task.seed,
      temperature: task.temperature,
      signal: abort.signal,
      onBatch: (batch) => port.postMessage({ batch }),
      onProgress: (steps, of) => port.postMessage({ steps, of }),
      onSegment: (segment, classes) => port.postMessage({ segment, classes }, [classes.buffer as ArrayBuffer]),
    });
    port.postMessage({ done: true, device: gen.device });
  } finally {
    await gen.close();
  }
}

async function perform(task: WorkerTask): Promise<void> {
  started = true;
  try {
    await run(task);
  } catch (e) {
    port.postMessage({ error: { code: isStudioError(e) ? e.code : null, message: e instanceof Error ? e.message : String(e) } });
  }
  port.close();
}

if (workerData) await perform(workerData as WorkerTask);
