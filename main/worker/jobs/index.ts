import type { JobKind } from '../../contract/domain/jobs';
import type { JobDefinition } from '../job-context';
import { analyzeJob } from './analyze';
import { importJob } from './import';
import { estimateJob } from './estimate';
import { renderJob } from './render';
import { trainJob } from './train';

/** Every job kind the worker runs, by kind. A new kind: one file here and one union member in domain/jobs.ts. */
export const jobKinds: { [K in JobKind]?: JobDefinition<K> } = {
  analyze: analyzeJob,
  import: importJob,
  train: trainJob,
  render: renderJob,
  estimate: estimateJob,
};
