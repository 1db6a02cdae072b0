import { measureTrainStep } from '../../engine/train/measure';
import type { JobDefinition } from '../job-context';

/** A few timed train steps of the planned run, so the form shows a measured time per 1,000 steps. */
export const estimateJob: JobDefinition<'estimate'> = {
  kind: 'estimate',
  async run(request, ctx) {
    ctx.progress({ phase: 'measuring a train step', done: 0, total: null });
    const m = await measureTrainStep(request.config, { signal: ctx.signal });
    ctx.progress({ phase: 'done', done: 1, total: 1, metrics: { samplesPerSec: m.samplesPerSec } });
    return m;
  },
};
