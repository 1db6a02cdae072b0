import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../../engine/errors';
import { documentPath, listDocuments, writeDocument, type EditorDocument } from '../../engine/project/document';
import { ID_PATTERN } from '../../engine/project/ids';
import { newDocument } from '../../engine/project/new-document';

export interface DocumentNewFlags {
  fromMidi?: string;
  fromAudio?: string;
  name?: string;
}

/** `document new <project> --from-midi F | --from-audio F [--name N]`: a score of the MIDI's notes or a mel sheet of the audio; prints its id. */
export async function documentNewCommand(projectDir: string, f: DocumentNewFlags): Promise<void> {
  const dir = path.resolve(projectDir);
  if (Boolean(f.fromMidi) === Boolean(f.fromAudio)) throw new StudioError('BAD_OPTION', 'Give one of --from-midi or --from-audio.');
  const source = (f.fromMidi ?? f.fromAudio)!;
  const name = f.name ?? path.basename(source, path.extname(source));
  const doc = await newDocument(dir, name, f.fromMidi ? { type: 'midi', path: f.fromMidi } : { type: 'audio', path: source });
  await writeDocument(dir, doc);
  process.stdout.write(`${doc.id}\n`);
}

/** A project's document by id or, failing that, by name (one-line refusal when none or several match). */
export async function findDocument(projectDir: string, idOrName: string): Promise<EditorDocument['id']> {
  if (ID_PATTERN.test(idOrName)) {
    try {
      await fs.access(documentPath(projectDir, idOrName));
      return idOrName;
    } catch {
      // Not an id: look for the name.
    }
  }
  const { documents } = await listDocuments(projectDir);
  const named = documents.filter((d) => d.name === idOrName);
  if (named.length === 1) return named[0]!.id;
  if (named.length > 1) {
    throw new StudioError('BAD_OPTION', `${named.length} documents are named "${idOrName}" (${named.map((d) => d.id).join(', ')}): give one's id.`);
  }
  const known = documents.slice(0, 10).map((d) => `"${d.name}"`).join(', ') + (documents.length > 10 ? ', …' : '');
  throw new StudioError('FILE_NOT_FOUND', `No document "${idOrName}" in ${projectDir}${known ? ` (it has ${known})` : ' (it has none yet)'}: give a document's id or name.`);
}
