import { promises as fs } from 'node:fs';
import * as path from 'node:path';

const code = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | null)?.code;

/**
 * `mkdir -p` that cannot spin. Node's recursive mkdir loops forever, at full CPU, where mkdir says
 * ENOENT although the parent exists (inside Linux's /proc or /sys, say: a folder typed there would
 * hang a training or a render). Here the missing folders are made one by one from the first that
 * exists, and the first refusal is thrown as it is.
 */
export async function makeFolder(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    try {
      if ((await fs.stat(at)).isDirectory()) break;
      throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${at}'`), { code: 'ENOTDIR', path: at, syscall: 'mkdir' });
    } catch (e) {
      if (code(e) !== 'ENOENT' || path.dirname(at) === at) throw e;
      missing.push(at);
    }
  }
  for (const folder of missing.reverse()) {
    try {
      await fs.mkdir(folder);
    } catch (e) {
      if (code(e) !== 'EEXIST') throw e; // made meanwhile by another writer: fine
    }
  }
}
