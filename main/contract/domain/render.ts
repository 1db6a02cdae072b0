import { z } from 'zod';
import { idSchema } from './ids';
import { DeviceChoiceSchema } from './model';

export const AudioFormatSchema = z.enum(['wav16', 'wav24', 'wav32f', 'flac16', 'flac24']);
export type AudioFormat = z.infer<typeof AudioFormatSchema>;

/** Where the frames that condition a render come from. */
export const ConditioningSourceSchema = z.discriminatedUnion('type', [
  /** An audio file, analysed into log-mel frames. */
  z.object({ type: z.literal('audio'), path: z.string().min(1) }),
  /** A MIDI file, turned into a piano roll. */
  z.object({ type: z.literal('midi'), path: z.string().min(1) }),
  /** A float32 .npy of frames ([bins, frames] or [frames, bins]). */
  z.object({ type: z.literal('npy'), path: z.string().min(1) }),
  /** An editor document of a project. */
  z.object({ type: z.literal('document'), project: z.string().min(1), id: idSchema }),
  /** No conditioning: an unconditional model renders this long. */
  z.object({ type: z.literal('none'), seconds: z.number().positive() }),
]);
export type ConditioningSource = z.infer<typeof ConditioningSourceSchema>;

export const RenderSettingsSchema = z.object({
  seed: z.number().int().default(1),
  temperature: z.number().nonnegative().default(1),
  /** Folded chunks rendered in parallel (0: chosen from the core count). */
  streams: z.number().int().nonnegative().default(0),
  device: DeviceChoiceSchema.default('cpu'),
  /** A global class by name or index, for class-conditioned models. */
  globalClass: z.union([z.string(), z.number().int().nonnegative()]).nullable().default(null),
  /** Cut the render to this many seconds (a preview); null: the whole conditioning. */
  maxSeconds: z.number().positive().nullable().default(null),
});
export type RenderSettings = z.infer<typeof RenderSettingsSchema>;

/** What made a render: beside every rendered file as <file>.json. */
export const RenderSidecarSchema = z.object({
  id: z.string().min(1),
  createdAt: z.iso.datetime(),
  /** The model file (absolute, or relative to the project when inside it). */
  model: z.string().min(1),
  /** The editor document id, when a document conditioned it. */
  document: idSchema.nullable(),
  /** What conditioned it, as a person would name it (a file path, a document, none). */
  conditioning: z.string().nullable(),
  seed: z.number().int(),
  temperature: z.number().nonnegative(),
  streams: z.number().int().positive(),
  globalClass: z.union([z.string(), z.number()]).nullable(),
  sampleRate: z.number().int().positive(),
  seconds: z.number().nonnegative(),
  format: AudioFormatSchema,
  /** The audio file's name beside the sidecar. */
  file: z.string().regex(/^[^/\\]+\.(wav|flac)$/i, 'a .wav or .flac file name'),
  /** Wall seconds the render took. */
  renderSeconds: z.number().nonnegative().optional(),
  /**
   * A segmented render (a document of a project, through the segment cache): the segment length
   * in seconds and how many segments were generated now or taken from the cache. Absent: folded chunks.
   */
  segments: z.object({ seconds: z.number().positive(), rendered: z.number().int().nonnegative(), reused: z.number().int().nonnegative(), total: z.number().int().nonnegative() }).optional(),
});
export type RenderSidecar = z.infer<typeof RenderSidecarSchema>;

/**
 * One segment of a document's segmented render, as a timeline strip draws it (segmentPlan):
 * the output span it owns, the span of conditioning its audio depends on (warm-up, upsampler
 * context and crossfade included: an edit there makes it stale), its cache key, and whether the
 * project's segment cache holds it.
 */
export const SegmentPlanEntrySchema = z.object({
  index: z.number().int().nonnegative(),
  /** Seconds: the output samples the segment owns (it also fades out over the next 20 ms). */
  start: z.number().nonnegative(),
  end: z.number().nonnegative(),
  /** Seconds: the conditioning it reads. */
  contextStart: z.number().nonnegative(),
  contextEnd: z.number().nonnegative(),
  /** sha256 (hex) of everything that shapes its audio. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  cached: z.boolean(),
});
export type SegmentPlanEntry = z.infer<typeof SegmentPlanEntrySchema>;

/**
 * A segmented render's progress in words, as the render panel and the status bar both say it:
 * rendered of those to render, then how many the cache gave (when any).
 */
export function segmentFigures(s: { rendered: number; reused: number; total: number }): string {
  return `segments ${s.rendered}/${s.total - s.reused} rendered${s.reused > 0 ? `, ${s.reused} reused` : ''}`;
}
