import { z } from 'zod';
import { DeviceChoiceSchema, PresetNameSchema, WaveNetConfigSchema } from './model';

const trainFields = {
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
  /** Besides the latest keepCheckpoints, also keep the checkpoint with the lowest validation loss (default true). */
  keepBest: z.boolean().optional(),
  logEvery: z.number().int().positive(),
  device: DeviceChoiceSchema,
  threads: z.number().int().nonnegative(),
  valFraction: z.number().min(0).max(0.9),
  /** Render a free-running sample into samples/ every this many steps (0: never). */
  sampleEvery: z.number().int().nonnegative(),
  sampleSeconds: z.number().positive().max(30),
};

/** Everything that defines how a run trains; saved in runs/<id>/config.json. */
export const TrainOptionsSchema = z.object({
  ...trainFields,
  // Runs written before samples existed have neither field.
  sampleEvery: trainFields.sampleEvery.default(0),
  sampleSeconds: trainFields.sampleSeconds.default(2),
});
export type TrainOptions = z.infer<typeof TrainOptionsSchema>;

/** Some training options to change: only the keys given (no defaults filled in). */
export const TrainOptionsPatchSchema = z.object(trainFields).partial();

/** Where a run's audio comes from: folders scanned at start, or a project dataset's cache. */
export const RunDataSchema = z.object({
  folders: z.array(z.string()),
  /** Set when the run trains from a project dataset: its folder and dataset id. */
  project: z.string().optional(),
  dataset: z.string().optional(),
});

export const RunConfigSchema = z.object({
  schemaVersion: z.literal(1),
  model: WaveNetConfigSchema,
  training: TrainOptionsSchema,
  data: RunDataSchema,
  preset: z.string(),
  createdAt: z.string(),
});
export type RunConfig = z.infer<typeof RunConfigSchema>;

/** One line of runs/<id>/metrics.jsonl. Losses in nats/sample; bits = nats / ln 2. */
export const MetricsRecordSchema = z.object({
  step: z.number().int().nonnegative(),
  train_loss: z.number(),
  train_bits: z.number().optional(),
  val_loss: z.number().optional(),
  val_bits: z.number().optional(),
  lr: z.number().optional(),
  grad_norm: z.number().optional(),
  samples_per_sec: z.number().optional(),
  time: z.string(),
}).loose();
export type MetricsRecord = z.infer<typeof MetricsRecordSchema>;

/** A run as lists and dashboards show it. */
export const RunStatusSchema = z.enum(['running', 'queued', 'paused', 'finished', 'interrupted', 'new']);
export type RunStatus = z.infer<typeof RunStatusSchema>;

export const CheckpointInfoSchema = z.object({
  step: z.number().int().nonnegative(),
  path: z.string(),
  valLoss: z.number().nullable(),
  trainLoss: z.number().nullable(),
  savedAt: z.string(),
});
export type CheckpointInfo = z.infer<typeof CheckpointInfoSchema>;

export const TrainingSampleSchema = z.object({
  step: z.number().int().nonnegative(),
  path: z.string(),
  seconds: z.number().nonnegative(),
});
export type TrainingSample = z.infer<typeof TrainingSampleSchema>;

export const RunSummarySchema = z.object({
  id: z.string(),
  dir: z.string(),
  status: RunStatusSchema,
  preset: z.string(),
  step: z.number().int().nonnegative(),
  steps: z.number().int().positive(),
  bestValLoss: z.number().nullable(),
  lastValLoss: z.number().nullable(),
  lastTrainLoss: z.number().nullable(),
  createdAt: z.string(),
  updatedAt: z.string().nullable(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

/** runs/<id>/train.lock: written by the process training the run, removed when it ends. */
export const TrainLockSchema = z.object({
  pid: z.number().int().positive(),
  hostname: z.string(),
  startedAt: z.string(),
});
export type TrainLock = z.infer<typeof TrainLockSchema>;

/** A run folder that could not be read, listed with its one-line reason. */
export const UnreadableRunSchema = z.object({ id: z.string(), dir: z.string(), problem: z.string() });
export const RunEntrySchema = z.union([RunSummarySchema, UnreadableRunSchema]);
export type RunEntry = z.infer<typeof RunEntrySchema>;

/**
 * A run's metrics as columns (what charts take without reshaping): one entry per logged step.
 * time is milliseconds since the epoch; null where a record has no value.
 */
export const MetricsSeriesSchema = z.object({
  step: z.array(z.number()),
  time: z.array(z.number()),
  train: z.array(z.number()),
  val: z.array(z.number().nullable()),
  lr: z.array(z.number().nullable()),
  samplesPerSec: z.array(z.number().nullable()),
});
export type MetricsSeries = z.infer<typeof MetricsSeriesSchema>;

export const RunDetailSchema = z.object({
  summary: RunSummarySchema,
  config: RunConfigSchema,
  checkpoints: z.array(CheckpointInfoSchema),
  samples: z.array(TrainingSampleSchema),
  /** The original clip the samples are rendered from (samples/source.wav), once written. */
  source: z.object({ path: z.string(), seconds: z.number() }).nullable(),
});
export type RunDetail = z.infer<typeof RunDetailSchema>;

/** A new run as the form shows it before starting: the full config and what it implies. */
export const RunPlanSchema = z.object({
  config: RunConfigSchema,
  parameters: z.number().int().nonnegative(),
  receptiveFieldMs: z.number().nonnegative(),
  /** Every field that cannot be used, with its reason; empty when the run can start. */
  problems: z.array(z.object({ field: z.string(), message: z.string() })),
});
export type RunPlan = z.infer<typeof RunPlanSchema>;

/** The choices a person makes in the new-run form; everything else comes from the preset. */
export const RunChoicesSchema = z.object({
  preset: PresetNameSchema,
  model: WaveNetConfigSchema.pick({ stacks: true, layersPerStack: true, residual: true, gate: true, skip: true, head: true }).partial().optional(),
  training: TrainOptionsPatchSchema.optional(),
});
export type RunChoices = z.infer<typeof RunChoicesSchema>;
