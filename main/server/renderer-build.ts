// Browser mode serves the built renderer (out/renderer). A fresh clone must build it first, and
// after a pull or an edit the build is stale: serve builds it then, so `serve` and `npm start`
// (which starts serve) always show the current pages. One place for this logic.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../engine/errors';

/** What the renderer bundle is built from: its own folder and the API contract it imports. */
const SOURCES = ['renderer', 'main/contract'];

/** Newest modification time of the files under the given folders of root (0 when none exist). */
function newestMtime(root: string, dirs: readonly string[]): number {
  let newest = 0;
  const walk = (dir: string): void => {
    let entries: import('node:fs').Dirent[] = [];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const dir of dirs) walk(path.join(root, dir));
  return newest;
}

export type RendererState = 'current' | 'missing' | 'stale';

export function rendererState(root: string): RendererState {
  const index = path.join(root, 'out', 'renderer', 'index.html');
  if (!existsSync(index)) return 'missing';
  return statSync(index).mtimeMs >= newestMtime(root, SOURCES) ? 'current' : 'stale';
}

/** The built renderer's folder, building it first (a few seconds) when it is missing or stale. */
export function ensureRendererBuilt(root: string, log: (line: string) => void): string {
  const dir = path.join(root, 'out', 'renderer');
  const state = rendererState(root);
  if (state === 'current') return dir;
  log(state === 'missing' ? 'Building the app’s pages (first start)…' : 'Rebuilding the app’s pages (their sources changed)…');
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = existsSync(vite)
    ? spawnSync(process.execPath, [vite, 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'error'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
    : null;
  if (r?.status === 0 && existsSync(path.join(dir, 'index.html'))) return dir;
  // A stale build still works; only a missing one stops browser mode.
  if (state === 'stale') {
    log('Could not rebuild the app’s pages; serving the previous build (run `npm run build:renderer` to see why).');
    return dir;
  }
  throw new StudioError('NOT_AVAILABLE', 'Could not build the app’s pages; run `npm run build:renderer` to see why.');
}
