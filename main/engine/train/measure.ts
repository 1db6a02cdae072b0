import type { RunConfig } from '../../contract/domain/train';
import { initialParams, paramCount, paramSpecs } from '../model/params';
import type { Device } from '../runtime/session';
import { Random } from '../util/random';
import { batchFeeds } from './feeds';
import { TrainStep } from './step';

export interface StepMeasurement {
  secondsPerStep: number;
  samplesPerSec: number;
  device: Device;
}

/**
 * Times real train steps of a config on its device (random audio of the right shape: speed does
 * not depend on the values). The first step pays for allocations and is not counted.
 */
export async function measureTrainStep(config: RunConfig, opts: { steps?: number; signal?: AbortSignal } = {}): Promise<StepMeasurement> {
  const { model: cfg, training: opt } = config;
  const specs = paramSpecs(cfg);
  const P = paramCount(specs);
  const step = await TrainStep.open(cfg, { batch: opt.batch, length: opt.length }, opt, { device: opt.device, threads: opt.threads });
  const rng = new Random(1);
  const inputs = Int32Array.from({ length: opt.batch * (opt.length + 1) }, () => Math.floor(rng.next() * cfg.quantization));
  const frames = opt.length / cfg.hop;
  const features = cfg.conditionBins > 0 ? Float32Array.from({ length: opt.batch * frames * cfg.conditionBins }, () => rng.next() - 0.5) : null;
  const feeds = batchFeeds({ batch: opt.batch, length: opt.length, inputs, frames, features, classIds: new Int32Array(opt.batch) }, cfg.conditionBins, cfg.globalClasses);
  const state = { theta: initialParams(specs, 1), m: new Float32Array(P), v: new Float32Array(P) };
  const steps = opts.steps ?? 3;
  try {
    await step.run(feeds, state, 1e-3, 1e-8);
    const t0 = performance.now();
    for (let i = 0; i < steps && !opts.signal?.aborted; i++) await step.run(feeds, state, 1e-3, 1e-8);
    const secondsPerStep = (performance.now() - t0) / 1000 / steps;
    return { secondsPerStep, samplesPerSec: (opt.batch * opt.length) / secondsPerStep, device: step.device };
  } finally {
    await step.release();
  }
}
