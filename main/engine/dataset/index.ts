export type { ConditionKind, Dataset, DatasetItem, SkippedFile, TrainBatch } from './types';
export { loadDataset, MIN_SECONDS, type LoadDatasetOptions } from './load';
export { sampleBatch, validationBatches, MAX_VALIDATION_SEGMENTS } from './batch';
export { scanAudioFolder, isAudioFile, AUDIO_EXTENSIONS } from './scan';
export { chooseValidation } from './split';
export { featureBinsFor, midiBeside, silenceFrame } from './features';
