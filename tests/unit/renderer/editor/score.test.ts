// Score commands: each does and undoes exactly (the domain document deep-equal before and
// after), clamps to valid notes, merges repeated nudges, groups a drag; selection stays outside
// the history; a move on a 2,000-note score stays within a frame's budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ScoreDocument } from '../../../../main/contract/domain/index';
import { ScoreDocumentSchema } from '../../../../main/contract/domain/index';
import { History } from '../../../../renderer/src/editor/history';
import { ScoreModel } from '../../../../renderer/src/editor/score-model';
import {
  addNotes, changeVelocity, copyNotes, deleteNotes, duplicateNotes, moveNotes, pasteNotes, quantizeNotes, resizeNotes,
  setTempo, setTimeSignature, setVelocity, transposeNotes, transposeOctave, type ScoreCommand,
} from '../../../../renderer/src/editor/score';
import { pruneSelection, selectAll, selectInBox, selectionBounds, toggleSelection } from '../../../../renderer/src/editor/selection';

function scoreDoc(notes: ScoreDocument['notes'] = defaultNotes()): ScoreDocument {
  return { id: 'jig', name: 'Jig', sampleRate: 16000, hop: 200, kind: 'score', notes, tempo: 120, timeSignature: { beats: 4, unit: 4 } };
}

function defaultNotes(): ScoreDocument['notes'] {
  return [
    { pitch: 60, start: 0, duration: 0.5, velocity: 0.8 },
    { pitch: 64, start: 0.5, duration: 0.5, velocity: 0.7 },
    { pitch: 67, start: 1.02, duration: 0.43, velocity: 0.6 },
    { pitch: 72, start: 1.5, duration: 1, velocity: 0.5 },
    { pitch: 48, start: 2.1, duration: 0.3, velocity: 0.9 },
  ];
}

function setup(notes?: ScoreDocument['notes']) {
  let clock = 0;
  const model = ScoreModel.fromDocument(scoreDoc(notes));
  const history = new History<ScoreCommand>({ now: () => clock });
  const ids = model.notes.map((n) => n.id);
  return { model, history, ids, tick: (ms: number) => { clock += ms; } };
}

/** Executes, then checks undo gives the document before and redo the document after. */
function exact(model: ScoreModel, history: History<ScoreCommand>, command: ScoreCommand): ScoreDocument {
  const before = model.toDocument();
  assert.equal(history.execute(command), true, `${command.label} changed something`);
  const after = model.toDocument();
  assert.notDeepEqual(after, before);
  history.undo();
  assert.deepEqual(model.toDocument(), before, `${command.label} undone`);
  history.redo();
  assert.deepEqual(model.toDocument(), after, `${command.label} redone`);
  assert.ok(ScoreDocumentSchema.safeParse(after).success, `${command.label} leaves a valid document`);
  return after;
}

test('a document converts to the editor model and back unchanged, with stable ids', () => {
  const doc = scoreDoc();
  const model = ScoreModel.fromDocument(doc);
  assert.deepEqual(model.toDocument(), doc);
  assert.equal(new Set(model.notes.map((n) => n.id)).size, 5);
  const withDate = { ...doc, updatedAt: '2025-01-01T00:00:00Z', timeSignature: { beats: 6, unit: 8 as const }, tempo: 90 };
  assert.deepEqual(ScoreModel.fromDocument(withDate).toDocument(), withDate);
});

test('every score command does and undoes exactly', () => {
  const { model, history, ids, tick } = setup();
  const step = (c: ScoreCommand) => { tick(5000); return exact(model, history, c); };
  let doc = step(addNotes(model, [{ pitch: 70, start: 3, duration: 0.25, velocity: 0.4 }]));
  assert.equal(doc.notes.length, 6);
  doc = step(deleteNotes(model, [ids[1]!, ids[3]!]));
  assert.deepEqual(doc.notes.map((n) => n.pitch), [60, 67, 48, 70]);
  doc = step(moveNotes(model, [ids[0]!, ids[2]!], { time: 0.125, pitch: 2 }));
  assert.deepEqual(doc.notes.slice(0, 2).map((n) => [n.pitch, n.start]), [[62, 0.125], [69, 1.145]]);
  doc = step(resizeNotes(model, [ids[0]!], 'end', 0.25));
  assert.equal(doc.notes[0]!.duration, 0.75);
  doc = step(resizeNotes(model, [ids[2]!], 'start', -0.145));
  assert.equal(doc.notes[1]!.start, 1);
  assert.ok(Math.abs(doc.notes[1]!.duration - 0.575) < 1e-12);
  doc = step(setVelocity(model, [ids[4]!], 0.25));
  assert.equal(doc.notes[2]!.velocity, 0.25);
  doc = step(changeVelocity(model, [ids[4]!, ids[0]!], 0.5));
  assert.deepEqual([doc.notes[0]!.velocity, doc.notes[2]!.velocity], [1, 0.75]);
  doc = step(transposeNotes(model, [ids[4]!], -1));
  assert.equal(doc.notes[2]!.pitch, 47);
  doc = step(transposeOctave(model, [ids[4]!], 1));
  assert.equal(doc.notes[2]!.pitch, 59);
  doc = step(duplicateNotes(model, [ids[0]!]));
  assert.equal(doc.notes.length, 5);
  assert.deepEqual(doc.notes[4], { ...doc.notes[0]!, start: 0.875 });
  doc = step(quantizeNotes(model, [ids[2]!, ids[4]!], { snap: '1/8' }));
  assert.deepEqual(doc.notes.slice(1, 3).map((n) => n.start), [1, 2]);
  doc = step(quantizeNotes(model, [ids[2]!], { snap: '1/8', start: false, length: true }));
  assert.equal(doc.notes[1]!.duration, 0.5);
  const clip = copyNotes(model, [ids[0]!, ids[2]!]);
  assert.equal(history.undoDepth, 12, 'copying is not an edit');
  doc = step(pasteNotes(model, clip, 4));
  assert.deepEqual(doc.notes.slice(-2).map((n) => [n.pitch, n.start]), [[62, 4], [69, 4.875]]);
  doc = step(setTempo(model, 60));
  assert.equal(doc.tempo, 60);
  assert.equal(doc.notes.at(-2)!.start, 8, 'notes keep their beats');
  doc = step(setTempo(model, 90, { keepBeats: false }));
  assert.equal(doc.notes.at(-2)!.start, 8, 'notes keep their seconds');
  doc = step(setTimeSignature(model, { beats: 6, unit: 8 }));
  assert.deepEqual(doc.timeSignature, { beats: 6, unit: 8 });
  // All the way back and forward again.
  const final = model.toDocument();
  while (history.undo());
  assert.deepEqual(model.toDocument(), scoreDoc());
  while (history.redo());
  assert.deepEqual(model.toDocument(), final);
});

test('ids stay stable through delete and undo, and new notes get new ids', () => {
  const { model, history, ids } = setup();
  history.execute(deleteNotes(model, [ids[2]!]));
  assert.equal(model.has(ids[2]!), false);
  history.undo();
  assert.equal(model.get(ids[2]!)?.pitch, 67);
  assert.equal(model.notes.indexOf(model.get(ids[2]!)!), 2);
  const add = addNotes(model, [{ pitch: 1, start: 0, duration: 1, velocity: 1 }]);
  history.execute(add);
  assert.equal(ids.includes(add.ids[0]!), false);
  history.undo();
  history.redo();
  assert.equal(model.get(add.ids[0]!)?.pitch, 1);
});

test('edits clamp: pitch 0..127 keeping the chord, start ≥ 0, minimum duration, velocity 0..1', () => {
  const { model, history, ids } = setup();
  history.execute(transposeNotes(model, ids, 100));
  assert.deepEqual(model.notes.map((n) => n.pitch), [115, 119, 122, 127, 103]);
  assert.equal(history.execute(transposeNotes(model, ids, 1)), false, 'nothing to do at the top');
  history.execute(moveNotes(model, ids, { pitch: -500 }));
  assert.deepEqual(model.notes.map((n) => n.pitch), [12, 16, 19, 24, 0]);
  history.execute(moveNotes(model, [ids[1]!, ids[2]!], { time: -10 }));
  assert.deepEqual(model.notes.map((n) => n.start), [0, 0, 0.52, 1.5, 2.1]);
  history.execute(resizeNotes(model, [ids[0]!], 'end', -5));
  assert.equal(model.notes[0]!.duration, model.minDuration);
  history.execute(resizeNotes(model, [ids[3]!], 'start', 5));
  assert.ok(Math.abs(model.notes[3]!.start - (2.5 - model.minDuration)) < 1e-12);
  history.execute(resizeNotes(model, [ids[4]!], 'start', -5));
  assert.equal(model.notes[4]!.start, 0);
  assert.ok(Math.abs(model.notes[4]!.duration - 2.4) < 1e-12);
  history.execute(changeVelocity(model, ids, 5));
  assert.ok(model.notes.every((n) => n.velocity === 1));
  const add = addNotes(model, [{ pitch: 300, start: -1, duration: 0, velocity: 2 }]);
  history.execute(add);
  assert.deepEqual(model.toDocument().notes.at(-1), { pitch: 127, start: 0, duration: model.minDuration, velocity: 1 });
  assert.ok(ScoreDocumentSchema.safeParse(model.toDocument()).success);
});

test('ten nudges of the same notes are one undo step; a different edit breaks the merge', () => {
  const { model, history, ids, tick } = setup();
  const sel = [ids[0]!, ids[1]!];
  const start = model.toDocument();
  for (let i = 0; i < 10; i++) { history.execute(moveNotes(model, sel, { time: 0.125 })); tick(150); }
  assert.equal(history.undoDepth, 1);
  assert.equal(model.notes[0]!.start, 1.25);
  for (let i = 0; i < 5; i++) { history.execute(transposeNotes(model, sel, 1)); tick(150); }
  assert.equal(history.undoDepth, 2);
  history.execute(moveNotes(model, [ids[0]!], { time: 0.125 }));
  assert.equal(history.undoDepth, 3, 'other notes: a new step');
  for (let i = 0; i < 4; i++) { history.execute(changeVelocity(model, sel, -0.05)); tick(150); }
  history.execute(setVelocity(model, sel, 0.3));
  assert.equal(history.undoDepth, 4, 'velocity wheel and set merge');
  history.undo();
  assert.deepEqual(model.notes.slice(0, 2).map((n) => n.velocity), [0.8, 0.7]);
  history.undo(); history.undo();
  assert.deepEqual(model.notes.slice(0, 2).map((n) => n.pitch), [60, 64]);
  history.undo();
  assert.deepEqual(model.toDocument(), start);
});

test('a drag of notes is one undo step and Escape restores them', () => {
  const { model, history, ids } = setup();
  const start = model.toDocument();
  history.beginGroup('Move notes');
  for (let i = 1; i <= 20; i++) history.execute(moveNotes(model, [ids[3]!], { time: 0.01, pitch: i % 5 === 0 ? 1 : 0 }));
  history.endGroup();
  assert.equal(history.undoDepth, 1);
  assert.equal(model.notes[3]!.pitch, 76);
  history.undo();
  assert.deepEqual(model.toDocument(), start);
  history.beginGroup('Move notes');
  history.execute(moveNotes(model, ids, { time: 1 }));
  history.execute(resizeNotes(model, ids, 'end', 1));
  history.cancelGroup();
  assert.deepEqual(model.toDocument(), start);
  assert.equal(history.canUndo, false);
});

test('tempo changes merge (a spin box) and rescale every note exactly back', () => {
  const { model, history, tick } = setup();
  const start = model.toDocument();
  for (const bpm of [121, 122, 130, 140]) { history.execute(setTempo(model, bpm)); tick(100); }
  assert.equal(history.undoDepth, 1);
  assert.ok(Math.abs(model.notes[1]!.start - 0.5 * 120 / 140) < 1e-12);
  history.undo();
  assert.deepEqual(model.toDocument(), start);
  assert.throws(() => setTimeSignature(model, { beats: 4, unit: 3 as 4 }));
});

test('selection: box, all, toggle, prune and bounds — none of it in the history', () => {
  const { model, history, ids } = setup();
  assert.deepEqual([...selectInBox(model, { start: 0.4, end: 1.1, low: 60, high: 70 })], [ids[0], ids[1], ids[2]]);
  assert.deepEqual([...selectInBox(model, { start: 0.4, end: 1.1, low: 60, high: 70 }, 'contain')], [ids[1]]);
  assert.deepEqual([...selectInBox(model, { start: 1.1, end: 0.4, low: 70, high: 60 })], [ids[0], ids[1], ids[2]], 'a box drawn backwards');
  assert.deepEqual([...selectInBox(model, { start: 3, end: 4, low: 0, high: 127 })], []);
  const all = selectAll(model);
  assert.equal(all.size, 5);
  assert.deepEqual([...toggleSelection(new Set([ids[0]!]), [ids[0]!, ids[1]!])], [ids[1]]);
  assert.deepEqual(selectionBounds(model, new Set([ids[0]!, ids[4]!])), { start: 0, end: 2.4, low: 48, high: 60 });
  assert.equal(selectionBounds(model, new Set()), undefined);
  assert.equal(history.canUndo, false);
  const add = addNotes(model, [{ pitch: 50, start: 5, duration: 1, velocity: 1 }]);
  history.execute(add);
  const sel = new Set([...all, ...add.ids]);
  history.undo();
  assert.equal(pruneSelection(model, sel).size, 5);
});

test('a move of 2,000 notes takes a few ms', () => {
  const notes = Array.from({ length: 2000 }, (_, i) => ({ pitch: 36 + (i % 48), start: i * 0.125, duration: 0.1, velocity: 0.5 + (i % 5) / 10 }));
  const { model, history, ids, tick } = setup(notes);
  const before = model.toDocument();
  const times: number[] = [];
  for (let i = 0; i < 30; i++) {
    tick(i % 3 === 0 ? 5000 : 10);
    const t0 = performance.now();
    history.execute(moveNotes(model, ids, { time: 0.01, pitch: i % 2 ? 1 : -1 }));
    times.push(performance.now() - t0);
  }
  const t0 = performance.now();
  while (history.undo());
  const undoAll = performance.now() - t0;
  times.sort((a, b) => a - b);
  const median = times[times.length >> 1]!;
  assert.ok(median < 20, `median move ${median.toFixed(2)} ms`);
  assert.ok(undoAll < 200, `undo of every step ${undoAll.toFixed(2)} ms`);
  assert.deepEqual(model.toDocument(), before);
});
