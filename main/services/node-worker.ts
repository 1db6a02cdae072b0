import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { keepLastWords, type WorkerProcess } from './worker-process';

const WORKER_ENTRY = fileURLToPath(new URL('../worker/index.ts', import.meta.url));

/**
 * The engine worker as a node child process running the TypeScript sources through tsx (browser
 * mode and tests). Its stderr is kept so a crash can be reported with the worker's last words.
 */
export function forkNodeWorker(): WorkerProcess {
  const child = fork(WORKER_ENTRY, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
  const lastWords = keepLastWords(child.stderr);
  return {
    send: (message) => {
      if (child.connected) child.send(message as object);
    },
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => {
      child.once('exit', (code, signal) => {
        listener(code, lastWords() || (signal ? `killed by ${signal}` : `exited with code ${code}`));
      });
    },
    kill: () => void child.kill('SIGKILL'),
  };
}
