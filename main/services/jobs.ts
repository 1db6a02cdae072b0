import { randomUUID } from 'node:crypto';
import type { EventName, EventPayload, JobInfo, JobProgressEvent, JobStartRequest } from '../contract/index';
import { StudioError } from '../engine/errors';
import { fromWorkerSchema, type FromWorker } from '../worker/protocol';
import type { WorkerProcess } from './worker-process';

export type Emit = <N extends EventName>(event: N, payload: EventPayload<N>) => void;

interface Job {
  info: JobInfo;
  worker: WorkerProcess;
  startedAt: number;
  /** Set when a cancel was asked for: the worker gets this long to stop before it is killed. */
  killTimer?: NodeJS.Timeout;
}

/** How long a worker may take to stop after a cancel before it is killed. */
const CANCEL_GRACE_MS = 5000;
/** Finished jobs kept for jobs.list (a reloaded window still sees what just ended). */
const KEEP_FINISHED = 50;

/**
 * Runs each job in its own engine worker process: a job that crashes or hangs takes nothing else
 * down, and cancel can always end it (kill after a grace period). Progress and the end of every
 * job go out as events; a worker that dies mid-job fails that job with the worker's last words.
 */
export class JobSupervisor {
  private readonly jobs = new Map<string, Job>();

  constructor(
    private readonly spawnWorker: () => WorkerProcess,
    private readonly emit: Emit,
    private readonly now: () => number = Date.now,
  ) {}

  start(request: JobStartRequest): { jobId: string } {
    const jobId = randomUUID();
    const worker = this.spawnWorker();
    const progress: JobProgressEvent = { jobId, kind: request.kind, phase: 'starting', done: 0, total: null, etaSeconds: null };
    const job: Job = { info: { jobId, kind: request.kind, status: 'running', progress }, worker, startedAt: this.now() };
    this.jobs.set(jobId, job);
    worker.onMessage((raw) => this.receive(job, raw));
    worker.onExit((_code, reason) => {
      if (job.info.status !== 'running') return;
      if (job.killTimer) this.finish(job, { status: 'cancelled' });
      else this.finish(job, { status: 'failed', error: { code: 'WORKER_CRASHED', message: `The engine worker stopped (${reason}) before the job finished; start it again.` } });
    });
    worker.send({ type: 'start', jobId, request });
    this.emit('jobs.onProgress', progress);
    return { jobId };
  }

  cancel(jobId: string): void {
    const job = this.jobs.get(jobId);
    if (!job) throw new StudioError('BAD_OPTION', `There is no job ${jobId}; it may have finished already.`);
    if (job.info.status !== 'running' || job.killTimer) return;
    job.worker.send({ type: 'cancel', jobId });
    job.killTimer = setTimeout(() => job.worker.kill(), CANCEL_GRACE_MS);
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map((j) => j.info);
  }

  /** Stops every worker (app quit / server shutdown). */
  close(): void {
    for (const job of this.jobs.values()) {
      clearTimeout(job.killTimer);
      if (job.info.status === 'running') job.worker.kill();
    }
  }

  private receive(job: Job, raw: unknown): void {
    const parsed = fromWorkerSchema.safeParse(raw);
    if (!parsed.success || job.info.status !== 'running') return;
    const message: FromWorker = parsed.data;
    if (message.type === 'ready') return;
    if (message.type === 'progress') {
      const progress: JobProgressEvent = {
        jobId: job.info.jobId, kind: job.info.kind, phase: message.phase, done: message.done, total: message.total,
        etaSeconds: this.eta(job, message.done, message.total), figures: message.figures,
      };
      job.info.progress = progress;
      this.emit('jobs.onProgress', progress);
    } else if (message.type === 'done') this.finish(job, { status: 'done', result: message.result });
    else if (message.type === 'cancelled') this.finish(job, { status: 'cancelled' });
    else this.finish(job, { status: 'failed', error: message.error });
  }

  /** Time left at the average rate so far; unknown until some work is done. */
  private eta(job: Job, done: number, total: number | null): number | null {
    if (!total || done <= 0) return null;
    const elapsed = (this.now() - job.startedAt) / 1000;
    return Math.max(0, (elapsed * (total - done)) / done);
  }

  private finish(job: Job, end: { status: 'done' | 'failed' | 'cancelled'; result?: Record<string, unknown>; error?: { code: string; message: string } }): void {
    clearTimeout(job.killTimer);
    job.info.status = end.status;
    job.worker.kill(); // one job per worker: it has nothing more to do
    this.emit('jobs.onFinished', { jobId: job.info.jobId, kind: job.info.kind, ...end });
    this.prune();
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((j) => j.info.status !== 'running');
    for (const j of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(j.info.jobId);
  }
}
