import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DirEntry, DirListing } from '../contract/index';
import { StudioError } from '../engine/errors';

/**
 * One folder's entries for the browser-mode folder browser: folders first, then files, each by
 * name; hidden entries left out. Starts at the home folder when no path is given.
 */
export async function listDir(requested?: string): Promise<DirListing> {
  const dir = path.resolve(requested?.trim() ? expandHome(requested.trim()) : os.homedir());
  let names: import('node:fs').Dirent[];
  try {
    names = await fs.readdir(dir, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new StudioError('FILE_NOT_FOUND', `The folder ${dir} does not exist; check the path.`);
    if (code === 'ENOTDIR') throw new StudioError('FILE_NOT_FOUND', `${dir} is a file, not a folder.`);
    if (code === 'EACCES' || code === 'EPERM') throw new StudioError('FILE_NOT_FOUND', `The folder ${dir} cannot be read (permission denied).`);
    throw new StudioError('FILE_NOT_FOUND', `The folder ${dir} cannot be read (${code ?? 'I/O error'}).`);
  }
  const entries: DirEntry[] = [];
  for (const d of names) {
    if (d.name.startsWith('.')) continue;
    const full = path.join(dir, d.name);
    const stat = await fs.stat(full).catch(() => null); // follows links; a broken one is left out
    if (!stat) continue;
    if (stat.isDirectory()) entries.push({ name: d.name, path: full, kind: 'dir' });
    else if (stat.isFile()) entries.push({ name: d.name, path: full, kind: 'file', size: stat.size });
  }
  entries.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name, undefined, { numeric: true }) : a.kind === 'dir' ? -1 : 1));
  const parent = path.dirname(dir);
  return { path: dir, parent: parent === dir ? null : parent, entries };
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
}
