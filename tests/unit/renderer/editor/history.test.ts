// The undo history on a toy document: merging, gestures, redo, the step limit, the saved point
// and the events views subscribe to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { History, type Command, type HistoryEvent } from '../../../../renderer/src/editor/history';

interface Doc {
  values: Record<string, number>;
}

/** Sets doc.values[key]; same-key edits merge when asked to. */
class SetValue implements Command<string> {
  readonly label: string;
  readonly change: string;
  readonly mergeKey?: string;
  private readonly before: number;
  private after: number;
  constructor(private readonly doc: Doc, private readonly key: string, value: number, kind = 'set', mergeable = true) {
    this.label = `${kind} ${key}`;
    this.change = key;
    this.mergeKey = mergeable ? `${kind}:${key}` : undefined;
    this.before = doc.values[key] ?? 0;
    this.after = value;
  }

  do(): void {
    this.doc.values[this.key] = this.after;
  }

  undo(): void {
    this.doc.values[this.key] = this.before;
  }

  isNoop(): boolean {
    return this.before === this.after;
  }

  merge(next: Command<string>): boolean {
    if (!(next instanceof SetValue) || next.key !== this.key) return false;
    this.after = next.after;
    return true;
  }
}

function setup(options: ConstructorParameters<typeof History>[0] = {}) {
  let clock = 0;
  const doc: Doc = { values: {} };
  const history = new History<SetValue>({ now: () => clock, ...options });
  const set = (key: string, value: number, kind?: string, mergeable?: boolean) => history.execute(new SetValue(doc, key, value, kind, mergeable));
  const tick = (ms: number) => { clock += ms; };
  return { doc, history, set, tick };
}

test('undo and redo restore each state', () => {
  const { doc, history, set, tick } = setup();
  set('a', 1); tick(5000);
  set('b', 2); tick(5000);
  set('a', 3);
  assert.deepEqual(doc.values, { a: 3, b: 2 });
  assert.equal(history.undo(), true);
  assert.deepEqual(doc.values, { a: 1, b: 2 });
  history.undo();
  history.undo();
  assert.deepEqual(doc.values, { a: 0, b: 0 });
  assert.equal(history.undo(), false);
  assert.equal(history.canUndo, false);
  history.redo(); history.redo(); history.redo();
  assert.deepEqual(doc.values, { a: 3, b: 2 });
  assert.equal(history.redo(), false);
});

test('ten nudges within the window are one undo step; another kind breaks the merge', () => {
  const { doc, history, set, tick } = setup();
  for (let i = 1; i <= 10; i++) { set('x', i, 'move'); tick(200); }
  assert.equal(history.undoDepth, 1);
  set('x', 99, 'velocity');
  set('x', 11, 'move');
  assert.equal(history.undoDepth, 3);
  history.undo(); history.undo();
  assert.equal(doc.values.x, 10);
  history.undo();
  assert.equal(doc.values.x, 0);
});

test('edits further apart than the merge window, or on another target, stay separate', () => {
  const { history, set, tick } = setup({ mergeWindowMs: 500 });
  set('x', 1, 'move'); tick(600);
  set('x', 2, 'move');
  set('y', 1, 'move');
  set('y', 2, 'move', false);
  assert.equal(history.undoDepth, 4);
});

test('an edit that changes nothing is not recorded', () => {
  const { history, set } = setup();
  assert.equal(set('x', 0), false);
  assert.equal(history.canUndo, false);
  assert.equal(history.isDirty, false);
});

test('a drag is one undo step; cancelGroup restores the state before it', () => {
  const { doc, history, set } = setup();
  set('a', 1, 'draw');
  history.beginGroup('Drag');
  for (let i = 0; i < 30; i++) set(i % 2 ? 'a' : 'b', i, 'move');
  set('c', 7, 'velocity');
  assert.equal(history.canRedo, false);
  assert.equal(history.undoLabel, 'Drag');
  history.endGroup();
  assert.equal(history.undoDepth, 2);
  assert.deepEqual(doc.values, { a: 29, b: 28, c: 7 });
  history.undo();
  assert.deepEqual(doc.values, { a: 1, b: 0, c: 0 });
  history.redo();
  assert.deepEqual(doc.values, { a: 29, b: 28, c: 7 });

  history.beginGroup('Drag again');
  set('a', 100, 'move'); set('b', 200, 'move');
  history.cancelGroup();
  assert.deepEqual(doc.values, { a: 29, b: 28, c: 7 });
  assert.equal(history.undoDepth, 2);
  assert.equal(history.canRedo, false);
});

test('cancelling a gesture keeps the redo that was there; an empty gesture records nothing', () => {
  const { doc, history, set } = setup();
  set('a', 1);
  history.undo();
  history.beginGroup('Drag');
  set('a', 5);
  history.cancelGroup();
  assert.equal(history.canRedo, true);
  history.beginGroup('Click');
  history.endGroup();
  history.redo();
  assert.equal(doc.values.a, 1);
  assert.equal(history.undoDepth, 1);
});

test('undo during a gesture commits it first and undoes it whole', () => {
  const { doc, history, set } = setup();
  set('a', 1);
  history.beginGroup('Drag');
  set('a', 2, 'move'); set('b', 3, 'move');
  history.undo();
  assert.equal(history.inGroup, false);
  assert.deepEqual(doc.values, { a: 1, b: 0 });
  history.redo();
  assert.deepEqual(doc.values, { a: 2, b: 3 });
});

test('nested gestures: the outer one is the undo step', () => {
  const { doc, history, set } = setup();
  history.beginGroup('Outer');
  set('a', 1);
  history.beginGroup('Inner');
  set('b', 2);
  history.cancelGroup();
  history.beginGroup('Inner 2');
  set('c', 3);
  history.endGroup();
  history.endGroup();
  assert.deepEqual(doc.values, { a: 1, b: 0, c: 3 });
  assert.equal(history.undoDepth, 1);
  history.undo();
  assert.deepEqual(doc.values, { a: 0, b: 0, c: 0 });
});

test('a new edit clears redo', () => {
  const { history, set, tick } = setup();
  set('a', 1); tick(5000);
  set('a', 2); tick(5000);
  history.undo();
  assert.equal(history.canRedo, true);
  set('b', 1);
  assert.equal(history.canRedo, false);
  assert.equal(history.redo(), false);
});

test('after an undo a new edit does not merge into the step below', () => {
  const { history, set } = setup();
  set('x', 1, 'move');
  set('y', 1, 'move');
  history.undo();
  set('x', 2, 'move');
  assert.equal(history.undoDepth, 2);
});

test('at least 100 steps by default; beyond the limit the oldest drop off', () => {
  const { doc, history, set, tick } = setup();
  for (let i = 1; i <= 150; i++) { set('a', i); tick(5000); }
  assert.equal(history.limit, 100);
  assert.equal(history.undoDepth, 100);
  while (history.undo());
  assert.equal(doc.values.a, 50);

  const small = setup({ limit: 3 });
  for (let i = 1; i <= 5; i++) { small.set('a', i); small.tick(5000); }
  assert.equal(small.history.undoDepth, 3);
  while (small.history.undo());
  assert.equal(small.doc.values.a, 2);
});

test('the saved point survives undo and redo', () => {
  const { history, set, tick } = setup();
  assert.equal(history.isDirty, false);
  set('a', 1); tick(5000);
  set('a', 2); tick(5000);
  assert.equal(history.isDirty, true);
  history.markSaved();
  assert.equal(history.isDirty, false);
  history.undo();
  assert.equal(history.isDirty, true);
  history.redo();
  assert.equal(history.isDirty, false);
  history.undo(); history.undo();
  assert.equal(history.isDirty, true);
  history.redo(); history.redo();
  assert.equal(history.isDirty, false);
  set('a', 3); tick(5000);
  history.undo();
  assert.equal(history.isDirty, false, 'undoing back to the saved state is clean again');
});

test('a saved state the history can no longer reach stays dirty', () => {
  const { history, set, tick } = setup();
  set('a', 1); tick(5000);
  history.markSaved();
  history.undo();
  set('b', 1);
  assert.equal(history.isDirty, true);
  history.undo();
  assert.equal(history.isDirty, true, 'the saved step was replaced: nothing equals it now');
});

test('a saved point that dropped off the limit is never clean again', () => {
  const { history, set, tick } = setup({ limit: 3 });
  history.markSaved();
  for (let i = 1; i <= 5; i++) { set('a', i); tick(5000); }
  while (history.undo()) assert.equal(history.isDirty, true);
  assert.equal(history.isDirty, true);
});

test('a merge does not swallow the saved state', () => {
  const { history, set } = setup();
  set('x', 1, 'move');
  history.markSaved();
  set('x', 2, 'move');
  assert.equal(history.undoDepth, 2);
  assert.equal(history.isDirty, true);
  history.undo();
  assert.equal(history.isDirty, false);
});

test('a gesture in progress makes the document dirty; clear keeps the document as it is', () => {
  const { history, set } = setup();
  history.beginGroup('Drag');
  assert.equal(history.isDirty, false);
  set('a', 1);
  assert.equal(history.isDirty, true);
  history.endGroup();
  history.markSaved();
  history.clear();
  assert.equal(history.isDirty, false);
  assert.equal(history.canUndo, false);
  set('a', 2);
  history.clear();
  assert.equal(history.isDirty, true);
});

test('listeners hear what changed until they unsubscribe', () => {
  const { history, set } = setup();
  const events: HistoryEvent<SetValue>[] = [];
  const off = history.subscribe((e) => events.push(e));
  set('a', 1, 'move');
  set('a', 2, 'move');
  history.undo();
  history.redo();
  history.beginGroup('Drag');
  set('b', 1);
  history.cancelGroup();
  history.beginGroup('Drag');
  set('b', 2);
  history.endGroup();
  history.markSaved();
  assert.deepEqual(events.map((e) => [e.type, e.commands.map((c) => c.change), e.merged]), [
    ['do', ['a'], false], ['do', ['a'], true], ['undo', ['a'], false], ['redo', ['a'], false],
    ['do', ['b'], false], ['cancel', ['b'], false], ['do', ['b'], false], ['commit', [], false], ['saved', [], false],
  ]);
  assert.deepEqual(events.map((e) => e.isDirty), [true, true, false, true, true, true, true, true, false]);
  assert.equal(events[2]!.canRedo, true);
  off();
  set('c', 1);
  assert.equal(events.length, 9);
  const again = (e: HistoryEvent<SetValue>) => events.push(e);
  history.subscribe(again);
  history.unsubscribe(again);
  history.undo();
  assert.equal(events.length, 9);
});

test('labels name the step undo and redo would take', () => {
  const { history, set } = setup();
  set('a', 1, 'move');
  assert.equal(history.undoLabel, 'move a');
  history.undo();
  assert.equal(history.redoLabel, 'move a');
  assert.equal(history.undoLabel, undefined);
});
