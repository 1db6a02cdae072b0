import { z } from 'zod';
import { idSchema } from './ids';
import { DeviceChoiceSchema } from './model';
import { AudioFormatSchema, ConditioningSourceSchema, RenderSettingsSchema } from './render';
import { RunConfigSchema } from './train';

const path = (what: string) => z.string().min(1, `Choose ${what}.`);

/** Log-mel of one audio file, written beside it. */
export const AnalyzeJobSchema = z.object({ kind: z.literal('analyze'), input: path('an audio file to analyze') });

/** Import (or refresh) one dataset of a project, as its settings in project.json say. */
export const ImportJobSchema = z.object({ kind: z.literal('import'), project: path('a project'), dataset: idSchema });

/** Train a run: a new one from `config`, or continue the one in `runDir`. */
export const TrainJobSchema = z.object({
  kind: z.literal('train'),
  runDir: path('a run folder'),
  config: RunConfigSchema.optional(),
  resume: z.boolean().default(false),
  /** On resume: train up to this many steps instead of the saved count. */
  steps: z.number().int().positive().optional(),
  /** Overrides the run's device for this session (resume on another device). */
  device: DeviceChoiceSchema.optional(),
});

/** Render audio from a model and a conditioning source into a file. */
export const RenderJobSchema = z.object({
  kind: z.literal('render'),
  model: path('a model (run folder or .onnx)'),
  source: ConditioningSourceSchema,
  /** The output file (.wav or .flac); for several variations, -<n> is added before the extension. */
  out: path('where to write the render'),
  format: AudioFormatSchema.optional(),
  settings: RenderSettingsSchema.default(RenderSettingsSchema.parse({})),
  /** More variations in the same job: each its own seed / temperature. */
  variations: z.array(z.object({ seed: z.number().int(), temperature: z.number().nonnegative() })).max(16).optional(),
  /** The project the render belongs to (the sidecar names the model relative to it). */
  project: z.string().optional(),
  /** Seconds: a segmented render (a document source) generates the missing segments from here on first. */
  playhead: z.number().nonnegative().optional(),
});

/** Time a few real train steps of a config on its device: the new-run form's time per 1,000 steps. */
export const EstimateJobSchema = z.object({ kind: z.literal('estimate'), config: RunConfigSchema });

export const JobRequestSchema = z.discriminatedUnion('kind', [AnalyzeJobSchema, ImportJobSchema, TrainJobSchema, RenderJobSchema, EstimateJobSchema]);
export type JobRequest = z.infer<typeof JobRequestSchema>;
export type JobKind = JobRequest['kind'];
export type JobRequestOf<K extends JobKind> = Extract<JobRequest, { kind: K }>;
export const JOB_KINDS: readonly JobKind[] = ['analyze', 'import', 'train', 'render', 'estimate'];

/** Numbers a job knows about itself: charts and the status bar read these, not text. */
export const JobMetricsSchema = z.object({
  step: z.number(),
  steps: z.number(),
  trainLoss: z.number(),
  valLoss: z.number(),
  lr: z.number(),
  samplesPerSec: z.number(),
  filesDone: z.number(),
  filesTotal: z.number(),
  filesSkipped: z.number(),
  audioSeconds: z.number(),
  realTimeFactor: z.number(),
  /** A segmented render: segments in all (every take), generated so far, taken from the cache, in the running batch. */
  segmentsTotal: z.number(),
  segmentsRendered: z.number(),
  segmentsReused: z.number(),
  segmentsRendering: z.number(),
}).partial();
export type JobMetrics = z.infer<typeof JobMetricsSchema>;

/** What each kind returns when it finishes. */
export const JobResultSchemas = {
  analyze: z.object({ outputPath: z.string(), frames: z.number(), seconds: z.number() }),
  import: z.object({
    dataset: z.string(), filesUsed: z.number(), filesSkipped: z.number(), seconds: z.number(),
    added: z.number(), changed: z.number(), removed: z.number(), unchanged: z.number(), cancelled: z.boolean(),
  }),
  train: z.object({
    runDir: z.string(), device: z.string(), startStep: z.number(), step: z.number(),
    trainLoss: z.number().nullable(), valLoss: z.number().nullable(), lastCheckpoint: z.string().nullable(), cancelled: z.boolean(),
  }),
  render: z.object({
    outputs: z.array(z.object({ path: z.string(), sidecar: z.string(), seconds: z.number(), seed: z.number(), temperature: z.number() })),
    seconds: z.number(), samplesPerSec: z.number(), realTimeFactor: z.number(), device: z.string(),
    /** A segmented render: segments generated now, taken from the cache, and in all (over every take). */
    segments: z.object({ rendered: z.number(), reused: z.number(), total: z.number() }).optional(),
  }),
  estimate: z.object({ secondsPerStep: z.number(), samplesPerSec: z.number(), device: z.string() }),
} as const satisfies Record<JobKind, z.ZodType>;
export type JobResultOf<K extends JobKind> = z.infer<(typeof JobResultSchemas)[K]>;

export const JobResultSchema = z.union([JobResultSchemas.analyze, JobResultSchemas.import, JobResultSchemas.train, JobResultSchemas.render, JobResultSchemas.estimate]);
export type JobResult = z.infer<typeof JobResultSchema>;
