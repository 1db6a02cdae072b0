/** What a job gets from the worker: a way to report progress, and the signal that cancels it. */
export interface JobContext {
  progress: (phase: string, done: number, total: number | null, figures?: string) => void;
  signal: AbortSignal;
}
