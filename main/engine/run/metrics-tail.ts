import { promises as fs } from 'node:fs';
import type { MetricsRecord } from '../../contract/domain/train';
import { parseMetricsLine } from './metrics';
import { runPaths } from './paths';

/**
 * What a poll found: `reset` when the file was rewritten (or removed) since the last poll, so
 * everything read before is void and the records after it start again from the top; `records`
 * for new complete lines (`skipped` counts complete lines that were not valid records).
 */
export type MetricsTailEvent =
  | { type: 'reset' }
  | { type: 'records'; records: MetricsRecord[]; skipped: number };

export interface MetricsTailOptions {
  /** Milliseconds between polls in follow() (default 500). */
  intervalMs?: number;
  /** Follow this file instead of the run's metrics.jsonl. */
  file?: string;
}

const NEWLINE = 0x0a;

/**
 * Follows a metrics.jsonl that another process is writing, the way TensorBoard follows a log
 * folder. Poll-based (fs.watch misses events on network drives, WSL, some editors' saves): each
 * poll reads what was appended since the last one, yields complete lines only (a partial last line
 * waits for its newline), and treats a file that shrank or was replaced (another inode: a resume
 * truncated it atomically) as rewritten: a reset, then everything from the start.
 */
export class MetricsTail {
  readonly file: string;
  private readonly intervalMs: number;
  private offset = 0;
  private ino: number | null = null;
  private pending: Buffer = Buffer.alloc(0);
  private closed = false;
  private wake: (() => void) | null = null;
  /** Complete lines that were not valid records, since the start. */
  skipped = 0;

  constructor(runDir: string, options: MetricsTailOptions = {}) {
    this.file = options.file ?? runPaths(runDir).metrics;
    this.intervalMs = options.intervalMs ?? 500;
  }

  /** Look once: a reset (when rewritten) and the new records, or nothing new. */
  async poll(): Promise<MetricsTailEvent[]> {
    const events: MetricsTailEvent[] = [];
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(this.file, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      // Gone (a new run in the same folder removes it): what was read no longer holds.
      if (this.ino !== null || this.offset > 0) {
        this.restart(null);
        events.push({ type: 'reset' });
      }
      return events;
    }
    try {
      // Stat the open handle, not the path, so the size and inode belong to the file being read.
      const stat = await handle.stat();
      const rewritten = (this.ino !== null && stat.ino !== this.ino) || stat.size < this.offset;
      if (rewritten) {
        events.push({ type: 'reset' });
        this.restart(stat.ino);
      }
      this.ino = stat.ino;
      if (stat.size > this.offset) {
        const chunk = Buffer.alloc(stat.size - this.offset);
        let got = 0;
        while (got < chunk.length) {
          const { bytesRead } = await handle.read(chunk, got, chunk.length - got, this.offset + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        this.offset += got;
        const found = this.takeLines(chunk.subarray(0, got));
        if (found.records.length || found.skipped) events.push({ type: 'records', ...found });
      }
    } finally {
      await handle.close();
    }
    return events;
  }

  /** Poll until close() or the signal aborts, yielding each event as it comes. */
  async *follow(signal?: AbortSignal): AsyncGenerator<MetricsTailEvent> {
    const onAbort = (): void => this.close();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      while (!this.closed && !signal?.aborted) {
        for (const ev of await this.poll()) yield ev;
        if (this.closed || signal?.aborted) break;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.intervalMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = null;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  [Symbol.asyncIterator](): AsyncGenerator<MetricsTailEvent> {
    return this.follow();
  }

  /** Stop following (a pending wait in follow() ends at once). */
  close(): void {
    this.closed = true;
    this.wake?.();
  }

  private restart(ino: number | null): void {
    this.offset = 0;
    this.ino = ino;
    this.pending = Buffer.alloc(0);
  }

  /** Split on newlines (as bytes, so a UTF-8 character cut between reads stays whole). */
  private takeLines(chunk: Buffer): { records: MetricsRecord[]; skipped: number } {
    const buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const records: MetricsRecord[] = [];
    let skipped = 0;
    let start = 0;
    for (let nl = buf.indexOf(NEWLINE, start); nl !== -1; nl = buf.indexOf(NEWLINE, start)) {
      const line = buf.toString('utf8', start, nl);
      start = nl + 1;
      if (!line.trim()) continue;
      const rec = parseMetricsLine(line);
      if (rec) records.push(rec);
      else skipped += 1;
    }
    this.pending = Buffer.from(buf.subarray(start));
    this.skipped += skipped;
    return { records, skipped };
  }
}
