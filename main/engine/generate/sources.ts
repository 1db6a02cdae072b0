import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ConditioningSource, EditorDocument, Note } from '../../contract/domain/index';
import { loadMono } from '../audio/load';
import { melSettingsFor } from '../../contract/domain/mel';
import { logMel } from '../dsp/mel';
import { featuresFromNpy } from '../dsp/npy';
import { notesFromMidi, pianoRoll } from '../dsp/pianoroll';
import { StudioError } from '../errors';
import type { WaveNetConfig } from '../model/config';
import { melSheetToFeatures, readDocument } from '../project/document';
import type { FramesInput } from './conditioning';

export type { ConditioningSource };

/** What a render is conditioned on: frames in the model's feature space, or only a length. */
export type SourceFrames = (
  | { frames: FramesInput; samples?: undefined }
  /** An unconditional render: no frames, this many samples. */
  | { frames: null; samples: number }
) & {
  /** The source as a person would name it, for the render's sidecar (null: unconditioned). */
  description: string | null;
  /** The editor document's id when a document conditions it. */
  document: string | null;
};

/** Seconds of silence a render runs on past a score's last note, so the last note can ring out. */
export const SCORE_TAIL_SECONDS = 0.5;

async function readInput(file: string): Promise<Uint8Array> {
  try {
    return await fs.readFile(file);
  } catch {
    throw new StudioError('FILE_NOT_FOUND', `Cannot read ${file}: check the path.`);
  }
}

/**
 * Notes as the piano roll a render is conditioned on: pianoRoll (the function the dataset import
 * uses, so the frames are the same) over the notes' length plus a short tail.
 */
export function notesToFrames(cfg: Pick<WaveNetConfig, 'sampleRate' | 'hop'>, notes: Note[]): FramesInput {
  const end = notes.reduce((m, n) => Math.max(m, n.start + n.duration), 0) + SCORE_TAIL_SECONDS;
  const frames = Math.ceil((end * cfg.sampleRate) / cfg.hop);
  return pianoRoll(notes, { sampleRate: cfg.sampleRate, hop: cfg.hop, frames });
}

function needs(cfg: WaveNetConfig, kind: 'mel' | 'pianoroll', what: string): void {
  if (cfg.condition === kind) return;
  const instead = cfg.condition === 'none' ? '--seconds' : cfg.condition === 'mel' ? '--mel-from' : '--midi';
  throw new StudioError('BAD_OPTION', `This model is conditioned on ${cfg.condition}, not ${what}: use ${instead}.`);
}

function documentFrames(cfg: WaveNetConfig, doc: EditorDocument): FramesInput {
  const wanted = cfg.condition === 'mel' ? 'a mel document' : cfg.condition === 'pianoroll' ? 'a score document' : 'no document (give a length)';
  if (doc.kind === 'score') {
    if (cfg.condition !== 'pianoroll') {
      throw new StudioError('BAD_OPTION', `This model is conditioned on ${cfg.condition}, not a piano roll: "${doc.name}" is a score, choose ${wanted}.`);
    }
    return notesToFrames(cfg, doc.notes);
  }
  if (cfg.condition !== 'mel') {
    throw new StudioError('BAD_OPTION', `This model is conditioned on ${cfg.condition}, not mel: "${doc.name}" is a mel sheet, choose ${wanted}.`);
  }
  if (doc.sampleRate !== cfg.sampleRate || doc.hop !== cfg.hop) {
    throw new StudioError(
      'BAD_OPTION',
      `The mel sheet "${doc.name}" is at ${doc.sampleRate} Hz with a hop of ${doc.hop} but the model uses ${cfg.sampleRate} Hz and ${cfg.hop}: analyse its audio again for this model.`,
    );
  }
  return melSheetToFeatures(doc.mel);
}

/**
 * The conditioning frames a source gives, in the model's feature space: an audio file's log-mel
 * (as training computes it), a MIDI file's or a score's piano roll, a .npy of frames, a mel
 * document's frames; an unconditional source gives no frames and a sample count. A source that
 * does not fit the model is refused with a one-line message.
 */
export async function conditioningFrames(cfg: WaveNetConfig, source: ConditioningSource): Promise<SourceFrames> {
  const file = { description: 'path' in source ? source.path : null, document: null };
  switch (source.type) {
    case 'audio': {
      needs(cfg, 'mel', 'mel');
      const samples = await loadMono(source.path, cfg.sampleRate);
      return { frames: logMel(samples, melSettingsFor(cfg.sampleRate, cfg.hop)), ...file };
    }
    case 'midi': {
      needs(cfg, 'pianoroll', 'a piano roll');
      return { frames: notesToFrames(cfg, notesFromMidi(await readInput(source.path), path.basename(source.path))), ...file };
    }
    case 'npy':
      return { frames: featuresFromNpy(await readInput(source.path), path.basename(source.path), cfg.conditionBins), ...file };
    case 'document': {
      const doc = await readDocument(source.project, source.id);
      const description = doc.name !== doc.id ? `document "${doc.name}" (${doc.id})` : `document ${doc.id}`;
      return { frames: documentFrames(cfg, doc), description, document: doc.id };
    }
    case 'none':
      if (cfg.condition !== 'none') throw new StudioError('BAD_OPTION', `This model is conditioned on ${cfg.condition}: give --mel-from, --midi or --frames.`);
      return { frames: null, samples: Math.round(source.seconds * cfg.sampleRate), description: null, document: null };
  }
}
