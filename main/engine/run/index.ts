/**
 * A run folder (runs/<id>/) as one module: its paths, config, metrics (read, truncate, follow),
 * checkpoints, training samples, lock and status, and opening its model.
 */
export { runPaths, checkpointPath, samplePath, CHECKPOINT_FILES, type RunPaths } from './paths';
export { readRunConfig, writeRunConfig } from './config';
export { readMetrics, appendMetrics, truncateMetrics, parseMetricsLine, parseMetricsText, type MetricsRead } from './metrics';
export { MetricsTail, type MetricsTailEvent, type MetricsTailOptions } from './metrics-tail';
export {
  listCheckpoints, latestCheckpoint, bestCheckpoint, deleteCheckpoint, pruneCheckpoints, readCheckpointInfo, pickBest,
  CheckpointStateSchema, type CheckpointState, type PruneOptions,
} from './checkpoints';
export { listSamples, sourceSample, sourceSamplePath, wavSeconds } from './samples';
export { acquireLock, releaseLock, readLock, liveLock, lockIsLive, type TrainLock } from './lock';
export { runStatus, summarizeRun, listRuns, isUnreadableRun } from './status';
export { openModel } from './model';
