import { z } from 'zod';
import { idSchema } from './ids';
import { ConditionKindSchema } from './model';

/** One note as the piano roll, MIDI import and the conditioning see it: seconds, velocity 0..1. */
export const NoteSchema = z.object({
  pitch: z.number().int().min(0).max(127),
  start: z.number().nonnegative(),
  duration: z.number().nonnegative(),
  velocity: z.number().min(0).max(1),
});
export type Note = z.infer<typeof NoteSchema>;

export const TimeSignatureSchema = z.object({ beats: z.number().int().min(1).max(32), unit: z.union([z.literal(2), z.literal(4), z.literal(8), z.literal(16)]) });

/** A mel sheet: frame-major log-mel values (frames × bins), as analysis and training compute them. */
export const MelSheetSchema = z.object({
  frames: z.number().int().nonnegative(),
  bins: z.number().int().positive(),
  data: z.array(z.number()),
}).refine((m) => m.data.length === m.frames * m.bins, { message: 'mel data must hold frames × bins values', path: ['data'] });
export type MelSheet = z.infer<typeof MelSheetSchema>;

const documentBase = {
  id: idSchema,
  name: z.string().min(1),
  sampleRate: z.number().int().positive(),
  hop: z.number().int().positive(),
  updatedAt: z.string().optional(),
};

/** A score for piano-roll models: notes, tempo and time signature. */
export const ScoreDocumentSchema = z.object({
  ...documentBase,
  kind: z.literal('score'),
  notes: z.array(NoteSchema),
  tempo: z.number().positive().max(1000).default(120),
  timeSignature: TimeSignatureSchema.default({ beats: 4, unit: 4 }),
});

/** A mel sheet for mel-conditioned models, made from an audio file by analysis. */
export const MelDocumentSchema = z.object({
  ...documentBase,
  kind: z.literal('mel'),
  mel: MelSheetSchema,
  /** The analysed audio, for A/B and the waveform above the sheet: a copy inside the project, relative to it ('/'-separated). */
  source: z.string().optional(),
});

export const EditorDocumentSchema = z.discriminatedUnion('kind', [ScoreDocumentSchema, MelDocumentSchema]);
export type EditorDocument = z.infer<typeof EditorDocumentSchema>;
export type ScoreDocument = z.infer<typeof ScoreDocumentSchema>;
export type MelDocument = z.infer<typeof MelDocumentSchema>;

/** The conditioning a document feeds a model. */
export function documentCondition(doc: Pick<EditorDocument, 'kind'>): z.infer<typeof ConditionKindSchema> {
  return doc.kind === 'score' ? 'pianoroll' : 'mel';
}
