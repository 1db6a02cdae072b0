import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { ScoreDocumentSchema, TimeSignatureSchema, type ScoreDocument } from '../../contract/domain/documents';
import { notesFromMidi } from '../../engine/dsp/pianoroll';
import { StudioError } from '../../engine/errors';
import { documentPath, listDocuments, writeDocument, type EditorDocument } from '../../engine/project/document';
import { ID_PATTERN, newId } from '../../engine/project/ids';
import { openProject } from '../../engine/project/project-file';

// @tonejs/midi ships CommonJS whose named exports Node's ESM loader cannot detect; require it.
const { Midi } = createRequire(import.meta.url)('@tonejs/midi') as typeof import('@tonejs/midi');

export interface DocumentNewFlags {
  fromMidi: string;
  name?: string;
}

/** The tempo and time signature a MIDI file's header states (its first of each), else 120 and 4/4. */
function midiMeter(bytes: Uint8Array): Pick<ScoreDocument, 'tempo' | 'timeSignature'> {
  let tempo = 120;
  let timeSignature: ScoreDocument['timeSignature'] = { beats: 4, unit: 4 };
  try {
    const header = new Midi(bytes).header;
    const bpm = header.tempos[0]?.bpm;
    if (bpm !== undefined && Number.isFinite(bpm) && bpm > 0 && bpm <= 1000) tempo = bpm;
    const [beats, unit] = header.timeSignatures[0]?.timeSignature ?? [];
    const parsed = TimeSignatureSchema.safeParse({ beats, unit });
    if (parsed.success) timeSignature = parsed.data;
  } catch {
    // notesFromMidi has already refused an unreadable file; a header it cannot give keeps the defaults.
  }
  return { tempo, timeSignature };
}

/** `document new <project> --from-midi F [--name N]`: a score document of the MIDI file's notes; prints its id. */
export async function documentNewCommand(projectDir: string, f: DocumentNewFlags): Promise<void> {
  const dir = path.resolve(projectDir);
  const project = await openProject(dir);
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(f.fromMidi);
  } catch {
    throw new StudioError('FILE_NOT_FOUND', `Cannot read ${f.fromMidi}: check the path.`);
  }
  const notes = notesFromMidi(bytes, path.basename(f.fromMidi));
  const name = (f.name ?? path.basename(f.fromMidi, path.extname(f.fromMidi))).trim();
  if (!name) throw new StudioError('BAD_OPTION', 'A document needs a name: give --name.');
  const doc = ScoreDocumentSchema.parse({
    id: newId(),
    name,
    kind: 'score',
    sampleRate: project.sampleRate,
    hop: Math.round(project.sampleRate / 80),
    notes,
    ...midiMeter(bytes),
    updatedAt: new Date().toISOString(),
  });
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
