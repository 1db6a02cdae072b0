import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileSystemProblem, StudioError } from '../errors';
import { makeFolder } from './folders';

/**
 * Replace a file atomically: write beside it, fsync, rename. A crash at any moment leaves either
 * the old file or the new one, never a torn write.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await makeFolder(path.dirname(file));
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const handle = await fs.open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, file);
  await syncDir(path.dirname(file));
}

/** Copy a file into place atomically (export a model without leaving half a file on a crash). */
export async function copyFileAtomic(from: string, to: string): Promise<void> {
  await makeFolder(path.dirname(to));
  const tmp = `${to}.${process.pid}.${Date.now()}.tmp`;
  await fs.copyFile(from, tmp);
  await fs.rename(tmp, to);
  await syncDir(path.dirname(to));
}

/** Append one line (a JSON record); line-sized appends survive a crash whole or not at all. */
export async function appendLine(file: string, line: string): Promise<void> {
  await makeFolder(path.dirname(file));
  await fs.appendFile(file, line.endsWith('\n') ? line : `${line}\n`);
}

async function syncDir(dir: string): Promise<void> {
  try {
    const h = await fs.open(dir, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    // Some platforms (Windows) cannot open a directory for fsync; the rename is still atomic.
  }
}

/**
 * Fails at once, with the reason in a line, where files cannot be written in `dir` (made if
 * missing): checked before long work that ends by writing there, so that it is not lost.
 */
export async function assertWritableFolder(dir: string): Promise<void> {
  const probe = path.join(dir, `.write-test.${process.pid}.${Date.now()}`);
  try {
    await makeFolder(dir);
    await fs.writeFile(probe, '');
  } catch (e) {
    throw new StudioError('BAD_OPTION', `Cannot write to ${dir}: ${fileSystemProblem(e) ?? (e instanceof Error ? e.message : String(e))}.`);
  } finally {
    await fs.rm(probe, { force: true }).catch(() => undefined);
  }
}
