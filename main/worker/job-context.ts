import type { JobKind, JobMetrics, JobRequestOf, JobResultOf } from '../contract/domain/jobs';

/** One progress report: the phase text for people, numbers for charts, and the job's own ETA. */
export interface JobProgress {
  phase: string;
  done: number;
  total: number | null;
  /** The job's own estimate (e.g. training's step time × steps left); otherwise the supervisor estimates. */
  etaSeconds?: number | null;
  metrics?: JobMetrics;
  figures?: string;
}

/** What a job gets from the worker: a way to report progress, and the signal that cancels it. */
export interface JobContext {
  progress: (p: JobProgress) => void;
  signal: AbortSignal;
  /** Training pauses between steps while this says so (other kinds ignore it). */
  paused: () => boolean;
  /** Resolves when the job is no longer paused (or is cancelled). */
  whenResumed: () => Promise<void>;
}

/** One job kind: its name and what it does. A file per kind under jobs/, looked up by kind. */
export interface JobDefinition<K extends JobKind> {
  kind: K;
  run(request: JobRequestOf<K>, ctx: JobContext): Promise<JobResultOf<K>>;
}
