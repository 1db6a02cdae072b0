import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { CheckpointInfo, MetricsRecord, RunConfig, RunEntry, RunStatus, RunSummary } from '../../contract/domain/train';
import { isStudioError } from '../errors';
import { listCheckpoints } from './checkpoints';
import { readRunConfig } from './config';
import { liveLock } from './lock';
import { readMetrics } from './metrics';

function statusOf(config: RunConfig, live: boolean, latest: CheckpointInfo | null, records: readonly MetricsRecord[]): RunStatus {
  if (live) return 'running';
  if (latest && latest.step >= config.training.steps) return 'finished';
  if (latest || records.length > 0) return 'interrupted';
  return 'new';
}

/**
 * 'running' while a live process on this machine holds train.lock; 'finished' once the latest
 * checkpoint reached the configured steps; 'interrupted' when it has checkpoints or metrics but
 * no live lock; 'new' before any of that. RUN_INVALID when config.json is missing or invalid.
 */
export async function runStatus(runDir: string): Promise<RunStatus> {
  const live = (await liveLock(runDir)) !== null;
  if (live) return 'running';
  const config = await readRunConfig(runDir);
  const checkpoints = await listCheckpoints(runDir);
  const { records } = await readMetrics(runDir);
  return statusOf(config, false, checkpoints[checkpoints.length - 1] ?? null, records);
}

const later = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : a > b ? a : b);

/**
 * A run as lists show it. `step` is the last logged step while running, else the latest
 * checkpoint's (where a resume goes on from). Losses come from metrics.jsonl, falling back to
 * the checkpoints' when it has none. RUN_INVALID when config.json is missing or invalid.
 */
export async function summarizeRun(runDir: string): Promise<RunSummary> {
  const config = await readRunConfig(runDir);
  const live = (await liveLock(runDir)) !== null;
  const checkpoints = await listCheckpoints(runDir);
  const { records } = await readMetrics(runDir);
  const latest = checkpoints[checkpoints.length - 1] ?? null;
  const status = statusOf(config, live, latest, records);
  const lastRecord = records[records.length - 1] ?? null;

  const vals = [
    ...records.map((r) => r.val_loss).filter((v): v is number => v !== undefined),
    ...checkpoints.map((c) => c.valLoss).filter((v): v is number => v !== null),
  ].filter(Number.isFinite);
  const lastVal = [...records].reverse().find((r) => r.val_loss !== undefined)?.val_loss ?? latest?.valLoss ?? null;
  const checkpointStep = latest?.step ?? 0;
  return {
    id: path.basename(runDir),
    dir: runDir,
    status,
    preset: config.preset,
    step: status === 'running' ? Math.max(checkpointStep, lastRecord?.step ?? 0) : checkpointStep,
    steps: config.training.steps,
    bestValLoss: vals.length ? Math.min(...vals) : null,
    lastValLoss: lastVal,
    lastTrainLoss: lastRecord?.train_loss ?? latest?.trainLoss ?? null,
    createdAt: config.createdAt,
    updatedAt: later(lastRecord?.time ?? null, latest?.savedAt ?? null),
  };
}

export function isUnreadableRun(entry: RunEntry): entry is Extract<RunEntry, { problem: string }> {
  return 'problem' in entry;
}

/**
 * The runs of a project (<project>/runs/*), oldest first (run ids sort by creation time). A
 * folder that cannot be read as a run is listed with its one-line reason instead of failing the list.
 */
export async function listRuns(projectDir: string): Promise<RunEntry[]> {
  const root = path.join(projectDir, 'runs');
  let entries;
  try {
    entries = await fs.readdir(root, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const dirs = entries.filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => d.name).sort();
  return Promise.all(dirs.map(async (id): Promise<RunEntry> => {
    const dir = path.join(root, id);
    try {
      return await summarizeRun(dir);
    } catch (e) {
      const problem = isStudioError(e) ? e.message : `Cannot read ${dir}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
      return { id, dir, problem };
    }
  }));
}
