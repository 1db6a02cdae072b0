// MIDI in and out of a score with @tonejs/midi: notes, tempo and time signature survive a round
// trip (to the tick and to 1/127 of velocity); garbage is a typed error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { MidiImportError, midiToScore, scoreToMidi, type ScoreContent } from '../../../../renderer/src/editor/midi';
import { ScoreModel } from '../../../../renderer/src/editor/score-model';

// Files written directly with @tonejs/midi, to shape headers scoreToMidi never writes.
const { Midi } = createRequire(import.meta.url)('@tonejs/midi') as typeof import('@tonejs/midi');

function score(tempo: number): ScoreContent {
  const beat = 60 / tempo;
  return {
    tempo,
    timeSignature: { beats: 6, unit: 8 },
    notes: [
      { pitch: 60, start: 0, duration: beat, velocity: 100 / 127 },
      { pitch: 64, start: 0, duration: beat / 2, velocity: 1 },
      { pitch: 67, start: beat * 1.5, duration: beat / 3, velocity: 1 / 127 },
      { pitch: 0, start: beat * 4, duration: beat * 2, velocity: 64 / 127 },
      { pitch: 127, start: beat * 7.25, duration: beat / 4, velocity: 0.5 },
    ],
  };
}

test('a score survives a MIDI round trip', () => {
  for (const tempo of [120, 97.5, 60]) {
    const input = score(tempo);
    const bytes = scoreToMidi(input, 'jig');
    assert.ok(bytes instanceof Uint8Array && bytes.length > 0);
    const output = midiToScore(bytes);
    assert.ok(Math.abs(output.tempo - tempo) < 1e-3, `tempo ${output.tempo}`);
    assert.deepEqual(output.timeSignature, { beats: 6, unit: 8 });
    assert.equal(output.notes.length, input.notes.length);
    const tick = 60 / tempo / 480;
    input.notes.forEach((n, i) => {
      const m = output.notes[i]!;
      assert.equal(m.pitch, n.pitch);
      assert.ok(Math.abs(m.start - n.start) <= tick, `start ${m.start} vs ${n.start}`);
      assert.ok(Math.abs(m.duration - n.duration) <= 2 * tick, `duration ${m.duration} vs ${n.duration}`);
      assert.ok(Math.abs(m.velocity - Math.round(n.velocity * 127) / 127) < 1e-9, `velocity ${m.velocity} vs ${n.velocity}`);
    });
    // And once more: a file written from what was read reads back the same.
    assert.deepEqual(midiToScore(scoreToMidi(output)), output);
  }
});

test('imported notes become an editor document', () => {
  const content = midiToScore(scoreToMidi(score(120)));
  const model = ScoreModel.fromDocument({ id: 'imported', name: 'Imported', sampleRate: 16000, hop: 200, kind: 'score', ...content });
  assert.equal(model.notes.length, 5);
  assert.equal(model.toDocument().tempo, 120);
});

test('a file without tempo or time signature reads as 120 bpm 4/4; garbage is a typed error', () => {
  const bare = new Midi();
  bare.addTrack().addNote({ midi: 62, ticks: 480, durationTicks: 240, velocity: 1 });
  const plain = midiToScore(bare.toArray());
  assert.deepEqual(plain, { tempo: 120, timeSignature: { beats: 4, unit: 4 }, notes: [{ pitch: 62, start: 0.5, duration: 0.25, velocity: 1 }] });
  assert.throws(() => midiToScore(new Uint8Array([1, 2, 3, 4, 5]), 'broken.mid'), (e: unknown) => e instanceof MidiImportError && e.code === 'MIDI_INVALID' && /broken\.mid/.test(e.message));
});

test('a silent note is written with the lowest velocity, not as a note-off', () => {
  const out = midiToScore(scoreToMidi({ tempo: 120, timeSignature: { beats: 4, unit: 4 }, notes: [{ pitch: 60, start: 0, duration: 0.5, velocity: 0 }] }));
  assert.equal(out.notes.length, 1);
  assert.equal(out.notes[0]!.velocity, 1 / 127);
});

test('a tempo change shapes note times; the score keeps the first tempo', () => {
  const midi = new Midi();
  midi.header.tempos.push({ ticks: 0, bpm: 120 }, { ticks: 960, bpm: 60 });
  midi.header.update();
  const track = midi.addTrack();
  track.addNote({ midi: 60, ticks: 0, durationTicks: 480, velocity: 1 });
  track.addNote({ midi: 62, ticks: 1920, durationTicks: 480, velocity: 1 });
  const out = midiToScore(midi.toArray());
  assert.equal(out.tempo, 120);
  // Two beats at 120 bpm (1 s), then two at 60 (2 s): the second note starts at 3 s.
  assert.deepEqual(out.notes.map((n) => [n.start, n.duration]), [[0, 0.5], [3, 1]]);
});
