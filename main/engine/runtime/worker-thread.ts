import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Start an engine worker thread by its module under main/engine (e.g. 'generate/render-worker').
 * From source (CLI, tests, browser mode) a bootstrap registers tsx in the new thread and imports
 * the .ts module (loader hooks are not inherited by worker threads); in the Electron build, the
 * bundled `<name>.js` beside the bundle's chunks (electron.vite.config.ts makes each an entry).
 */
export function startEngineWorker(module: string, workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(`./${path.posix.basename(module)}.js`, import.meta.url), { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL(`../${module}.ts`, import.meta.url).href;
  const boot = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData });
}
