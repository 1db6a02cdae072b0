import { createRequire } from 'node:module';
import { PIANO_ROLL_BINS, type Note } from '../../contract/domain/index';
import { StudioError } from '../errors';
import type { FrameFeatures } from './mel';

// @tonejs/midi ships CommonJS whose named exports Node's ESM loader cannot detect; require it.
const { Midi } = createRequire(import.meta.url)('@tonejs/midi') as typeof import('@tonejs/midi');

/** 128 pitch-velocity bins followed by 128 onset-flag bins. */
export { PIANO_ROLL_BINS, type Note };
const PITCHES = 128;

/** Every note of every track, sorted by start time then pitch. */
export function notesFromMidi(bytes: Uint8Array, fileName: string): Note[] {
  let midi: InstanceType<typeof Midi>;
  try {
    midi = new Midi(bytes);
  } catch {
    // The parser throws bare strings or TypeErrors on garbage; a person needs the file name.
    throw new StudioError('MIDI_INVALID', `${fileName} is not a readable MIDI file: export it again as a standard .mid file.`);
  }
  const notes: Note[] = [];
  for (const track of midi.tracks) {
    for (const n of track.notes) {
      if (!Number.isFinite(n.time) || !Number.isFinite(n.duration)) continue;
      notes.push({ pitch: n.midi, start: n.time, duration: Math.max(0, n.duration), velocity: clamp01(n.velocity) });
    }
  }
  notes.sort((a, b) => a.start - b.start || a.pitch - b.pitch);
  return notes;
}

/**
 * Notes as frame features at the conditioning frame rate. Frame f spans samples
 * [f·hop, (f+1)·hop), the same frame a training segment's sample uses, so a note sounds in every
 * frame its [start, end) interval overlaps. Bins 0..127: the loudest velocity of that pitch in
 * the frame; bins 128..255: 1 in the frame where a note of that pitch begins.
 */
export function pianoRoll(notes: Note[], opts: { sampleRate: number; hop: number; frames: number }): FrameFeatures {
  const { sampleRate, hop, frames } = opts;
  if (!(sampleRate > 0) || !(hop > 0) || !Number.isInteger(frames) || frames < 0) {
    throw new StudioError('BAD_OPTION', `A piano roll needs a positive sample rate and hop and a whole number of frames (got ${sampleRate}, ${hop}, ${frames}).`);
  }
  const data = new Float32Array(frames * PIANO_ROLL_BINS);
  const framesPerSecond = sampleRate / hop;
  for (const note of notes) {
    if (!Number.isInteger(note.pitch) || note.pitch < 0 || note.pitch >= PITCHES) continue;
    const onset = Math.floor(note.start * framesPerSecond + 1e-9);
    // Exclusive end; a zero-length note still occupies its onset frame.
    const end = Math.max(onset + 1, Math.ceil((note.start + note.duration) * framesPerSecond - 1e-9));
    const velocity = clamp01(note.velocity);
    for (let f = Math.max(0, onset); f < Math.min(end, frames); f++) {
      const i = f * PIANO_ROLL_BINS + note.pitch;
      if (velocity > data[i]!) data[i] = velocity;
    }
    if (onset >= 0 && onset < frames) data[onset * PIANO_ROLL_BINS + PITCHES + note.pitch] = 1;
  }
  return { frames, bins: PIANO_ROLL_BINS, data };
}

function clamp01(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0;
}
