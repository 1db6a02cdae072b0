import { utilityProcess, type UtilityProcess } from 'electron';
import { keepLastWords, type WorkerProcess } from '../services/worker-process';

/**
 * Starts the engine worker (out/main/worker.js) as an Electron utility process: a Node process
 * Chromium's process model knows about, so it shows in the task manager and dies with the app.
 * Its stderr is kept so a crash can be reported with the worker's last words.
 */
export function forkUtilityWorker(workerPath: string): WorkerProcess {
  const child: UtilityProcess = utilityProcess.fork(workerPath, [], {
    serviceName: 'WaveNet Studio engine',
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  const lastWords = keepLastWords(child.stderr);
  return {
    send: (message) => child.postMessage(message),
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => {
      child.once('exit', (code) => {
        listener(code === 0 ? 0 : code, lastWords() || `exited with code ${code}`);
      });
    },
    kill: () => void child.kill(),
  };
}
