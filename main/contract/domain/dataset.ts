import { z } from 'zod';
import { idSchema } from './ids';
import { ConditionKindSchema } from './model';

const settingsFields = {
  condition: ConditionKindSchema,
  /** none, or one class per source folder / first-level subfolder (speakers, instruments). */
  classes: z.enum(['none', 'per-folder', 'per-subfolder']),
  valFraction: z.number().min(0).max(0.9),
  seed: z.number().int(),
  /** Scale each file to this loudness (dBFS RMS), or leave levels as recorded. */
  normalizeDb: z.number().min(-60).max(0).nullable(),
  /** Trim leading/trailing silence quieter than this (dBFS), or keep it. */
  trimSilenceDb: z.number().min(-120).max(0).nullable(),
  /** Samples per conditioning frame; absent: the project's rate / 80 (200 at 16 kHz, 12.5 ms). */
  hop: z.number().int().positive().optional(),
};

/** How a dataset's files become training material; saved in project.json. */
export const DatasetSettingsSchema = z.object({
  ...settingsFields,
  classes: settingsFields.classes.default('none'),
  valFraction: settingsFields.valFraction.default(0.1),
  seed: settingsFields.seed.default(1),
  normalizeDb: settingsFields.normalizeDb.default(null),
  trimSilenceDb: settingsFields.trimSilenceDb.default(null),
});

/** Some settings to change: only the keys given (no defaults filled in, so an update leaves the rest alone). */
export const DatasetSettingsPatchSchema = z.object(settingsFields).partial();
export type DatasetSettings = z.infer<typeof DatasetSettingsSchema>;

export const ProjectDatasetSchema = z.object({
  id: idSchema,
  name: z.string().min(1),
  folders: z.array(z.string().min(1)).min(1),
  condition: ConditionKindSchema,
  settings: DatasetSettingsPatchSchema.optional(),
});
export type ProjectDataset = z.infer<typeof ProjectDatasetSchema>;

/** What the import found in one used file. */
export const ManifestFileSchema = z.object({
  path: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** The path inside the source folder it was found in ('/' separated): the key of the split. */
  relative: z.string().optional(),
  /** The content hash of the .mid beside it (piano-roll datasets): an edited MIDI re-imports the file. */
  midiSha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  /** Size and mtime: a refresh hashes again only files whose stat changed. */
  size: z.number().int().nonnegative().optional(),
  mtimeMs: z.number().optional(),
  seconds: z.number().nonnegative(),
  split: z.enum(['train', 'val']),
  sampleRate: z.number().int().positive().optional(),
  channels: z.number().int().positive().optional(),
  className: z.string().optional(),
  peakDb: z.number().optional(),
  loudnessDb: z.number().optional(),
  clipped: z.number().int().nonnegative().optional(),
  dcOffset: z.number().optional(),
  hasMidi: z.boolean().optional(),
  excluded: z.boolean().optional(),
  warnings: z.array(z.string()).optional(),
  /** The cached features and samples, relative to the dataset folder. */
  cache: z.string().optional(),
});
export type ManifestFile = z.infer<typeof ManifestFileSchema>;

export const SkippedFileSchema = z.object({
  path: z.string().min(1),
  reason: z.string(),
  /** What kind of problem (an engine error code, or MIDI_MISSING), for counting problems. */
  code: z.string().optional(),
  /** The stat when it was tried: a refresh tries the file again only when it changed. */
  size: z.number().int().nonnegative().optional(),
  mtimeMs: z.number().optional(),
});
export type SkippedFile = z.infer<typeof SkippedFileSchema>;

export const DatasetManifestSchema = z.object({
  id: idSchema,
  folders: z.array(z.string().min(1)).min(1),
  condition: ConditionKindSchema,
  sampleRate: z.number().int().positive(),
  hop: z.number().int().positive(),
  files: z.array(ManifestFileSchema),
  skipped: z.array(SkippedFileSchema),
  createdAt: z.iso.datetime(),
  /** Set while an import is under way or was cancelled: the files listed are those done so far. */
  complete: z.boolean().optional(),
  /** A digest of the settings that shaped the cache (rate, hop, condition, levels): new settings re-import. */
  settingsKey: z.string().optional(),
});
export type DatasetManifest = z.infer<typeof DatasetManifestSchema>;

/** A dataset at a glance: what `dataset info --json` prints and the Datasets view's cards show. */
export const DatasetInfoSchema = z.object({
  id: idSchema,
  name: z.string(),
  folders: z.array(z.string()),
  condition: ConditionKindSchema,
  settings: DatasetSettingsSchema,
  files_used: z.number().int().nonnegative(),
  files_skipped: z.array(SkippedFileSchema),
  files_excluded: z.number().int().nonnegative(),
  /** Total used audio, seconds. */
  seconds: z.number().nonnegative(),
  /** Class name → seconds of used audio ('' when the dataset has no classes). */
  classes: z.record(z.string(), z.number()),
  train_files: z.number().int().nonnegative(),
  val_files: z.number().int().nonnegative(),
  train_seconds: z.number().nonnegative(),
  val_seconds: z.number().nonnegative(),
  warnings: z.array(z.object({ path: z.string(), warning: z.string() })),
  /** Source sample rate (Hz, as a string key) → file count: more than one key is a mix. */
  sample_rates: z.record(z.string(), z.number()),
  /** Channel count → file count. */
  channels: z.record(z.string(), z.number()),
  problems: z.object({
    clipped: z.number().int().nonnegative(),
    silent: z.number().int().nonnegative(),
    dc_offset: z.number().int().nonnegative(),
    truncated: z.number().int().nonnegative(),
    missing_midi: z.number().int().nonnegative(),
  }),
  /** When the last import finished; null before the first. */
  imported_at: z.string().nullable(),
  /** False while an import is under way or after one was cancelled. */
  complete: z.boolean(),
});
export type DatasetInfo = z.infer<typeof DatasetInfoSchema>;

/** One file as the Datasets view shows it when selected: waveform overview, the model's features, notes. */
export const DatasetFileDetailSchema = z.object({
  path: z.string(),
  sampleRate: z.number().int().positive(),
  seconds: z.number().nonnegative(),
  /** Min/max per waveform column (a few thousand columns), for drawing without the samples. */
  peaks: z.object({ min: z.array(z.number()), max: z.array(z.number()) }),
  /** The conditioning frames as the model sees them (log-mel or piano roll), frame-major. */
  features: z.object({ frames: z.number().int(), bins: z.number().int(), data: z.array(z.number()), hop: z.number().int() }).nullable(),
  /** The MIDI notes when the file has a .mid beside it. */
  notes: z.array(z.object({ pitch: z.number(), start: z.number(), duration: z.number(), velocity: z.number() })).nullable(),
});
export type DatasetFileDetail = z.infer<typeof DatasetFileDetailSchema>;
