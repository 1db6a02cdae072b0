/** What the job supervisor needs of a worker process, whichever way it was started. */
export interface WorkerProcess {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the process ends; code is null when a signal or a crash ended it. */
  onExit(listener: (code: number | null, reason: string) => void): void;
  kill(): void;
}

/**
 * Passes a worker's stderr through to ours and keeps its end, so a crash can be reported with
 * the worker's last words. Returns a function giving the last non-empty line ('' if none).
 */
export function keepLastWords(stderr: NodeJS.ReadableStream | null | undefined): () => string {
  let tail = '';
  stderr?.setEncoding('utf8');
  stderr?.on('data', (chunk: string) => {
    process.stderr.write(chunk);
    tail = (tail + chunk).slice(-4000);
  });
  return () => tail.trim().split('\n').pop() ?? '';
}
