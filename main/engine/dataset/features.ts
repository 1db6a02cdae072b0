import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../errors';
import { DEFAULT_MEL, melSettingsFor } from '../../contract/domain/mel';
import { logMel, type FrameFeatures } from '../dsp/mel';
import { notesFromMidi, pianoRoll, PIANO_ROLL_BINS } from '../dsp/pianoroll';
import type { ConditionKind } from './types';

export function featureBinsFor(condition: ConditionKind): number {
  return condition === 'mel' ? DEFAULT_MEL.nMels : condition === 'pianoroll' ? PIANO_ROLL_BINS : 0;
}

/**
 * One frame of the features of silence, used to pad segments past a file's end: the log-mel of
 * zeros (every bin at the log floor), an empty piano roll (zeros), or null when unconditioned.
 */
export function silenceFrame(condition: ConditionKind, sampleRate: number, hop: number): Float32Array | null {
  if (condition === 'none') return null;
  if (condition === 'pianoroll') return new Float32Array(PIANO_ROLL_BINS);
  const cfg = melSettingsFor(sampleRate, hop);
  const quiet = logMel(new Float32Array(2 * Math.max(cfg.nFft, cfg.winLength, hop)), cfg);
  const mid = Math.floor(quiet.frames / 2);
  return quiet.data.slice(mid * quiet.bins, (mid + 1) * quiet.bins);
}

/** The MIDI file beside an audio file with the same base name (x.wav ↔ x.mid or x.midi), if any. */
export async function midiBeside(audioPath: string): Promise<string | null> {
  const dir = path.dirname(audioPath);
  const base = path.basename(audioPath, path.extname(audioPath));
  const names = await fs.readdir(dir);
  const match = names
    .filter((n) => path.basename(n, path.extname(n)) === base && ['.mid', '.midi'].includes(path.extname(n).toLowerCase()))
    .sort();
  return match.length > 0 ? path.join(dir, match[0]!) : null;
}

/**
 * A file's conditioning features: log-mel of its samples, or the piano roll of the MIDI beside
 * it on the same frame grid (1 + floor(N / hop) frames, as the mel has).
 */
export async function featuresFor(
  audioPath: string, samples: Float32Array, condition: ConditionKind, sampleRate: number, hop: number,
): Promise<FrameFeatures | null> {
  if (condition === 'none') return null;
  if (condition === 'mel') return logMel(samples, melSettingsFor(sampleRate, hop));
  const midiPath = await midiBeside(audioPath);
  if (!midiPath) {
    const base = path.basename(audioPath, path.extname(audioPath));
    throw new StudioError('FILE_NOT_FOUND', `No MIDI file beside ${path.basename(audioPath)}: piano-roll conditioning needs ${base}.mid next to it.`);
  }
  const notes = notesFromMidi(await fs.readFile(midiPath), path.basename(midiPath));
  return pianoRoll(notes, { sampleRate, hop, frames: 1 + Math.floor(samples.length / hop) });
}
