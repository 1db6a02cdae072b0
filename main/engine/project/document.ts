import * as path from 'node:path';
import { EditorDocumentSchema, type EditorDocument, type MelSheet } from '../../contract/domain/index';
import { StudioError } from '../errors';
import type { FrameFeatures } from '../dsp/mel';
import { checkId } from './ids';
import { listFiles, readJsonFile, writeJsonFile } from './json-file';

export const editorDocumentSchema = EditorDocumentSchema;
export type { EditorDocument };

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
export function melSheetToFeatures(mel: MelSheet): FrameFeatures {
  return { frames: mel.frames, bins: mel.bins, data: Float32Array.from(mel.data) };
}

export function featuresToMelSheet(f: FrameFeatures): MelSheet {
  return { frames: f.frames, bins: f.bins, data: Array.from(f.data) };
}
