/** What the job supervisor needs of a worker process, whichever way it was started. */
export interface WorkerProcess {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the process ends; code is null when a signal or a crash ended it. */
  onExit(listener: (code: number | null, reason: string) => void): void;
  kill(): void;
}
