import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { notesFromMidi, pianoRoll, PIANO_ROLL_BINS, type Note } from '../../../../main/engine/dsp/pianoroll';
import { StudioError } from '../../../../main/engine/errors';
import { corpus, readWav16 } from '../dataset/fixtures';

const { Midi } = createRequire(import.meta.url)('@tonejs/midi') as typeof import('@tonejs/midi');

/** A two-track MIDI written by @tonejs/midi (120 bpm, so these times are whole ticks). */
function synthMidi(): Uint8Array {
  const midi = new Midi();
  const a = midi.addTrack();
  a.addNote({ midi: 60, time: 0.1, duration: 0.25, velocity: 0.8 });
  a.addNote({ midi: 64, time: 0.5, duration: 0.125, velocity: 0.5 });
  const b = midi.addTrack();
  b.addNote({ midi: 48, time: 0, duration: 1, velocity: 1 });
  return midi.toArray();
}

test('notesFromMidi reads every track, sorted by start, in seconds', () => {
  const notes = notesFromMidi(synthMidi(), 'synth.mid');
  assert.deepEqual(notes.map((n) => n.pitch), [48, 60, 64]);
  const close = (a: number, b: number, tol: number): void => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);
  close(notes[0]!.start, 0, 1e-6);
  close(notes[0]!.duration, 1, 1e-6);
  close(notes[1]!.start, 0.1, 1e-6);
  close(notes[1]!.duration, 0.25, 1e-6);
  close(notes[2]!.start, 0.5, 1e-6);
  close(notes[1]!.velocity, 0.8, 1 / 127);
  close(notes[0]!.velocity, 1, 1e-6);
});

test('notesFromMidi rejects garbage with a one-line MIDI_INVALID naming the file', () => {
  for (const bytes of [new Uint8Array(0), new TextEncoder().encode('RIFF this is not midi'), new Uint8Array([0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 1, 0, 1])]) {
    assert.throws(() => notesFromMidi(bytes, 'broken.mid'), (e: unknown) => {
      assert.ok(e instanceof StudioError);
      assert.equal(e.code, 'MIDI_INVALID');
      assert.match(e.message, /broken\.mid/);
      assert.ok(!e.message.includes('\n'));
      return true;
    });
  }
});

test('pianoRoll: velocity while sounding (max over overlaps), onset flag in the start frame', () => {
  // 16 kHz, hop 200: 80 frames per second, frame f spans [f/80, (f+1)/80) s.
  const notes: Note[] = [
    { pitch: 60, start: 0.1, duration: 0.25, velocity: 0.5 }, // frames 8..27
    { pitch: 60, start: 0.2, duration: 0.05, velocity: 0.9 }, // frames 16..19, louder
    { pitch: 21, start: 0.1125, duration: 0.001, velocity: 0.3 }, // frame 9 only
    { pitch: 100, start: 0.49, duration: 1, velocity: 1 }, // starts in frame 39, runs past the end
    { pitch: 70, start: 2, duration: 1, velocity: 1 }, // beyond the last frame
  ];
  const roll = pianoRoll(notes, { sampleRate: 16000, hop: 200, frames: 45 });
  assert.equal(roll.bins, PIANO_ROLL_BINS);
  assert.equal(roll.frames, 45);
  assert.equal(roll.data.length, 45 * 256);
  const at = (f: number, b: number): number => roll.data[f * 256 + b]!;
  for (let f = 0; f < 45; f++) {
    const expect60 = f >= 16 && f <= 19 ? 0.9 : f >= 8 && f <= 27 ? 0.5 : 0;
    assert.ok(Math.abs(at(f, 60) - expect60) < 1e-6, `frame ${f} pitch 60: ${at(f, 60)}`);
    assert.equal(at(f, 128 + 60), f === 8 || f === 16 ? 1 : 0);
    assert.ok(Math.abs(at(f, 21) - (f === 9 ? 0.3 : 0)) < 1e-6);
    assert.equal(at(f, 128 + 21), f === 9 ? 1 : 0);
    assert.equal(at(f, 100), f >= 39 ? 1 : 0);
    assert.equal(at(f, 128 + 100), f === 39 ? 1 : 0);
    assert.equal(at(f, 70), 0);
  }
  // Nothing else was written.
  let nonzero = 0;
  for (const v of roll.data) if (v !== 0) nonzero++;
  assert.equal(nonzero, 20 + 2 + 1 + 1 + 6 + 1);
});

test('pianoRoll of a written MIDI file matches the notes in it', () => {
  const roll = pianoRoll(notesFromMidi(synthMidi(), 'synth.mid'), { sampleRate: 16000, hop: 200, frames: 100 });
  const at = (f: number, b: number): number => roll.data[f * 256 + b]!;
  assert.equal(at(7, 60), 0);
  assert.ok(at(8, 60) > 0.79 && at(27, 60) > 0.79);
  assert.equal(at(28, 60), 0);
  assert.equal(at(40, 128 + 64), 1);
  assert.equal(at(0, 128 + 48), 1);
  assert.equal(at(79, 48), 1);
  assert.equal(at(80, 48), 0);
});

test('pianoRoll rejects impossible framing', () => {
  assert.throws(() => pianoRoll([], { sampleRate: 16000, hop: 0, frames: 10 }), { code: 'BAD_OPTION' });
  assert.throws(() => pianoRoll([], { sampleRate: 16000, hop: 200, frames: 1.5 }), { code: 'BAD_OPTION' });
});

test('corpus piece1: frames where the MIDI has notes carry the audio energy', async () => {
  const midi = await fs.readFile(path.join(corpus, 'music/piece1.mid'));
  const notes = notesFromMidi(midi, 'piece1.mid');
  assert.ok(notes.length > 20);
  const { sampleRate, samples } = await readWav16(path.join(corpus, 'music/piece1.wav'));
  const hop = 200;
  const frames = 1 + Math.floor(samples.length / hop);
  // Mean energy of frames where a note sounds over mean energy of frames where none does.
  const contrast = (shift: number): number => {
    const roll = pianoRoll(notes.map((n) => ({ ...n, start: n.start + shift })), { sampleRate, hop, frames });
    let onE = 0, onN = 0, offE = 0, offN = 0;
    for (let f = 0; f + 1 < frames; f++) {
      let e = 0;
      for (let i = f * hop; i < (f + 1) * hop; i++) e += samples[i]! ** 2;
      let sounding = false;
      for (let p = 0; p < 128 && !sounding; p++) sounding = roll.data[f * 256 + p]! > 0;
      if (sounding) { onE += e; onN++; } else { offE += e; offN++; }
    }
    assert.ok(onN > 0 && offN > 0, `${onN} frames with notes, ${offN} without`);
    return onE / onN / (offE / offN + 1e-12);
  };
  const aligned = contrast(0);
  assert.ok(aligned > 100, `energy with notes / without = ${aligned}`);
  // Moving the notes 0.3 s late breaks the alignment: the contrast collapses.
  const late = contrast(0.3);
  assert.ok(aligned > 10 * late, `aligned ${aligned} vs 0.3 s late ${late}`);
});
