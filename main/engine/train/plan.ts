import { TrainOptionsSchema, WaveNetConfigSchema, type RunChoices, type RunConfig, type RunPlan } from '../../contract/domain/index';
import { preset as presetConfig, receptiveField, withCondition } from '../model/config';
import { paramCount, paramSpecs } from '../model/params';
import type { ProjectDataset } from '../project/project-file';
import { defaultTrainOptions } from './options';

/** Segments shorter than this many receptive fields teach mostly padding. */
const MIN_FIELDS_PER_SEGMENT = 1;

/**
 * The config a new run on a project dataset gets: the preset, the person's changes, the dataset's
 * conditioning and classes; with every problem named by field so the form can show it in place.
 */
export function planRun(projectDir: string, dataset: ProjectDataset, classNames: string[], choices: RunChoices, now = new Date()): RunPlan {
  const base = withCondition(presetConfig(choices.preset), dataset.condition);
  const model = { ...base, ...choices.model, ...(classNames.length > 1 ? { globalClasses: classNames.length, classNames } : {}) };
  const defaults = defaultTrainOptions(choices.preset);
  // In the app a sample is rendered with every checkpoint unless the person chose otherwise.
  const training = { ...defaults, sampleEvery: choices.training?.checkpointEvery ?? defaults.checkpointEvery, ...choices.training };
  const problems: RunPlan['problems'] = [];
  const modelCheck = WaveNetConfigSchema.safeParse(model);
  if (!modelCheck.success) for (const i of modelCheck.error.issues) problems.push({ field: `model.${i.path.join('.')}`, message: i.message });
  const trainCheck = TrainOptionsSchema.safeParse(training);
  if (!trainCheck.success) for (const i of trainCheck.error.issues) problems.push({ field: `training.${i.path.join('.')}`, message: i.message });
  if (Number.isInteger(training.length) && training.length % model.hop !== 0) {
    problems.push({ field: 'training.length', message: `Use a multiple of the hop (${model.hop} samples), e.g. ${Math.max(1, Math.round(training.length / model.hop)) * model.hop}.` });
  }
  const field = receptiveField(model);
  if (training.length < MIN_FIELDS_PER_SEGMENT * field) {
    problems.push({ field: 'training.length', message: `Segments of ${training.length} samples are shorter than the receptive field (${field}); use at least ${Math.ceil(field / model.hop) * model.hop}.` });
  }
  if (training.validateEvery > training.steps) problems.push({ field: 'training.validateEvery', message: 'Validate at least once: make it at most the number of steps.' });
  if (training.checkpointEvery > training.steps) problems.push({ field: 'training.checkpointEvery', message: 'Checkpoint at least once: make it at most the number of steps.' });
  const config: RunConfig = {
    schemaVersion: 1, model, training, preset: choices.preset, createdAt: now.toISOString(),
    data: { folders: dataset.folders, project: projectDir, dataset: dataset.id },
  };
  const parameters = modelCheck.success ? paramCount(paramSpecs(model)) : 0;
  return { config, parameters, receptiveFieldMs: (field / model.sampleRate) * 1000, problems };
}
