import * as path from 'node:path';
import { z } from 'zod';
import { StudioError } from '../errors';
import type { FrameFeatures } from '../dsp/mel';
import { checkId, idSchema } from './ids';
import { listFiles, readJsonFile, writeJsonFile } from './json-file';

const noteSchema = z.object({
  pitch: z.number().int().min(0).max(127),
  start: z.number().nonnegative(),
  duration: z.number().nonnegative(),
  velocity: z.number().min(0).max(1),
});

const melSheetSchema = z.object({
  frames: z.number().int().nonnegative(),
  bins: z.number().int().positive(),
  data: z.array(z.number()),
}).refine((m) => m.data.length === m.frames * m.bins, { message: 'mel data must hold frames × bins values', path: ['data'] });

/** An editor document: notes for a piano-roll model, or a mel sheet for a mel-conditioned one. */
export const editorDocumentSchema = z.object({
  id: idSchema,
  name: z.string().min(1),
  kind: z.enum(['notes', 'mel']),
  sampleRate: z.number().int().positive(),
  hop: z.number().int().positive(),
  notes: z.array(noteSchema).optional(),
  mel: melSheetSchema.optional(),
}).refine((d) => (d.kind === 'notes' ? d.notes !== undefined : d.mel !== undefined), {
  message: 'a notes document needs notes, a mel document needs mel',
  path: ['kind'],
});

export type EditorDocument = z.infer<typeof editorDocumentSchema>;

export function documentPath(projectDir: string, id: string): string {
  return path.join(projectDir, 'documents', `${checkId(id, 'document')}.json`);
}

export async function writeDocument(projectDir: string, doc: EditorDocument): Promise<void> {
  await writeJsonFile(documentPath(projectDir, doc.id), editorDocumentSchema, doc, 'editor document');
}

export async function readDocument(projectDir: string, id: string): Promise<EditorDocument> {
  const doc = await readJsonFile(documentPath(projectDir, id), editorDocumentSchema, 'editor document');
  if (doc.id !== id) throw new StudioError('PROJECT_INVALID', `The document file for ${id} says its id is ${doc.id}: rename the file or fix the id.`);
  return doc;
}

/** Every document of the project, by id; an unreadable one is reported, not fatal. */
export async function listDocuments(projectDir: string): Promise<{ documents: EditorDocument[]; invalid: { path: string; reason: string }[] }> {
  const documents: EditorDocument[] = [];
  const invalid: { path: string; reason: string }[] = [];
  for (const file of await listFiles(path.join(projectDir, 'documents'), '.json')) {
    try {
      documents.push(await readJsonFile(file, editorDocumentSchema, 'editor document'));
    } catch (e) {
      if (!(e instanceof StudioError)) throw e;
      invalid.push({ path: file, reason: e.message });
    }
  }
  return { documents, invalid };
}

/** A mel sheet as frame features (what conditioning takes), and back. */
export function melSheetToFeatures(mel: NonNullable<EditorDocument['mel']>): FrameFeatures {
  return { frames: mel.frames, bins: mel.bins, data: Float32Array.from(mel.data) };
}

export function featuresToMelSheet(f: FrameFeatures): NonNullable<EditorDocument['mel']> {
  return { frames: f.frames, bins: f.bins, data: Array.from(f.data) };
}
