import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { keepLastWords, type WorkerProcess } from './worker-process';

const WORKER_ENTRY = fileURLToPath(new URL('../worker/index.ts', import.meta.url));

export interface NodeWorkerOptions {
  /** The node binary to run the worker with (default: this process's). */
  execPath?: string;
}

/**
 * The engine worker as a node child process running the TypeScript sources through tsx (browser
 * mode and tests). Its stderr is kept so a crash can be reported with the worker's last words.
 */
export function forkNodeWorker(options: NodeWorkerOptions = {}): WorkerProcess {
  const child = fork(WORKER_ENTRY, [], {
    execPath: options.execPath,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  const lastWords = keepLastWords(child.stderr);
  // 'error' comes when the process cannot start, or a message meets a worker that just died. Left
  // unhandled it would take the whole server down; the 'close' that follows reports the end.
  let startError = '';
  child.on('error', (e) => {
    if (child.pid === undefined && !startError) startError = e.message;
  });
  return {
    send: (message) => {
      if (child.connected) child.send(message as object);
    },
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => {
      // 'close', not 'exit': it also fires when the process never started, and comes after the
      // worker's stderr has been read to its end (its last words are complete).
      child.once('close', (code, signal) => {
        if (startError) listener(null, `could not start: ${startError}`);
        else listener(code, lastWords() || (signal ? `killed by ${signal}` : `exited with code ${code}`));
      });
    },
    kill: () => void child.kill('SIGKILL'),
  };
}
