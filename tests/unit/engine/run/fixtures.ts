import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { CheckpointState } from '../../../../main/engine/run/checkpoints';
import { preset } from '../../../../main/engine/model/config';
import { defaultTrainOptions, type RunConfig } from '../../../../main/engine/train/options';

/** A valid run config for the tiny preset. */
export function tinyRunConfig(over: Partial<RunConfig['training']> = {}, folders: string[] = []): RunConfig {
  return {
    schemaVersion: 1,
    model: preset('tiny'),
    training: { ...defaultTrainOptions('tiny'), ...over },
    data: { folders },
    preset: 'tiny',
    createdAt: '2025-01-01T00:00:00.000Z',
  };
}

export async function writeConfig(runDir: string, cfg: RunConfig | string): Promise<void> {
  await fs.mkdir(runDir, { recursive: true });
  await fs.writeFile(path.join(runDir, 'config.json'), typeof cfg === 'string' ? cfg : JSON.stringify(cfg, null, 2));
}

/**
 * A checkpoint folder with the three files in place (listing reads only state.json; the model and
 * optimizer files just have to be there).
 */
export async function fakeCheckpoint(runDir: string, step: number, losses: { val?: number | null; train?: number | null } = {}): Promise<string> {
  const dir = path.join(runDir, 'checkpoints', String(step));
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, 'model.onnx'), 'model');
  await fs.writeFile(path.join(dir, 'optimizer.bin'), 'optimizer');
  const state: CheckpointState = {
    step, paramCount: 1, rngState: 1, samplesSeen: step * 100, trainLoss: losses.train ?? 5, valLoss: losses.val ?? null,
    savedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, step)).toISOString(),
  };
  await fs.writeFile(path.join(dir, 'state.json'), JSON.stringify(state));
  return dir;
}

export function metricsLine(step: number, extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ step, train_loss: 5 - step / 100, time: new Date(Date.UTC(2025, 0, 1, 0, 0, step)).toISOString(), ...extra })}\n`;
}
