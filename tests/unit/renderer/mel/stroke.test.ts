// The mel editor's brush strokes: a one-dab stroke equals the editor's single-area commands; a
// stroke drawn slowly or back over itself never piles up; the whole stroke is one undo step in the
// history's group, undone, redone and cancelled (Escape) exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  brushStroke, eraseStroke, History, MEL_FLOOR, MelSheetModel, restoreStroke, smoothStroke, type MelCommand,
} from '../../../../renderer/src/editor/index';
import { BrushStroke, strokeLabel, type StrokeTool } from '../../../../renderer/src/mel/stroke';
import { dbToLn } from '../../../../renderer/src/mel/heatmap';

const FRAMES = 60;
const BINS = 20;

function model(): MelSheetModel {
  const data = new Float64Array(FRAMES * BINS);
  for (let i = 0; i < data.length; i++) data[i] = -6 + Math.sin(Math.floor(i / BINS) * 0.4) + Math.cos((i % BINS) * 0.7);
  const m = new MelSheetModel({ id: 'a', name: 'a', sampleRate: 16000, hop: 200 }, { frames: FRAMES, bins: BINS, data });
  return m;
}

/** A model whose values differ from its original, so restore has something to do. */
function edited(): MelSheetModel {
  const m = model();
  for (let i = 0; i < m.data.length; i++) m.data[i] = m.data[i]! + 2 * Math.sin(i);
  return m;
}

const area = { centres: [{ frame: 20.3, bin: 9.6 }], radius: 3, radiusFrames: 5, hardness: 0.4 };

test('a one-dab stroke equals the single-area command of each tool', () => {
  const cases: [StrokeTool, (m: MelSheetModel) => MelCommand][] = [
    ['raise', (m) => brushStroke(m, area, 6)],
    ['lower', (m) => brushStroke(m, area, -9)],
    ['erase', (m) => eraseStroke(m, area)],
    ['smooth', (m) => smoothStroke(m, area)],
    ['restore', (m) => restoreStroke(m, area)],
  ];
  for (const [tool, command] of cases) {
    const a = edited();
    const b = edited();
    command(a).do();
    const stroke = new BrushStroke(b, tool, { radius: 3, radiusFrames: 5, hardness: 0.4, db: tool === 'lower' ? 9 : 6 });
    stroke.moveTo(20.3, 9.6)!.do();
    assert.deepEqual(b.data, a.data, tool);
  }
});

test('dabs over the same cells do not pile up: the strongest weight counts, from the value before the stroke', () => {
  const m = model();
  const before = m.data.slice();
  const stroke = new BrushStroke(m, 'raise', { radius: 2, hardness: 1, db: 6 });
  stroke.moveTo(30, 10)!.do();
  // Back and forth over the same place.
  for (const f of [30.2, 29.8, 30, 30.1]) stroke.moveTo(f, 10)?.do();
  const centre = 30 * BINS + 10;
  assert.ok(Math.abs(m.data[centre]! - (before[centre]! + dbToLn(6))) < 1e-12, 'the centre is raised by 6 dB exactly once');
  assert.equal(stroke.moveTo(30, 10), null, 'nothing new: no command');
});

test('a dragged stroke fills the way between pointer positions with dabs', () => {
  const m = model();
  const before = m.data.slice();
  const stroke = new BrushStroke(m, 'lower', { radius: 1.5, radiusFrames: 1.5, hardness: 1, db: 12 });
  stroke.moveTo(5, 10)!.do();
  stroke.moveTo(45, 10)!.do();
  for (let f = 5; f <= 45; f++) assert.ok(m.data[f * BINS + 10]! < before[f * BINS + 10]! - 0.1, `frame ${f} lowered`);
  assert.equal(m.data[50 * BINS + 10], before[50 * BINS + 10], 'beyond the end untouched');
  assert.equal(m.data[20 * BINS + 15], before[20 * BINS + 15], 'outside the radius untouched');
});

test('lowering stops at the floor; erase reaches it at full weight', () => {
  const m = model();
  new BrushStroke(m, 'lower', { radius: 1, hardness: 1, db: 400 }).moveTo(10, 5)!.do();
  assert.equal(m.data[10 * BINS + 5], MEL_FLOOR);
  new BrushStroke(m, 'erase', { radius: 1, hardness: 1, db: 0 }).moveTo(40, 5)!.do();
  assert.equal(m.data[40 * BINS + 5], MEL_FLOOR);
});

function strokeIn(history: History<MelCommand>, m: MelSheetModel, tool: StrokeTool, path: [number, number][]): void {
  const stroke = new BrushStroke(m, tool, { radius: 2.5, radiusFrames: 4, hardness: 0.5, db: 6 });
  history.beginGroup(stroke.label);
  for (const [f, b] of path) {
    const command = stroke.moveTo(f, b);
    if (command) history.execute(command);
  }
}

test('a stroke in a history group is one undo step; undo and redo are exact', () => {
  const m = model();
  const history = new History<MelCommand>();
  const start = m.data.slice();
  const events: string[] = [];
  history.subscribe((e) => events.push(e.type));
  strokeIn(history, m, 'raise', [[10, 5], [14, 6], [20, 8], [26, 12], [30, 12]]);
  history.endGroup();
  const after = m.data.slice();
  assert.notDeepEqual(after, start);
  assert.equal(history.undoDepth, 1, 'one step');
  assert.equal(history.undoLabel, strokeLabel('raise'));
  assert.ok(events.filter((t) => t === 'do').length >= 2 && events.at(-1) === 'commit');
  history.undo();
  assert.deepEqual(m.data, start);
  history.redo();
  assert.deepEqual(m.data, after);
});

test('Escape: cancelling the group takes the stroke back and records nothing', () => {
  const m = model();
  const history = new History<MelCommand>();
  const start = m.data.slice();
  strokeIn(history, m, 'smooth', [[10, 5], [20, 15], [40, 10]]);
  assert.notDeepEqual(m.data, start);
  history.cancelGroup();
  assert.deepEqual(m.data, start);
  assert.equal(history.canUndo, false);
});

test('each command reports the rectangle it changed', () => {
  const m = model();
  const stroke = new BrushStroke(m, 'raise', { radius: 2, radiusFrames: 3, hardness: 1, db: 3 });
  const c = stroke.moveTo(20, 10)!;
  assert.equal(c.change.kind, 'cells');
  if (c.change.kind === 'cells') {
    assert.ok(c.change.frame0 >= 17 && c.change.frame1 <= 24);
    assert.ok(c.change.bin0 >= 8 && c.change.bin1 <= 13);
  }
  assert.ok(c.storedValues > 0);
});
