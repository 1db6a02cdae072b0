import type { TrainOptions } from '../../contract/domain/train';

export { TrainOptionsSchema, RunConfigSchema } from '../../contract/domain/train';
export type { TrainOptions, RunConfig } from '../../contract/domain/train';

export function defaultTrainOptions(preset: string): TrainOptions {
  const tiny = preset === 'tiny';
  return {
    steps: tiny ? 2000 : 100000,
    batch: 4,
    // A whole number of frames: large's hop is 300.
    length: tiny ? 4000 : preset === 'large' ? 8100 : 8000,
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
    sampleEvery: 0,
    sampleSeconds: 2,
  };
}
