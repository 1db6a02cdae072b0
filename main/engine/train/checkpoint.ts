import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { StudioError } from '../errors';
import type { WaveNetConfig } from '../model/config';
import { encodeModelFile } from '../model/model-file';

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

const StateSchema = z.object({
  step: z.number().int().nonnegative(),
  paramCount: z.number().int().positive(),
  rngState: z.number().int(),
  samplesSeen: z.number().nonnegative(),
  trainLoss: z.number().nullable(),
  valLoss: z.number().nullable(),
  savedAt: z.string(),
});

export function checkpointsDir(runDir: string): string {
  return path.join(runDir, 'checkpoints');
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
 * renamed into place, so a crash leaves either no checkpoint for this step or a whole one.
 */
export async function saveCheckpoint(runDir: string, cfg: WaveNetConfig, s: TrainingState, keep: number): Promise<string> {
  const root = checkpointsDir(runDir);
  await fs.mkdir(root, { recursive: true });
  const final = path.join(root, String(s.step));
  try {
    await fs.access(final);
    return final; // This exact step is already saved whole.
  } catch {
    // not there yet
  }
  const tmp = path.join(root, `.${s.step}.${process.pid}.tmp`);
  await fs.rm(tmp, { recursive: true, force: true });
  await fs.mkdir(tmp);
  await writeSynced(path.join(tmp, 'model.onnx'), encodeModelFile(cfg, s.theta, { 'wavenet_studio.step': String(s.step) }));
  const P = s.theta.length;
  const opt = new Float32Array(3 * P);
  opt.set(s.theta, 0);
  opt.set(s.m, P);
  opt.set(s.v, 2 * P);
  await writeSynced(path.join(tmp, 'optimizer.bin'), new Uint8Array(opt.buffer));
  const state: z.infer<typeof StateSchema> = {
    step: s.step, paramCount: P, rngState: s.rngState, samplesSeen: s.samplesSeen,
    trainLoss: s.trainLoss, valLoss: s.valLoss, savedAt: new Date().toISOString(),
  };
  await writeSynced(path.join(tmp, 'state.json'), `${JSON.stringify(state, null, 2)}\n`);
  await fs.rename(tmp, final);
  await pruneCheckpoints(runDir, keep);
  return final;
}

async function completeSteps(runDir: string): Promise<number[]> {
  let names: string[] = [];
  try {
    names = await fs.readdir(checkpointsDir(runDir));
  } catch {
    return [];
  }
  return names.filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => b - a);
}

/** The newest whole checkpoint folder, or null when there is none. */
export async function latestCheckpoint(runDir: string): Promise<string | null> {
  for (const step of await completeSteps(runDir)) {
    const dir = path.join(checkpointsDir(runDir), String(step));
    try {
      await fs.access(path.join(dir, 'state.json'));
      await fs.access(path.join(dir, 'optimizer.bin'));
      await fs.access(path.join(dir, 'model.onnx'));
      return dir;
    } catch {
      // incomplete (should not happen thanks to the rename); try an older one
    }
  }
  return null;
}

export async function loadCheckpoint(dir: string): Promise<TrainingState> {
  let state: z.infer<typeof StateSchema>;
  try {
    state = StateSchema.parse(JSON.parse(await fs.readFile(path.join(dir, 'state.json'), 'utf8')));
  } catch {
    throw new StudioError('RUN_INVALID', `The checkpoint in ${dir} is unreadable: delete that folder to resume from the one before.`);
  }
  const bytes = await fs.readFile(path.join(dir, 'optimizer.bin'));
  const P = state.paramCount;
  if (bytes.byteLength !== 12 * P) throw new StudioError('RUN_INVALID', `The optimizer state in ${dir} is damaged: delete that folder to resume from the one before.`);
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return {
    step: state.step, theta: all.slice(0, P), m: all.slice(P, 2 * P), v: all.slice(2 * P),
    rngState: state.rngState, samplesSeen: state.samplesSeen, trainLoss: state.trainLoss, valLoss: state.valLoss,
  };
}

async function pruneCheckpoints(runDir: string, keep: number): Promise<void> {
  const steps = await completeSteps(runDir);
  for (const step of steps.slice(keep)) {
    await fs.rm(path.join(checkpointsDir(runDir), String(step)), { recursive: true, force: true });
  }
  // Leftovers of a crash while writing.
  for (const name of await fs.readdir(checkpointsDir(runDir))) {
    if (name.startsWith('.') && name.endsWith('.tmp') && !name.includes(`.${process.pid}.`)) {
      await fs.rm(path.join(checkpointsDir(runDir), name), { recursive: true, force: true });
    }
  }
}
