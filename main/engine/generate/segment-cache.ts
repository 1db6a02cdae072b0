import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { makeFolder } from '../util/folders';

/** Default bound on a project's segment cache; the least recently used segments go first. */
export const SEGMENT_CACHE_MAX_BYTES = 2 * 1024 ** 3;

const ENTRY = /^[0-9a-f]{64}\.mulaw$/;
/** Leftover temporary files older than this are removed when pruning. */
const STALE_TEMP_MS = 60 * 60 * 1000;

/** Where a project keeps its segment cache: renders/.cache (the renders list reads only renders/*.json). */
export function segmentCacheDir(project: string): string {
  return path.join(path.resolve(project), 'renders', '.cache');
}

/**
 * Rendered segments by key: <dir>/<sha256>.mulaw, the segment's mu-law classes (one byte a
 * sample: 16 KB per second at 16 kHz). Writes are atomic (temporary file, then rename), reads
 * refresh the file's mtime, and prune() deletes the oldest entries by mtime until the folder is
 * under its bound. Only files named like entries are ever deleted: nothing else in the project.
 */
export class SegmentCache {
  constructor(
    readonly dir: string,
    readonly maxBytes: number = SEGMENT_CACHE_MAX_BYTES,
  ) {}

  static forProject(project: string, maxBytes?: number): SegmentCache {
    return new SegmentCache(segmentCacheDir(project), maxBytes);
  }

  file(key: string): string {
    return path.join(this.dir, `${key}.mulaw`);
  }

  async has(key: string, length: number): Promise<boolean> {
    try {
      return (await fs.stat(this.file(key))).size === length;
    } catch {
      return false;
    }
  }

  /** A segment's classes, or null when missing or of the wrong length (a damaged entry is a miss). */
  async get(key: string, length: number): Promise<Uint8Array | null> {
    const file = this.file(key);
    let data: Buffer;
    try {
      data = await fs.readFile(file);
    } catch {
      return null;
    }
    if (data.length !== length) return null;
    const now = new Date();
    await fs.utimes(file, now, now).catch(() => undefined);
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }

  async put(key: string, classes: Uint8Array): Promise<void> {
    await makeFolder(this.dir);
    const tmp = path.join(this.dir, `${key}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
    await fs.writeFile(tmp, classes);
    await fs.rename(tmp, this.file(key));
  }

  /** Entries and their bytes. */
  async size(): Promise<{ entries: number; bytes: number }> {
    const entries = await this.entries();
    return { entries: entries.length, bytes: entries.reduce((s, e) => s + e.bytes, 0) };
  }

  private async entries(): Promise<{ file: string; bytes: number; mtimeMs: number }[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return [];
    }
    const out: { file: string; bytes: number; mtimeMs: number }[] = [];
    for (const name of names) {
      const file = path.join(this.dir, name);
      const stat = await fs.lstat(file).catch(() => null);
      if (!stat?.isFile()) continue;
      if (ENTRY.test(name)) out.push({ file, bytes: stat.size, mtimeMs: stat.mtimeMs });
      else if (name.endsWith('.tmp') && Date.now() - stat.mtimeMs > STALE_TEMP_MS) await fs.rm(file, { force: true });
    }
    return out;
  }

  /** Delete the least recently used entries until the cache holds at most maxBytes; returns how many went. */
  async prune(maxBytes: number = this.maxBytes): Promise<number> {
    const entries = (await this.entries()).sort((a, b) => a.mtimeMs - b.mtimeMs);
    let bytes = entries.reduce((s, e) => s + e.bytes, 0);
    let removed = 0;
    for (const e of entries) {
      if (bytes <= maxBytes) break;
      await fs.rm(e.file, { force: true });
      bytes -= e.bytes;
      removed++;
    }
    return removed;
  }

  /** Delete every entry (finished renders are elsewhere and stay). */
  async clear(): Promise<number> {
    return this.prune(0);
  }
}
