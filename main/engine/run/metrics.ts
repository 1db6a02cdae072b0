import { promises as fs } from 'node:fs';
import { MetricsRecordSchema, type MetricsRecord } from '../../contract/domain/train';
import { appendLine, writeFileAtomic } from '../util/atomic';
import { runPaths } from './paths';

export interface MetricsRead {
  /** The valid records, in file order. */
  records: MetricsRecord[];
  /** Complete lines that were not a valid record (skipped). */
  skipped: number;
  /** The file ended in a partial line (a crash mid-write, or a writer still busy): ignored. */
  tornTail: boolean;
}

/** One complete line of metrics.jsonl as a record, or null when it is not one. */
export function parseMetricsLine(line: string): MetricsRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  const parsed = MetricsRecordSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/**
 * Split metrics text into records. Blank lines are ignored; a bad complete line is skipped and
 * counted; a last line without its newline that is not a valid record is a torn write, ignored.
 */
export function parseMetricsText(text: string): MetricsRead {
  const lines = text.split('\n');
  const last = lines.pop() ?? '';
  const out: MetricsRead = { records: [], skipped: 0, tornTail: false };
  for (const line of lines) {
    if (!line.trim()) continue;
    const rec = parseMetricsLine(line);
    if (rec) out.records.push(rec);
    else out.skipped += 1;
  }
  if (last.trim()) {
    const rec = parseMetricsLine(last);
    if (rec) out.records.push(rec);
    else out.tornTail = true;
  }
  return out;
}

/** The run's metrics.jsonl, validated; no file is no records. */
export async function readMetrics(runDir: string): Promise<MetricsRead> {
  let text: string;
  try {
    text = await fs.readFile(runPaths(runDir).metrics, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], skipped: 0, tornTail: false };
    throw e;
  }
  return parseMetricsText(text);
}

/** Append one record as one line (whole or not at all after a crash). */
export async function appendMetrics(runDir: string, record: MetricsRecord): Promise<void> {
  await appendLine(runPaths(runDir).metrics, JSON.stringify(record));
}

/**
 * Keep metrics.jsonl consistent with the checkpoint being resumed: drop records logged after
 * `step`, and bad or torn lines. Rewritten atomically (a new file: followers see a rewrite).
 */
export async function truncateMetrics(runDir: string, step: number): Promise<void> {
  const file = runPaths(runDir).metrics;
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return;
  }
  const kept = text.split('\n').filter((line) => {
    const rec = line.trim() ? parseMetricsLine(line) : null;
    return rec !== null && rec.step <= step;
  });
  await writeFileAtomic(file, kept.map((l) => `${l}\n`).join(''));
}
