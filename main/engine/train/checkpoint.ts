import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../errors';
import type { WaveNetConfig } from '../model/config';
import { encodeModelFile } from '../model/model-file';
import { CheckpointStateSchema, pruneCheckpoints, readCheckpointInfo, type CheckpointState, type PruneOptions } from '../run/checkpoints';
import { CHECKPOINT_FILES, checkpointPath, runPaths } from '../run/paths';
import { makeFolder } from '../util/folders';

/** What training needs to continue exactly where it stopped. */
export interface TrainingState {
  step: number;
  theta: Float32Array;
  m: Float32Array;
  v: Float32Array;
  rngState: number;
  samplesSeen: number;
  trainLoss: number | null;
  valLoss: number | null;
}

async function writeSynced(file: string, data: Uint8Array | string): Promise<void> {
  const h = await fs.open(file, 'w');
  try {
    await h.writeFile(data);
    await h.sync();
  } finally {
    await h.close();
  }
}

/**
 * Write checkpoints/<step>/ {model.onnx, optimizer.bin, state.json}: built in a hidden folder and
 * renamed into place, so a crash leaves either no checkpoint for this step or a whole one. Then
 * prune to the newest `keep` (a number, or {keep, keepBest}: the best-by-validation one stays too).
 */
export async function saveCheckpoint(runDir: string, cfg: WaveNetConfig, s: TrainingState, keep: number | PruneOptions): Promise<string> {
  const root = runPaths(runDir).checkpoints;
  await makeFolder(root);
  const final = checkpointPath(runDir, s.step);
  if (await readCheckpointInfo(runDir, s.step)) return final; // This exact step is already saved whole.
  await fs.rm(final, { recursive: true, force: true }); // a damaged folder for this step, if any
  const tmp = path.join(root, `.${s.step}.${process.pid}.tmp`);
  await fs.rm(tmp, { recursive: true, force: true });
  await fs.mkdir(tmp);
  await writeSynced(path.join(tmp, CHECKPOINT_FILES.model), encodeModelFile(cfg, s.theta, { 'wavenet_studio.step': String(s.step) }));
  const P = s.theta.length;
  const opt = new Float32Array(3 * P);
  opt.set(s.theta, 0);
  opt.set(s.m, P);
  opt.set(s.v, 2 * P);
  await writeSynced(path.join(tmp, CHECKPOINT_FILES.optimizer), new Uint8Array(opt.buffer));
  const state: CheckpointState = {
    step: s.step, paramCount: P, rngState: s.rngState, samplesSeen: s.samplesSeen,
    trainLoss: s.trainLoss, valLoss: s.valLoss, savedAt: new Date().toISOString(),
  };
  await writeSynced(path.join(tmp, CHECKPOINT_FILES.state), `${JSON.stringify(state, null, 2)}\n`);
  await fs.rename(tmp, final);
  await pruneCheckpoints(runDir, typeof keep === 'number' ? { keep } : keep);
  await removeStaleTemporaries(runDir);
  return final;
}

export async function loadCheckpoint(dir: string): Promise<TrainingState> {
  let state: CheckpointState;
  try {
    state = CheckpointStateSchema.parse(JSON.parse(await fs.readFile(path.join(dir, CHECKPOINT_FILES.state), 'utf8')));
  } catch {
    throw new StudioError('RUN_INVALID', `The checkpoint in ${dir} is unreadable: delete that folder to resume from the one before.`);
  }
  const bytes = await fs.readFile(path.join(dir, CHECKPOINT_FILES.optimizer));
  const P = state.paramCount;
  if (bytes.byteLength !== 12 * P) throw new StudioError('RUN_INVALID', `The optimizer state in ${dir} is damaged: delete that folder to resume from the one before.`);
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return {
    step: state.step, theta: all.slice(0, P), m: all.slice(P, 2 * P), v: all.slice(2 * P),
    rngState: state.rngState, samplesSeen: state.samplesSeen, trainLoss: state.trainLoss, valLoss: state.valLoss,
  };
}

/** Hidden folders left by a crash while writing (another process's: this one's may be in use). */
async function removeStaleTemporaries(runDir: string): Promise<void> {
  const root = runPaths(runDir).checkpoints;
  for (const name of await fs.readdir(root)) {
    if (name.startsWith('.') && name.endsWith('.tmp') && !name.includes(`.${process.pid}.`)) {
      await fs.rm(path.join(root, name), { recursive: true, force: true });
    }
  }
}
