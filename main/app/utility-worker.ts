import { utilityProcess, type UtilityProcess } from 'electron';
import type { WorkerProcess } from '../services/worker-process';

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
  let stderrTail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    process.stderr.write(chunk);
    stderrTail = (stderrTail + chunk).slice(-4000);
  });
  return {
    send: (message) => child.postMessage(message),
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => {
      child.once('exit', (code) => {
        const lastLine = stderrTail.trim().split('\n').pop() ?? '';
        listener(code === 0 ? 0 : code, lastLine || `exited with code ${code}`);
      });
    },
    kill: () => void child.kill(),
  };
}
