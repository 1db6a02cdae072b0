import { z } from 'zod';
import { WaveNetConfigSchema } from '../model/config';
import { DEVICES } from '../runtime/session';

/** Everything that defines a training run; saved as runs/<id>/config.json. */
export const TrainOptionsSchema = z.object({
  steps: z.number().int().positive(),
  batch: z.number().int().positive(),
  /** Samples per training segment (a multiple of hop). */
  length: z.number().int().positive(),
  learningRate: z.number().positive(),
  warmupSteps: z.number().int().nonnegative(),
  beta1: z.number().min(0).max(1),
  beta2: z.number().min(0).max(1),
  eps: z.number().positive(),
  clip: z.number().positive(),
  seed: z.number().int(),
  validateEvery: z.number().int().positive(),
  checkpointEvery: z.number().int().positive(),
  /** Also checkpoint when this many seconds passed since the last one (bounds work lost to a crash). */
  checkpointSeconds: z.number().positive(),
  keepCheckpoints: z.number().int().positive(),
  logEvery: z.number().int().positive(),
  device: z.enum(['auto', ...DEVICES]),
  threads: z.number().int().nonnegative(),
  valFraction: z.number().min(0).max(0.9),
});
export type TrainOptions = z.infer<typeof TrainOptionsSchema>;

export const RunConfigSchema = z.object({
  schemaVersion: z.literal(1),
  model: WaveNetConfigSchema,
  training: TrainOptionsSchema,
  data: z.object({ folders: z.array(z.string()) }),
  preset: z.string(),
  createdAt: z.string(),
});
export type RunConfig = z.infer<typeof RunConfigSchema>;

export function defaultTrainOptions(preset: string): TrainOptions {
  const tiny = preset === 'tiny';
  return {
    steps: tiny ? 2000 : 100000,
    batch: 4,
    length: tiny ? 4000 : 8000,
    learningRate: tiny ? 3e-3 : 1e-3,
    warmupSteps: tiny ? 20 : 500,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    clip: 1,
    seed: 1,
    validateEvery: tiny ? 50 : 500,
    checkpointEvery: tiny ? 50 : 1000,
    checkpointSeconds: 300,
    keepCheckpoints: 3,
    logEvery: tiny ? 5 : 10,
    device: 'auto',
    threads: 0,
    valFraction: 0.1,
  };
}
