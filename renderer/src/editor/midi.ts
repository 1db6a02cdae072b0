// MIDI files in and out of a score, with @tonejs/midi: notes (every track, in seconds), the first
// tempo and the first time signature. A score has one tempo, so a file's later tempo changes
// shape note times (@tonejs/midi reads them through the tempo map) but are not kept.
import * as tonejsMidi from '@tonejs/midi';
import type { Note, ScoreDocument } from '../../../main/contract/domain/index';

type MidiClass = typeof tonejsMidi.Midi;

// @tonejs/midi is CommonJS. A bundler (Vite) gives its exports as named ones; Node's ESM loader
// (tests under tsx) cannot detect them and offers only `default`, the whole module.exports.
const Midi: MidiClass = (tonejsMidi as { Midi?: MidiClass }).Midi ?? (tonejsMidi as unknown as { default: { Midi: MidiClass } }).default.Midi;

/** The parts of a score a MIDI file carries. */
export type ScoreContent = Pick<ScoreDocument, 'notes' | 'tempo' | 'timeSignature'>;

/** A file the parser could not read: say which and what to do. */
export class MidiImportError extends Error {
  readonly code = 'MIDI_INVALID';
}

const UNITS = [2, 4, 8, 16] as const;

/** Every note of every track (sorted by start, then pitch), the first tempo and time signature. */
export function midiToScore(bytes: Uint8Array | ArrayBuffer, fileName = 'The file'): ScoreContent {
  let midi: InstanceType<MidiClass>;
  try {
    midi = new Midi(bytes);
  } catch {
    throw new MidiImportError(`${fileName} is not a readable MIDI file: export it again as a standard .mid file.`);
  }
  const notes: Note[] = [];
  for (const track of midi.tracks) {
    for (const n of track.notes) {
      if (!Number.isFinite(n.time) || !Number.isFinite(n.duration)) continue;
      notes.push({ pitch: n.midi, start: Math.max(0, n.time), duration: Math.max(0, n.duration), velocity: Math.min(1, Math.max(0, n.velocity)) });
    }
  }
  notes.sort((a, b) => a.start - b.start || a.pitch - b.pitch);
  const bpm = midi.header.tempos[0]?.bpm;
  const tempo = bpm !== undefined && bpm > 0 && bpm <= 1000 ? bpm : 120;
  const [beats, unit] = midi.header.timeSignatures[0]?.timeSignature ?? [4, 4];
  const validUnit = UNITS.find((u) => u === unit);
  const timeSignature = beats !== undefined && Number.isInteger(beats) && beats >= 1 && beats <= 32 && validUnit !== undefined
    ? { beats, unit: validUnit }
    : { beats: 4, unit: 4 as const };
  return { notes, tempo, timeSignature };
}

/**
 * A standard MIDI file (format 1, 480 ticks a quarter note): one track with the notes, the tempo
 * and the time signature. Times round to the nearest tick, velocities to
 * 1/127 (at least 1/127: MIDI has no silent note).
 */
export function scoreToMidi(score: ScoreContent, name = ''): Uint8Array {
  const midi = new Midi();
  midi.header.setTempo(score.tempo);
  midi.header.timeSignatures.push({ ticks: 0, timeSignature: [score.timeSignature.beats, score.timeSignature.unit] });
  midi.header.update();
  const track = midi.addTrack();
  if (name) track.name = name;
  for (const n of score.notes) {
    // By ticks, so that the file's times come from the same tempo the header says.
    const ticks = midi.header.secondsToTicks(n.start);
    const end = midi.header.secondsToTicks(n.start + n.duration);
    track.addNote({ midi: n.pitch, ticks, durationTicks: Math.max(1, end - ticks), velocity: encodableVelocity(n.velocity) });
  }
  return midi.toArray();
}

/**
 * A velocity that @tonejs/midi's encoder (floor(v · 127)) writes as the nearest MIDI value: the
 * middle of that value's step, since k/127 · 127 may land just below k. At least 1: a note-on
 * with velocity 0 is a note-off.
 */
function encodableVelocity(v: number): number {
  const k = Math.min(127, Math.max(1, Math.round(Math.min(1, Math.max(0, v)) * 127)));
  return k === 127 ? 1 : (k + 0.5) / 127;
}
