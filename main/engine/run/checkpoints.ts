import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import type { CheckpointInfo } from '../../contract/domain/train';
import { StudioError } from '../errors';
import { CHECKPOINT_FILES, checkpointPath, runPaths } from './paths';

/** checkpoints/<step>/state.json: what the optimizer files do not hold. */
export const CheckpointStateSchema = z.object({
  step: z.number().int().nonnegative(),
  paramCount: z.number().int().positive(),
  rngState: z.number().int(),
  samplesSeen: z.number().nonnegative(),
  trainLoss: z.number().nullable(),
  valLoss: z.number().nullable(),
  savedAt: z.string(),
});
export type CheckpointState = z.infer<typeof CheckpointStateSchema>;

/** The step folders under checkpoints/ (numeric names only: hidden .tmp folders are half-written). */
async function stepFolders(runDir: string): Promise<number[]> {
  let names: string[];
  try {
    names = await fs.readdir(runPaths(runDir).checkpoints);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return names.filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);
}

/** One checkpoint folder, or null when it is incomplete (a file missing, state.json unreadable). */
export async function readCheckpointInfo(runDir: string, step: number): Promise<CheckpointInfo | null> {
  const dir = checkpointPath(runDir, step);
  try {
    await fs.access(path.join(dir, CHECKPOINT_FILES.model));
    await fs.access(path.join(dir, CHECKPOINT_FILES.optimizer));
    const parsed = CheckpointStateSchema.safeParse(JSON.parse(await fs.readFile(path.join(dir, CHECKPOINT_FILES.state), 'utf8')));
    if (!parsed.success) return null;
    const s = parsed.data;
    return { step, path: dir, valLoss: s.valLoss, trainLoss: s.trainLoss, savedAt: s.savedAt };
  } catch {
    return null;
  }
}

/** The run's whole checkpoints, oldest step first; `path` is the checkpoint's folder. */
export async function listCheckpoints(runDir: string): Promise<CheckpointInfo[]> {
  const found = await Promise.all((await stepFolders(runDir)).map((step) => readCheckpointInfo(runDir, step)));
  return found.filter((c): c is CheckpointInfo => c !== null);
}

/** The newest whole checkpoint, or null when there is none. */
export async function latestCheckpoint(runDir: string): Promise<CheckpointInfo | null> {
  // Newest first, stopping at the first whole one: cheaper than listing a long run.
  const steps = await stepFolders(runDir);
  for (let i = steps.length - 1; i >= 0; i--) {
    const info = await readCheckpointInfo(runDir, steps[i]!);
    if (info) return info;
  }
  return null;
}

/** Of these checkpoints, the one with the lowest validation loss (the later on a tie); null if none was validated. */
export function pickBest(checkpoints: readonly CheckpointInfo[]): CheckpointInfo | null {
  let best: CheckpointInfo | null = null;
  for (const c of checkpoints) {
    if (c.valLoss === null || !Number.isFinite(c.valLoss)) continue;
    if (!best || c.valLoss <= best.valLoss!) best = c;
  }
  return best;
}

/** The checkpoint with the lowest validation loss, or null when none has one. */
export async function bestCheckpoint(runDir: string): Promise<CheckpointInfo | null> {
  return pickBest(await listCheckpoints(runDir));
}

/** Remove checkpoints/<step>/ (nothing happens when it is not there). */
export async function deleteCheckpoint(runDir: string, step: number): Promise<void> {
  if (!Number.isInteger(step) || step < 0) throw new StudioError('BAD_OPTION', `${step} is not a checkpoint step: give a whole number.`);
  await fs.rm(checkpointPath(runDir, step), { recursive: true, force: true });
}

export interface PruneOptions {
  /** Keep this many of the newest checkpoints. */
  keep: number;
  /** Also keep the best-by-validation checkpoint, however old (default true). */
  keepBest?: boolean;
}

/** Delete all but the newest `keep` checkpoints (and the best one); returns the deleted steps. */
export async function pruneCheckpoints(runDir: string, o: PruneOptions): Promise<number[]> {
  const all = await listCheckpoints(runDir);
  const kept = new Set(all.slice(Math.max(0, all.length - o.keep)).map((c) => c.step));
  if (o.keepBest ?? true) {
    const best = pickBest(all);
    if (best) kept.add(best.step);
  }
  const deleted: number[] = [];
  for (const c of all) {
    if (kept.has(c.step)) continue;
    await deleteCheckpoint(runDir, c.step);
    deleted.push(c.step);
  }
  return deleted;
}
