import { NATS_PER_BIT, train, type TrainProgress } from '../../engine/train/trainer';
import type { JobDefinition } from '../job-context';

const nats = (x: number | undefined): string => (x === undefined ? '–' : x.toFixed(3));

function figures(p: TrainProgress): string | undefined {
  if (p.phase !== 'training') return undefined;
  const val = p.valLoss !== undefined ? ` · val ${nats(p.valLoss)}` : '';
  return `loss ${nats(p.trainLoss)}${val} nats (${((p.trainLoss ?? 0) / NATS_PER_BIT).toFixed(2)} bits) · ${Math.round(p.samplesPerSec ?? 0).toLocaleString('en')} samples/s`;
}

/** Train a new run or resume one; progress carries the step, losses, learning rate and speed. */
export const trainJob: JobDefinition<'train'> = {
  kind: 'train',
  async run(request, ctx) {
    const summary = await train({
      runDir: request.runDir,
      config: request.config,
      resume: request.resume,
      steps: request.steps,
      device: request.device,
      signal: ctx.signal,
      waitWhilePaused: ctx.whenResumed,
      onProgress: (p) => {
        const loading = p.phase === 'loading';
        ctx.progress({
          phase: ctx.paused() ? 'paused' : p.phase,
          done: loading ? (p.done ?? 0) : p.step,
          total: loading ? (p.total ?? null) : p.steps,
          etaSeconds: p.phase === 'training' ? (p.etaSeconds ?? null) : null,
          metrics: {
            step: p.step, steps: p.steps, trainLoss: p.trainLoss, valLoss: p.valLoss, lr: p.lr, samplesPerSec: p.samplesPerSec,
            ...(loading ? { filesDone: p.done, filesTotal: p.total } : {}),
          },
          figures: figures(p),
        });
      },
    });
    return {
      runDir: summary.runDir, device: summary.device, startStep: summary.startStep, step: summary.step,
      trainLoss: summary.trainLoss, valLoss: summary.valLoss, lastCheckpoint: summary.lastCheckpoint, cancelled: summary.cancelled,
    };
  },
};
