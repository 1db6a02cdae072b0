import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { MelDocumentSchema, ScoreDocumentSchema, TimeSignatureSchema, type EditorDocument, type ScoreDocument } from '../../contract/domain/documents';
import { loadMono } from '../audio/load';
import { melSettingsFor } from '../../contract/domain/mel';
import { logMel } from '../dsp/mel';
import { notesFromMidi } from '../dsp/pianoroll';
import { StudioError } from '../errors';
import { newId } from './ids';
import { openProject } from './project-file';
import { featuresToMelSheet } from './document';
import { makeFolder } from '../util/folders';

// @tonejs/midi ships CommonJS whose named exports Node's ESM loader cannot detect; require it.
const { Midi } = createRequire(import.meta.url)('@tonejs/midi') as typeof import('@tonejs/midi');

/** Frames per second of a project's conditioning: the hop training uses for its sample rate. */
export function projectHop(sampleRate: number): number {
  return Math.round(sampleRate / 80);
}

/** The tempo and time signature a MIDI file's header states (its first of each), else 120 and 4/4. */
export function midiMeter(bytes: Uint8Array): Pick<ScoreDocument, 'tempo' | 'timeSignature'> {
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

async function readInput(file: string): Promise<Uint8Array> {
  try {
    return await fs.readFile(file);
  } catch {
    throw new StudioError('FILE_NOT_FOUND', `Cannot read ${file}: check the path.`);
  }
}

export type DocumentOrigin = { type: 'midi'; path: string } | { type: 'audio'; path: string } | { type: 'empty' };

/**
 * A new editor document for a project: a score from a MIDI file (or empty), or a mel sheet from
 * an audio file analysed exactly as training analyses it. Not saved: the caller writes it.
 */
export async function newDocument(projectDir: string, name: string, origin: DocumentOrigin): Promise<EditorDocument> {
  const project = await openProject(projectDir);
  const base = { id: newId(), name: name.trim(), sampleRate: project.sampleRate, hop: projectHop(project.sampleRate), updatedAt: new Date().toISOString() };
  if (!base.name) throw new StudioError('BAD_OPTION', 'A document needs a name.');
  if (origin.type === 'audio') {
    const samples = await loadMono(origin.path, project.sampleRate);
    const mel = featuresToMelSheet(logMel(samples, melSettingsFor(project.sampleRate, base.hop)));
    // The analysed recording travels with the project (for A/B and the waveform), named relative to it.
    const source = path.join('documents', 'sources', `${base.id}${path.extname(origin.path).toLowerCase()}`);
    await makeFolder(path.join(projectDir, 'documents', 'sources'));
    await fs.copyFile(origin.path, path.join(projectDir, source));
    return MelDocumentSchema.parse({ ...base, kind: 'mel', mel, source: source.split(path.sep).join('/') });
  }
  if (origin.type === 'midi') {
    const bytes = await readInput(origin.path);
    return ScoreDocumentSchema.parse({ ...base, kind: 'score', notes: notesFromMidi(bytes, path.basename(origin.path)), ...midiMeter(bytes) });
  }
  return ScoreDocumentSchema.parse({ ...base, kind: 'score', notes: [] });
}
