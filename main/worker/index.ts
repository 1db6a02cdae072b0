// The engine worker: runs jobs (CPU-heavy engine work) away from the process that serves the UI.
// Started as a node child process (browser mode) or an Electron utility process (desktop); it
// talks to its parent the same way in both.
import { describeError, isStudioError } from '../engine/errors';
import { analyzeJob } from './jobs/analyze';
import { toWorkerSchema, type FromWorker, type ToWorker } from './protocol';

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function send(message: FromWorker): void {
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message);
}

function onMessage(listener: (message: unknown) => void): void {
  if (parentPort) parentPort.on('message', (event) => listener(event.data));
  else process.on('message', listener);
}

const running = new Map<string, AbortController>();

async function run(message: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  const { jobId, request } = message;
  const controller = new AbortController();
  running.set(jobId, controller);
  const ctx = {
    signal: controller.signal,
    progress: (phase: string, done: number, total: number | null, figures?: string) => send({ type: 'progress', jobId, phase, done, total, figures }),
  };
  try {
    const result = await analyzeJob(request.input, ctx);
    send(controller.signal.aborted ? { type: 'cancelled', jobId } : { type: 'done', jobId, result });
  } catch (e) {
    if (controller.signal.aborted || (isStudioError(e) && e.code === 'CANCELLED')) send({ type: 'cancelled', jobId });
    else send({ type: 'failed', jobId, error: { code: isStudioError(e) ? e.code : 'INTERNAL', message: describeError(e) } });
  } finally {
    running.delete(jobId);
  }
}

onMessage((raw) => {
  const parsed = toWorkerSchema.safeParse(raw);
  if (!parsed.success) {
    process.stderr.write(`worker: ignored a malformed message: ${parsed.error.issues[0]?.message ?? ''}\n`);
    return;
  }
  const message = parsed.data;
  if (message.type === 'cancel') running.get(message.jobId)?.abort();
  else void run(message);
});

// A node child whose parent is gone (the server was killed) stops at once and quietly: nobody will
// read its result, and a long step would otherwise keep the CPU busy until its next message fails
// with a stack trace. An Electron utility process dies with the app by itself.
if (!parentPort) process.on('disconnect', () => process.exit(0));

send({ type: 'ready' });
