import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** Bundles made in this process, by module (a worker of the same module reuses its file). */
const bundles = new Map<string, string | null>();

/**
 * From source, the worker's module graph bundled into one file under node_modules/.cache (named by
 * its content, written atomically, so processes side by side never read half a file). A worker
 * then evaluates one module instead of resolving and transforming each of ~60 through tsx's
 * loader hooks: two render workers start in ~0.4 s instead of ~0.9 s. Null if bundling fails
 * (read-only folder, say); the caller falls back to tsx.
 */
function bundled(module: string, entry: string): string | null {
  if (bundles.has(module)) return bundles.get(module)!;
  let file: string | null = null;
  try {
    // Loaded here, not imported: the Electron build never bundles from source, nor ships esbuild.
    const { buildSync } = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
    // Packages stay imports: they resolve from node_modules above the cache folder.
    const out = buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', packages: 'external', write: false, logLevel: 'silent' });
    const code = out.outputFiles[0]!.contents;
    const dir = fileURLToPath(new URL('../../../node_modules/.cache/wavenet-studio/', import.meta.url));
    file = path.join(dir, `${path.posix.basename(module)}-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
    if (!existsSync(file)) {
      mkdirSync(dir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, code);
      renameSync(tmp, file);
    }
  } catch {
    file = null;
  }
  bundles.set(module, file);
  return file;
}

/**
 * Start an engine worker thread by its module under main/engine (e.g. 'generate/render-worker').
 * In the Electron build, the bundled `<name>.js` beside the bundle's chunks (electron.vite.config.ts
 * makes each an entry). From source (CLI, tests, browser mode), a bundle made on first use (see
 * bundled), or else a bootstrap that registers tsx in the new thread and imports the .ts module
 * (loader hooks are not inherited by worker threads).
 */
export function startEngineWorker(module: string, workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(`./${path.posix.basename(module)}.js`, import.meta.url), { workerData });
  const entry = new URL(`../${module}.ts`, import.meta.url);
  const file = bundled(module, fileURLToPath(entry));
  if (file) return new Worker(file, { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(boot, { eval: true, workerData });
}
