// Mel sheet commands: the brush acts only inside its radius with a soft edge and in dB of
// magnitude on natural-log values; every command undoes exactly; commands keep only what they
// changed, so 100 steps on a long sheet stay small.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MelDocument } from '../../../../main/contract/domain/index';
import { brushFalloff } from '../../../../renderer/src/editor/brush';
import { History } from '../../../../renderer/src/editor/history';
import {
  brushStroke, copyRegion, deleteRegion, eraseStroke, pasteRegion, resetRegion, restoreStroke, shiftRegion, smoothStroke, stretchRegion,
  type MelCommand,
} from '../../../../renderer/src/editor/mel';
import { LN_PER_DB, MEL_FLOOR, MelSheetModel } from '../../../../renderer/src/editor/mel-model';

const FRAMES = 40;
const BINS = 16;

function melDoc(frames = FRAMES, bins = BINS): MelDocument {
  const data = Array.from({ length: frames * bins }, (_, i) => -5 + Math.sin(Math.floor(i / bins) * 0.3) + Math.cos((i % bins) * 0.5));
  return { id: 'take3', name: 'Take 3', sampleRate: 16000, hop: 200, kind: 'mel', mel: { frames, bins, data } };
}

function setup() {
  const model = MelSheetModel.fromDocument(melDoc());
  const history = new History<MelCommand>({ now: () => 0 });
  return { model, history };
}

function exact(model: MelSheetModel, history: History<MelCommand>, command: MelCommand): MelDocument {
  const before = model.toDocument();
  assert.equal(history.execute(command), true, `${command.label} changed something`);
  const after = model.toDocument();
  assert.notDeepEqual(after, before);
  history.undo();
  assert.deepEqual(model.toDocument(), before, `${command.label} undone`);
  history.redo();
  assert.deepEqual(model.toDocument(), after, `${command.label} redone`);
  return after;
}

const at = (doc: MelDocument, f: number, b: number) => doc.mel.data[f * doc.mel.bins + b]!;

test('the floor and the dB conversion follow the engine (natural log of magnitude, floor 1e-5)', () => {
  assert.equal(MEL_FLOOR, Math.log(1e-5));
  // +20 dB of magnitude is ×10: ln grows by ln 10.
  assert.ok(Math.abs(20 * LN_PER_DB - Math.LN10) < 1e-15);
  const doc = melDoc();
  assert.deepEqual(MelSheetModel.fromDocument(doc).toDocument(), doc);
});

test('the brush changes only inside its radius, full in the centre and softly at the edge', () => {
  const { model, history } = setup();
  const before = model.toDocument();
  const area = { centres: [{ frame: 20, bin: 8 }], radius: 4, hardness: 0.25 };
  const command = brushStroke(model, area, 6);
  const after = exact(model, history, command);
  const delta = (f: number, b: number) => at(after, f, b) - at(before, f, b);
  const full = 6 * LN_PER_DB;
  assert.ok(Math.abs(delta(20, 8) - full) < 1e-12, 'full strength at the centre');
  assert.ok(Math.abs(delta(21, 8) - full) < 1e-12, 'and within the hard part');
  let changed = 0;
  for (let f = 0; f < FRAMES; f++) {
    for (let b = 0; b < BINS; b++) {
      const d = Math.hypot(f - 20, b - 8) / 4;
      const expected = full * brushFalloff(d, 0.25);
      assert.ok(Math.abs(delta(f, b) - expected) < 1e-12, `cell ${f},${b}`);
      if (d >= 1) assert.equal(delta(f, b), 0, `outside the radius ${f},${b}`);
      if (delta(f, b) !== 0) changed++;
    }
  }
  // The soft edge: strictly between none and full, falling with distance.
  assert.ok(delta(22, 8) > 0 && delta(22, 8) < full);
  assert.ok(delta(23, 8) > 0 && delta(23, 8) < delta(22, 8));
  assert.equal(delta(24, 8), 0);
  assert.equal(command.storedValues, 3 * changed, 'only the changed cells are kept');
  assert.deepEqual(command.change, { kind: 'cells', frame0: 17, frame1: 24, bin0: 5, bin1: 12 });
});

test('a brush wider in time, and lowering stops at the floor', () => {
  const { model, history } = setup();
  const before = model.toDocument();
  const after = exact(model, history, brushStroke(model, { centres: [{ frame: 10, bin: 3 }], radius: 1, radiusFrames: 5, hardness: 1 }, -400));
  assert.equal(at(after, 14, 3), MEL_FLOOR);
  assert.equal(at(after, 10, 3), MEL_FLOOR);
  assert.equal(at(after, 15, 3), at(before, 15, 3));
  assert.equal(at(after, 10, 4), at(before, 10, 4));
  assert.equal(at(after, 10, 2), at(before, 10, 2));
});

test('overlapping dabs of one stroke take the stronger weight, not the sum', () => {
  const { model, history } = setup();
  const before = model.toDocument();
  const after = exact(model, history, brushStroke(model, { centres: [{ frame: 10, bin: 8 }, { frame: 11, bin: 8 }, { frame: 12, bin: 8 }], radius: 3, hardness: 0.5 }, 3));
  assert.ok(Math.abs(at(after, 11, 8) - at(before, 11, 8) - 3 * LN_PER_DB) < 1e-12);
});

test('erase takes the centre to the floor and leaves the outside; smooth averages; both undo exactly', () => {
  const { model, history } = setup();
  const before = model.toDocument();
  const area = { centres: [{ frame: 5, bin: 5 }], radius: 2, hardness: 0.5 };
  let after = exact(model, history, eraseStroke(model, area));
  assert.equal(at(after, 5, 5), MEL_FLOOR);
  assert.ok(at(after, 6, 6) > MEL_FLOOR && at(after, 6, 6) < at(before, 6, 6));
  assert.equal(at(after, 8, 5), at(before, 8, 5));
  history.undo();

  // A spike smoothed: its neighbourhood's mean, read before the stroke.
  history.execute(brushStroke(model, { centres: [{ frame: 30, bin: 8 }], radius: 0.5, hardness: 1 }, 40));
  const spiky = model.toDocument();
  after = exact(model, history, smoothStroke(model, { centres: [{ frame: 30, bin: 8 }], radius: 0.5, hardness: 1 }));
  let mean = 0;
  for (let f = 29; f <= 31; f++) for (let b = 7; b <= 9; b++) mean += at(spiky, f, b) / 9;
  assert.ok(Math.abs(at(after, 30, 8) - mean) < 1e-12);
  assert.equal(at(after, 30, 9), at(spiky, 30, 9), 'only under the brush');
  const wide = smoothStroke(model, { centres: [{ frame: 20, bin: 8 }], radius: 6 }, { kernel: 2, strength: 0.5 });
  exact(model, history, wide);
});

test('region copy, paste, delete, shift and reset undo exactly', () => {
  const { model, history } = setup();
  const before = model.toDocument();
  const rect = { frame0: 2, frame1: 6, bin0: 3, bin1: 7 };
  const clip = copyRegion(model, rect);
  assert.deepEqual([clip.frames, clip.bins], [4, 4]);
  assert.equal(clip.data[1 * 4 + 2], at(before, 3, 5));
  assert.equal(history.canUndo, false, 'copy is not an edit');

  let after = exact(model, history, pasteRegion(model, clip, { frame: 20, bin: 10 }));
  assert.equal(at(after, 21, 12), at(before, 3, 5));
  assert.equal(at(after, 24, 10), at(before, 24, 10), 'just past the clip');
  // Pasted over the edge: what falls off is dropped.
  after = exact(model, history, pasteRegion(model, clip, { frame: FRAMES - 2, bin: BINS - 1 }));
  assert.equal(at(after, FRAMES - 1, BINS - 1), at(before, 3, 3));

  after = exact(model, history, deleteRegion(model, rect));
  for (let f = 0; f < FRAMES; f++) {
    for (let b = 0; b < BINS; b++) {
      const inside = f >= 2 && f < 6 && b >= 3 && b < 7;
      if (inside) assert.equal(at(after, f, b), MEL_FLOOR);
    }
  }
  assert.equal(at(after, 6, 3), at(before, 6, 3));

  const edited = model.toDocument();
  after = exact(model, history, shiftRegion(model, { frame0: 10, frame1: 12, bin0: 4, bin1: 8 }, 2));
  assert.equal(at(after, 10, 9), at(edited, 10, 7), 'content moved up two bands');
  assert.equal(at(after, 10, 6), at(edited, 10, 4));
  assert.equal(at(after, 10, 4), MEL_FLOOR, 'the cells it left');
  assert.equal(at(after, 10, 5), MEL_FLOOR);
  assert.equal(at(after, 10, 3), at(edited, 10, 3));
  assert.equal(at(after, 10, 10), at(edited, 10, 10));
  after = exact(model, history, shiftRegion(model, { frame0: 0, frame1: 1, bin0: 0, bin1: BINS }, -3));
  assert.equal(at(after, 0, 0), at(before, 0, 3), 'a whole frame down: the lowest bands fall off');
  assert.equal(at(after, 0, BINS - 1), MEL_FLOOR);

  after = exact(model, history, resetRegion(model, { frame0: 0, frame1: FRAMES, bin0: 0, bin1: BINS }));
  assert.deepEqual(after, before, 'reset brings the analysed original back');
});

test('reset and restore read the original kept beside the document', () => {
  const original = melDoc().mel;
  const edited = { ...melDoc(), mel: { ...original, data: original.data.map((v) => v + 1) } };
  const model = MelSheetModel.fromDocument(edited, { original });
  const history = new History<MelCommand>();
  history.execute(restoreStroke(model, { centres: [{ frame: 5, bin: 5 }], radius: 2, hardness: 1 }));
  assert.equal(model.value(5, 5), original.data[5 * BINS + 5]);
  assert.equal(model.value(5, 8), original.data[5 * BINS + 8]! + 1);
  exact(model, history, resetRegion(model, { frame0: 30, frame1: 35, bin0: 0, bin1: 4 }));
  assert.equal(model.value(31, 2), original.data[31 * BINS + 2]);
  assert.equal(model.value(31, 4), original.data[31 * BINS + 4]! + 1);
});

test('time-stretch interpolates linearly, changes the length and undoes exactly', () => {
  const { model, history } = setup();
  const before = model.toDocument();
  const cmd = stretchRegion(model, { frame0: 10, frame1: 20 }, 19);
  const after = exact(model, history, cmd);
  assert.equal(after.mel.frames, FRAMES + 9);
  assert.equal(after.mel.data.length, (FRAMES + 9) * BINS);
  assert.deepEqual(cmd.change, { kind: 'frames', frame0: 10, removed: 10, inserted: 19 });
  for (let b = 0; b < BINS; b++) {
    assert.equal(at(after, 10, b), at(before, 10, b), 'first frame kept');
    assert.equal(at(after, 28, b), at(before, 19, b), 'last frame kept');
    assert.ok(Math.abs(at(after, 11, b) - (at(before, 10, b) + at(before, 11, b)) / 2) < 1e-12, 'halfway between');
    assert.equal(at(after, 9, b), at(before, 9, b));
    assert.equal(at(after, 29, b), at(before, 20, b), 'the frames after move on');
  }
  assert.equal(cmd.storedValues, (10 + 19) * BINS);
  history.undo();
  assert.equal(model.frames, FRAMES);
  const shrink = exact(model, history, stretchRegion(model, { frame0: 0, frame1: 40 }, 20));
  assert.equal(shrink.mel.frames, 20);
  assert.equal(history.execute(stretchRegion(model, { frame0: 3, frame1: 9 }, 6)), false, 'same length: nothing to do');
});

test('dabs of one drag merge into one step; 100 steps on a long sheet keep only their cells', () => {
  const frames = 30000; // 10 minutes at 16 kHz, hop 200
  const model = MelSheetModel.fromDocument(melDoc(frames, 80));
  const history = new History<MelCommand>({ now: () => 0 });
  const start = model.data.slice();
  history.beginGroup('Brush');
  for (let i = 0; i < 50; i++) history.execute(brushStroke(model, { centres: [{ frame: 100 + i, bin: 40 }], radius: 5, strokeId: 1 }, 1));
  history.endGroup();
  assert.equal(history.undoDepth, 1);
  let stored = 0;
  const count = (e: { commands: readonly MelCommand[] }) => { for (const c of e.commands) stored += c.storedValues; };
  const off = history.subscribe((e) => { if (e.type === 'do' && !e.merged) count(e); });
  for (let i = 0; i < 99; i++) {
    history.execute(brushStroke(model, { centres: [{ frame: 300 * i + 10, bin: 20 + (i % 40) }], radius: 6 }, i % 2 ? 3 : -3));
  }
  off();
  assert.equal(history.undoDepth, 100);
  assert.ok(stored < 99 * 3 * 150, `stored ${stored} numbers for 99 dabs`);
  assert.ok(stored < model.data.length / 50, 'a small part of one sheet');
  while (history.undo());
  assert.ok(model.data.every((v, i) => v === start[i]), 'every step undone exactly');
  // Without a stroke id, two separate strokes stay two steps.
  history.execute(brushStroke(model, { centres: [{ frame: 5, bin: 5 }], radius: 2 }, 1));
  history.execute(brushStroke(model, { centres: [{ frame: 5, bin: 5 }], radius: 2 }, 1));
  assert.equal(history.undoDepth, 2);
});
