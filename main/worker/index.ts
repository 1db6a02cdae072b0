// The engine worker: runs jobs (CPU-heavy engine work) away from the process that serves the UI.
// Started as a node child process (browser mode) or an Electron utility process (desktop); it
// talks to its parent the same way in both.
import { StudioError, describeError, isStudioError } from '../engine/errors';
import { releaseStandbyWorkers, renderWorkers, standbyRenderWorkers } from '../engine/generate/worker-pool';
import type { JobContext, JobDefinition } from './job-context';
import { jobKinds } from './jobs/index';
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

interface RunningJob {
  controller: AbortController;
  paused: boolean;
  resumeWaiters: (() => void)[];
}

const running = new Map<string, RunningJob>();

function contextFor(jobId: string, job: RunningJob): JobContext {
  return {
    signal: job.controller.signal,
    progress: (p) => send({ type: 'progress', jobId, ...p }),
    paused: () => job.paused,
    whenResumed: () => (job.paused && !job.controller.signal.aborted ? new Promise<void>((resolve) => job.resumeWaiters.push(resolve)) : Promise.resolve()),
  };
}

function setPaused(job: RunningJob | undefined, paused: boolean): void {
  if (!job) return;
  job.paused = paused;
  if (!paused) for (const wake of job.resumeWaiters.splice(0)) wake();
}

async function run(message: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  const { jobId, request } = message;
  const job: RunningJob = { controller: new AbortController(), paused: false, resumeWaiters: [] };
  running.set(jobId, job);
  // A cancel wakes a paused job so it can stop (and checkpoint) instead of waiting forever.
  job.controller.signal.addEventListener('abort', () => setPaused(job, false));
  try {
    const definition = jobKinds[request.kind] as JobDefinition<typeof request.kind> | undefined;
    if (!definition) throw new StudioError('NOT_AVAILABLE', `This engine cannot run "${request.kind}" jobs yet.`);
    const result = await definition.run(request as never, contextFor(jobId, job));
    // A job that stops cleanly on cancel (training saves a checkpoint) still reports what it did.
    const cancelled = job.controller.signal.aborted || ('cancelled' in result && result.cancelled === true);
    send(cancelled ? { type: 'cancelled', jobId, result } : { type: 'done', jobId, result });
  } catch (e) {
    if (job.controller.signal.aborted || (isStudioError(e) && e.code === 'CANCELLED')) send({ type: 'cancelled', jobId });
    else send({ type: 'failed', jobId, error: { code: isStudioError(e) ? e.code : 'INTERNAL', message: describeError(e) } });
  } finally {
    running.delete(jobId);
  }
}

/** Render threads a spare starts ahead, at most (each idle one holds the engine's modules and ONNX Runtime). */
const MAX_STANDBY_THREADS = 8;

onMessage((raw) => {
  const parsed = toWorkerSchema.safeParse(raw);
  if (!parsed.success) {
    process.stderr.write(`worker: ignored a malformed message: ${parsed.error.issues[0]?.message ?? ''}\n`);
    return;
  }
  const message = parsed.data;
  // A spare starts its render threads while it waits; a job that renders nothing lets them go.
  if (message.type === 'standby') standbyRenderWorkers(Math.min(MAX_STANDBY_THREADS, renderWorkers('cpu')));
  else if (message.type === 'cancel') running.get(message.jobId)?.controller.abort();
  else if (message.type === 'pause') setPaused(running.get(message.jobId), true);
  else if (message.type === 'resume') setPaused(running.get(message.jobId), false);
  else {
    if (message.request.kind !== 'render') releaseStandbyWorkers();
    void run(message);
  }
});

// A node child whose parent is gone (the server was killed) stops at once and quietly: nobody will
// read its result, and a long step would otherwise keep the CPU busy until its next message fails
// with a stack trace. An Electron utility process dies with the app by itself.
if (!parentPort) process.on('disconnect', () => process.exit(0));

send({ type: 'ready' });
