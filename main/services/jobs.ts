import { randomUUID } from 'node:crypto';
import type { EventName, EventPayload, JobInfo, JobProgressEvent } from '../contract/index';
import { JobRequestSchema, JobResultSchemas, type JobRequest, type JobResult } from '../contract/domain/jobs';
import { StudioError } from '../engine/errors';
import { fromWorkerSchema, type FromWorker } from '../worker/protocol';
import type { WorkerProcess } from './worker-process';

export type Emit = <N extends EventName>(event: N, payload: EventPayload<N>) => void;

interface Job {
  info: JobInfo;
  request: JobRequest;
  /** Jobs with the same lane run one after another (two trainings on one device); null: no queue. */
  lane: string | null;
  worker: WorkerProcess | null;
  /** When the worker started (queued time does not count towards the ETA). */
  startedAt: number;
  /** Set when a cancel was asked for: the worker gets this long to stop before it is killed. */
  killTimer?: NodeJS.Timeout;
}

type End = { status: 'done' | 'failed' | 'cancelled'; result?: JobResult; error?: { code: string; message: string } };

/** How long a worker may take to stop after a cancel before it is killed (a checkpoint may be written). */
const CANCEL_GRACE_MS = 15000;
/** Finished jobs kept for jobs.list (a reloaded window still sees what just ended). */
const KEEP_FINISHED = 50;

/**
 * Trainings queue per device, and imports per dataset (two at once would write the same cache
 * files and manifest); everything else (render, analyze) starts at once.
 */
export function defaultLane(request: JobRequest): string | null {
  if (request.kind === 'import') return `import:${JSON.stringify([request.project, request.dataset])}`;
  if (request.kind !== 'train') return null;
  const device = request.device ?? request.config?.training.device ?? 'auto';
  // Without a GPU, auto is the CPU: both share the CPU's lane.
  return `train:${device === 'auto' ? 'cpu' : device}`;
}

/** What a queued job says it waits for. */
function waitingFor(busy: Job): string {
  const r = busy.request;
  if (r.kind === 'import') return 'waits for the import of this dataset that is under way';
  return `waits for the ${r.kind === 'train' ? 'training' : r.kind} on ${busy.lane!.split(':')[1]}`;
}

export interface SupervisorOptions {
  /**
   * Keep one engine worker started ahead of the next job, while nothing runs: a job then skips
   * the worker's start (~1 s of loading the engine in browser mode), which the editor's render,
   * listen, change loop pays every time. Costs one idle process.
   */
  spareWorker?: boolean;
}

/** How long after the supervisor starts its first spare worker starts (the app is starting too). */
const FIRST_SPARE_DELAY_MS = 1500;

/**
 * Runs each job in its own engine worker process: a job that crashes or hangs takes nothing else
 * down, and cancel can always end it (kill after a grace period). Progress and the end of every
 * job go out as events; a worker that dies mid-job fails that job with the worker's last words.
 */
export class JobSupervisor {
  private readonly jobs = new Map<string, Job>();
  /** A started worker no job has yet (SupervisorOptions.spareWorker). */
  private spare: WorkerProcess | null = null;
  private spareTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly spawnWorker: () => WorkerProcess,
    private readonly emit: Emit,
    private readonly now: () => number = Date.now,
    private readonly laneOf: (request: JobRequest) => string | null = defaultLane,
    private readonly options: SupervisorOptions = {},
  ) {
    if (options.spareWorker) {
      this.spareTimer = setTimeout(() => this.refillSpare(), FIRST_SPARE_DELAY_MS);
      this.spareTimer.unref();
    }
  }

  /** Refuses a request of an unknown kind or with bad fields before any worker starts. */
  start(raw: unknown): { jobId: string } {
    const parsed = JobRequestSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new StudioError('BAD_OPTION', `Bad job request${issue?.path.length ? ` at ${issue.path.join('.')}` : ''}: ${issue?.message ?? 'wrong shape'}.`);
    }
    const request = parsed.data;
    const jobId = randomUUID();
    const lane = this.laneOf(request);
    const busy = lane ? [...this.jobs.values()].find((j) => j.lane === lane && (j.info.status === 'running' || j.info.status === 'queued')) : undefined;
    const progress: JobProgressEvent = { jobId, kind: request.kind, phase: busy ? 'queued' : 'starting', done: 0, total: null, etaSeconds: null };
    const job: Job = {
      info: {
        jobId, kind: request.kind, status: busy ? 'queued' : 'running', request, progress, startedAt: new Date(this.now()).toISOString(),
        ...(busy ? { queuedBehind: waitingFor(busy) } : {}),
      },
      request, lane, worker: null, startedAt: this.now(),
    };
    this.jobs.set(jobId, job);
    if (!busy) this.launch(job);
    this.emit('jobs.onProgress', progress);
    return { jobId };
  }

  cancel(jobId: string): void {
    const job = this.find(jobId);
    if (job.info.status === 'queued') return this.finish(job, { status: 'cancelled' });
    if (job.info.status !== 'running' || job.killTimer || !job.worker) return;
    job.worker.send({ type: 'cancel', jobId });
    const worker = job.worker;
    job.killTimer = setTimeout(() => worker.kill(), CANCEL_GRACE_MS);
  }

  /** Holds a training between steps (its worker and memory stay); resume lets it go on. */
  pause(jobId: string, paused: boolean): void {
    const job = this.find(jobId);
    if (job.info.status !== 'running' || !job.worker) throw new StudioError('BAD_OPTION', 'Only a running job can be paused or resumed.');
    if (job.request.kind !== 'train') throw new StudioError('BAD_OPTION', `A ${job.request.kind} job cannot be paused; cancel it instead.`);
    job.worker.send({ type: paused ? 'pause' : 'resume', jobId });
    const progress = { ...job.info.progress!, phase: paused ? 'paused' : 'training', etaSeconds: paused ? null : job.info.progress?.etaSeconds };
    job.info.progress = progress;
    this.emit('jobs.onProgress', progress);
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map((j) => j.info);
  }

  /** Stops every worker (app quit / server shutdown). */
  close(): void {
    this.closed = true;
    clearTimeout(this.spareTimer);
    this.spare?.kill();
    this.spare = null;
    for (const job of this.jobs.values()) {
      clearTimeout(job.killTimer);
      if (job.info.status === 'running') job.worker?.kill();
    }
  }

  private find(jobId: string): Job {
    const job = this.jobs.get(jobId);
    if (!job) throw new StudioError('BAD_OPTION', `There is no job ${jobId}; it may have finished already.`);
    return job;
  }

  private launch(job: Job): void {
    const worker = this.spare ?? this.spawnWorker();
    this.spare = null;
    job.worker = worker;
    job.startedAt = this.now();
    job.info.status = 'running';
    delete job.info.queuedBehind;
    worker.onMessage((raw) => this.receive(job, raw));
    worker.onExit((_code, reason) => {
      if (job.info.status !== 'running') return;
      if (job.killTimer) this.finish(job, { status: 'cancelled' });
      else this.finish(job, { status: 'failed', error: { code: 'WORKER_CRASHED', message: `The engine worker stopped (${reason}) before the job finished; start it again.` } });
    });
    worker.send({ type: 'start', jobId: job.info.jobId, request: job.request });
  }

  private receive(job: Job, raw: unknown): void {
    const parsed = fromWorkerSchema.safeParse(raw);
    if (!parsed.success || job.info.status !== 'running') return;
    const message: FromWorker = parsed.data;
    if (message.type === 'ready') return;
    if (message.type === 'progress') {
      const progress: JobProgressEvent = {
        jobId: job.info.jobId, kind: job.info.kind, phase: message.phase, done: message.done, total: message.total,
        etaSeconds: message.etaSeconds !== undefined ? message.etaSeconds : this.eta(job, message.done, message.total),
        metrics: message.metrics, figures: message.figures,
      };
      job.info.progress = progress;
      this.emit('jobs.onProgress', progress);
    } else if (message.type === 'done' || message.type === 'cancelled') {
      const result = message.result ? JobResultSchemas[job.request.kind].safeParse(message.result) : null;
      if (result && !result.success) {
        return this.finish(job, { status: 'failed', error: { code: 'INTERNAL', message: `The ${job.request.kind} job returned a malformed result (${result.error.issues[0]?.path.join('.')}).` } });
      }
      this.finish(job, { status: message.type, ...(result ? { result: result.data } : {}) });
    } else this.finish(job, { status: 'failed', error: message.error });
  }

  /** Time left at the average rate so far; unknown until some work is done. */
  private eta(job: Job, done: number, total: number | null): number | null {
    if (!total || done <= 0) return null;
    const elapsed = (this.now() - job.startedAt) / 1000;
    return Math.max(0, (elapsed * (total - done)) / done);
  }

  private finish(job: Job, end: End): void {
    clearTimeout(job.killTimer);
    job.info.status = end.status;
    job.info.finishedAt = new Date(this.now()).toISOString();
    if (end.result) job.info.result = end.result;
    if (end.error) job.info.error = end.error;
    job.worker?.kill(); // one job per worker: it has nothing more to do
    this.emit('jobs.onFinished', { jobId: job.info.jobId, kind: job.info.kind, ...end });
    this.startNext(job.lane);
    this.prune();
    this.refillSpare();
  }

  /** Starts a spare worker if one is wanted and nothing runs (its start would take a running job's CPU). */
  private refillSpare(): void {
    if (!this.options.spareWorker || this.closed || this.spare) return;
    if ([...this.jobs.values()].some((j) => j.info.status === 'running')) return;
    let worker: WorkerProcess;
    try {
      worker = this.spawnWorker();
    } catch {
      return; // the next job starts its own, and reports why it cannot
    }
    this.spare = worker;
    worker.send({ type: 'standby' });
    // One that dies idle is forgotten; the next job starts its own.
    worker.onExit(() => {
      if (this.spare === worker) this.spare = null;
    });
  }

  private startNext(lane: string | null): void {
    if (!lane) return;
    const next = [...this.jobs.values()].find((j) => j.lane === lane && j.info.status === 'queued');
    if (next) {
      this.launch(next);
      next.info.progress = { ...next.info.progress!, phase: 'starting' };
      this.emit('jobs.onProgress', next.info.progress);
    }
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((j) => j.info.status !== 'running' && j.info.status !== 'queued');
    for (const j of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(j.info.jobId);
  }
}
