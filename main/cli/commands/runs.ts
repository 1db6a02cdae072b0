import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { RunEntry } from '../../contract/domain/train';
import { StudioError } from '../../engine/errors';
import { isUnreadableRun, listRuns } from '../../engine/run/status';

const loss = (x: number | null): string => (x === null ? '–' : x.toFixed(3));

/** The table `runs` prints: one row per run, unreadable ones with their reason. */
export function formatRuns(entries: readonly RunEntry[]): string {
  const rows = entries.map((e) =>
    isUnreadableRun(e)
      ? [e.id, 'unreadable', '', '', '', e.problem]
      : [e.id, e.status, `${e.step}/${e.steps}`, loss(e.bestValLoss), loss(e.lastValLoss), e.preset]);
  const head = ['run', 'status', 'step', 'best val', 'last val', 'preset'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}

/** The runs of a project with their status, step and validation losses (nats/sample). */
export async function runsCommand(projectDir: string, f: { json?: boolean }): Promise<void> {
  const dir = path.resolve(projectDir);
  let stat;
  try {
    stat = await fs.stat(dir);
  } catch {
    throw new StudioError('FILE_NOT_FOUND', `No project at ${dir}: give a project folder (the one holding runs/).`);
  }
  if (!stat.isDirectory()) throw new StudioError('BAD_OPTION', `${dir} is a file: give a project folder (the one holding runs/).`);
  const entries = await listRuns(dir);
  if (f.json) {
    process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
    return;
  }
  if (entries.length === 0) {
    process.stdout.write(`no runs in ${path.join(dir, 'runs')}\n`);
    return;
  }
  process.stdout.write(formatRuns(entries));
}
