// The renderer ↔ main API, one table for both transports (Electron IPC and browser mode's
// WebSocket). Each call names its argument and result schemas; arguments are validated before
// any service sees them. zod only: the renderer imports these types too.
import { z } from 'zod';
import { DatasetFileDetailSchema, DatasetInfoSchema, DatasetSettingsPatchSchema, ManifestFileSchema, ProjectDatasetSchema } from './domain/dataset';
import { JobMetricsSchema, JobRequestSchema, JobResultSchema } from './domain/jobs';
import { EditorDocumentSchema } from './domain/documents';
import { DeviceSchema } from './domain/model';
import { RenderSettingsSchema, RenderSidecarSchema, SegmentPlanEntrySchema } from './domain/render';
import { MetricsSeriesSchema, RunChoicesSchema, RunDetailSchema, RunEntrySchema, RunPlanSchema } from './domain/train';

export * as domain from './domain/index';

export const projectSummarySchema = z.object({
  name: z.string(),
  path: z.string(),
  openedAt: z.string().optional(),
});

export const dirEntrySchema = z.object({
  name: z.string(),
  path: z.string(),
  kind: z.enum(['dir', 'file']),
  size: z.number().optional(),
});

export const dirListingSchema = z.object({
  path: z.string(),
  parent: z.string().nullable(),
  entries: z.array(dirEntrySchema),
});

export const chosenPathSchema = z.object({ path: z.string().nullable() });

/** A job to start: one member per kind, discriminated on `kind` (see domain/jobs.ts). */
export const jobStartRequestSchema = JobRequestSchema;

export const jobStatusSchema = z.enum(['queued', 'running', 'done', 'failed', 'cancelled']);

export const jobProgressEventSchema = z.object({
  jobId: z.string(),
  kind: z.string(),
  phase: z.string(),
  done: z.number(),
  total: z.number().nullable().optional(),
  /** The job's own estimate when it has one (training knows its step time), else from the rate so far. */
  etaSeconds: z.number().nullable().optional(),
  /** Structured numbers for charts and the status bar: step, losses, samples/s, files done … */
  metrics: JobMetricsSchema.optional(),
  /** A short human line of the same numbers, for the status bar. */
  figures: z.string().optional(),
});

export const jobFinishedEventSchema = z.object({
  jobId: z.string(),
  kind: z.string(),
  status: z.enum(['done', 'failed', 'cancelled']),
  result: JobResultSchema.optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});

export const jobInfoSchema = z.object({
  jobId: z.string(),
  kind: z.string(),
  status: jobStatusSchema,
  /** What the job was asked to do (a reloaded window finds its run or dataset by this). */
  request: JobRequestSchema,
  /** Why it waits: e.g. "waits for the training on cpu". */
  queuedBehind: z.string().optional(),
  progress: jobProgressEventSchema.optional(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  result: JobResultSchema.optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});

const noArgs = z.object({}).strict().optional();
const projectArg = z.object({ project: z.string().min(1, 'Open a project first.') });
const datasetArg = projectArg.extend({ dataset: z.string().min(1, 'Choose a dataset.') });
const runArg = z.object({ runDir: z.string().min(1, 'Choose a run.') });
const documentArg = projectArg.extend({ id: z.string().min(1, 'Choose a document.') });

/** Every call: 'area.name' → its argument and result. */
export const calls = {
  'projects.list': { args: noArgs, result: z.array(projectSummarySchema) },
  /** Creates the folder <parent>/<name> and the project in it. */
  'projects.create': { args: z.object({ parent: z.string().min(1), name: z.string().trim().min(1, 'A project needs a name.') }), result: projectSummarySchema },
  'projects.open': { args: z.object({ path: z.string().min(1) }), result: projectSummarySchema },
  'fs.listDir': { args: z.object({ path: z.string().optional() }), result: dirListingSchema },
  /** Shows a file in the system's file manager (desktop only; browser mode answers NOT_AVAILABLE). */
  'fs.reveal': { args: z.object({ path: z.string().min(1) }), result: z.void() },
  'dialogs.chooseFolder': { args: z.object({ title: z.string() }), result: chosenPathSchema },
  'dialogs.chooseFile': { args: z.object({ title: z.string(), extensions: z.array(z.string()).optional() }), result: chosenPathSchema },
  'jobs.start': { args: jobStartRequestSchema, result: z.object({ jobId: z.string() }) },
  'jobs.cancel': { args: z.object({ jobId: z.string() }), result: z.void() },
  /** Holds a running training between steps, or lets it go on. */
  'jobs.pause': { args: z.object({ jobId: z.string(), paused: z.boolean() }), result: z.void() },
  'jobs.list': { args: noArgs, result: z.array(jobInfoSchema) },

  /** The project's datasets with what their last import found (null before the first import). */
  'datasets.list': { args: projectArg, result: z.array(z.object({ dataset: ProjectDatasetSchema, info: DatasetInfoSchema.nullable() })) },
  /** Adds a dataset to project.json; the caller then starts an `import` job for it. */
  'datasets.add': {
    args: projectArg.extend({
      name: z.string().trim().min(1, 'A dataset needs a name.'),
      folders: z.array(z.string().min(1)).min(1, 'Add at least one folder of recordings.'),
      settings: DatasetSettingsPatchSchema.optional(),
    }),
    result: ProjectDatasetSchema,
  },
  'datasets.update': {
    args: datasetArg.extend({ name: z.string().trim().min(1).optional(), folders: z.array(z.string().min(1)).min(1).optional(), settings: DatasetSettingsPatchSchema.optional() }),
    result: ProjectDatasetSchema,
  },
  /** Removes the dataset and its cache from the project; the recordings themselves are never touched. */
  'datasets.remove': { args: datasetArg, result: z.void() },
  'datasets.info': { args: datasetArg, result: DatasetInfoSchema },
  /** Every used file of the last import (the file table). */
  'datasets.files': { args: datasetArg, result: z.array(ManifestFileSchema) },
  /** Excludes files from training (or includes them again); saved in the manifest. */
  'datasets.setExcluded': { args: datasetArg.extend({ paths: z.array(z.string().min(1)).min(1), excluded: z.boolean() }), result: z.void() },
  'datasets.fileDetail': { args: datasetArg.extend({ path: z.string().min(1) }), result: DatasetFileDetailSchema },

  /** The project's runs (oldest first); an unreadable run folder is listed with its reason. */
  'runs.list': { args: projectArg, result: z.array(RunEntrySchema) },
  'runs.get': { args: runArg, result: RunDetailSchema },
  /** The run's whole metrics history as columns. */
  'runs.metrics': { args: runArg, result: MetricsSeriesSchema },
  /** Follows the run's metrics.jsonl (whoever writes it: the app or the CLI) with runs.onMetrics events. */
  'runs.watch': { args: runArg, result: z.void() },
  'runs.unwatch': { args: runArg, result: z.void() },
  /** The full config a new run on this dataset would get, its size and receptive field, and every problem. */
  'runs.plan': { args: datasetArg.extend({ choices: RunChoicesSchema }), result: RunPlanSchema },
  'runs.deleteCheckpoint': { args: runArg.extend({ step: z.number().int().nonnegative() }), result: z.void() },
  /** Copies a checkpoint's self-contained model.onnx to `out`. */
  'runs.exportCheckpoint': { args: runArg.extend({ step: z.number().int().nonnegative(), out: z.string().min(1) }), result: z.object({ path: z.string() }) },
  /** The project's editor documents (newest first), without their notes or frames. */
  'documents.list': {
    args: projectArg,
    result: z.array(z.object({ id: z.string(), name: z.string(), kind: z.enum(['score', 'mel']), updatedAt: z.string().nullable(), size: z.number() })),
  },
  /** A document, and its crash backup when that is newer than the saved file (offer to restore it). */
  'documents.get': { args: documentArg, result: z.object({ document: EditorDocumentSchema, backup: EditorDocumentSchema.nullable() }) },
  /** A new score (empty or from a MIDI file) or a mel sheet analysed from an audio file; saved at once. */
  'documents.create': {
    args: projectArg.extend({
      name: z.string().trim().min(1, 'A document needs a name.'),
      from: z.discriminatedUnion('type', [
        z.object({ type: z.literal('empty') }),
        z.object({ type: z.literal('midi'), path: z.string().min(1) }),
        z.object({ type: z.literal('audio'), path: z.string().min(1) }),
      ]),
    }),
    result: EditorDocumentSchema,
  },
  /** Saves the document (atomically) and clears its crash backup. */
  'documents.save': { args: projectArg.extend({ document: EditorDocumentSchema }), result: z.object({ updatedAt: z.string() }) },
  /** Keeps an unsaved state beside the document, so a crash loses nothing. */
  'documents.backup': { args: projectArg.extend({ document: EditorDocumentSchema }), result: z.void() },
  'documents.remove': { args: documentArg, result: z.void() },
  /** The project's renders, newest first, with a waveform thumbnail; unreadable sidecars are listed with their reason. */
  'renders.list': {
    args: projectArg,
    result: z.object({
      renders: z.array(z.object({ sidecar: RenderSidecarSchema, path: z.string(), peaks: z.object({ min: z.array(z.number()), max: z.array(z.number()) }).nullable() })),
      invalid: z.array(z.object({ path: z.string(), reason: z.string() })),
    }),
  },
  /** A document's render segments for a model and settings: which are cached, which an edit made stale. */
  'renders.segments': {
    args: documentArg.extend({ model: z.string().min(1), settings: RenderSettingsSchema.partial().optional() }),
    result: z.array(SegmentPlanEntrySchema),
  },
  /** Copies a render (audio, and its sidecar as <out>.json) to a chosen path. */
  'renders.export': { args: projectArg.extend({ id: z.string().min(1), out: z.string().min(1) }), result: z.object({ path: z.string() }) },
  /** Deletes a render's audio and sidecar. */
  'renders.remove': { args: projectArg.extend({ id: z.string().min(1) }), result: z.void() },
  /** Execution providers that start here and run a tiny graph, with the adapter's name. */
  'devices.list': { args: noArgs, result: z.array(z.object({ device: DeviceSchema, label: z.string() })) },
} as const;

/** Every event the main side pushes: 'area.onName' → its payload. */
export const events = {
  'jobs.onProgress': jobProgressEventSchema,
  'jobs.onFinished': jobFinishedEventSchema,
  /** New metrics of a watched run; reset: the file was rewritten (a resume), so drop what came before. */
  'runs.onMetrics': z.object({ runDir: z.string(), reset: z.boolean(), series: MetricsSeriesSchema }),
  /** A desktop menu item the renderer acts on (New Project…, Open Project…). */
  'app.onMenuCommand': z.object({ command: z.enum(['newProject', 'openProject', 'showShortcuts']) }),
} as const;

export type CallName = keyof typeof calls;
export type EventName = keyof typeof events;
export type CallArgs<N extends CallName> = z.input<(typeof calls)[N]['args']>;
export type CallResult<N extends CallName> = z.output<(typeof calls)[N]['result']>;
export type EventPayload<N extends EventName> = z.output<(typeof events)[N]>;

/** The names the preload turns into `window.studio` (calls, then `on*` events). */
export const API_NAMES: readonly string[] = [...Object.keys(calls), ...Object.keys(events)];

export function isCallName(name: string): name is CallName {
  return Object.hasOwn(calls, name);
}

export type ProjectSummary = z.output<typeof projectSummarySchema>;
export type DirEntry = z.output<typeof dirEntrySchema>;
export type DirListing = z.output<typeof dirListingSchema>;
export type JobStartRequest = z.input<typeof jobStartRequestSchema>;
export type JobProgressEvent = z.output<typeof jobProgressEventSchema>;
export type JobFinishedEvent = z.output<typeof jobFinishedEventSchema>;
export type JobInfo = z.output<typeof jobInfoSchema>;

type AreaOf<N extends string> = N extends `${infer A}.${string}` ? A : never;
type Area = AreaOf<CallName> | AreaOf<EventName>;
type CallFn<N extends CallName> = undefined extends CallArgs<N>
  ? (args?: CallArgs<N>) => Promise<CallResult<N>>
  : (args: CallArgs<N>) => Promise<CallResult<N>>;

/**
 * The API as the renderer calls it (window.studio, or the WebSocket client), derived from the
 * tables above: 'datasets.info' becomes api.datasets.info(args), 'jobs.onProgress' an event.
 */
export type StudioApi = {
  [A in Area]: { [N in CallName as N extends `${A}.${infer M}` ? M : never]: CallFn<N> } & {
    [E in EventName as E extends `${A}.${infer M}` ? M : never]: (handler: (e: EventPayload<E>) => void) => () => void;
  };
};
