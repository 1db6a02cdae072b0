// Which notes are selected. Not an edit: selecting never enters the undo history.
import type { EditorNote, NoteId, ScoreModel } from './score-model';

export type Selection = ReadonlySet<NoteId>;

/** A rubber band on the piano roll: [start, end) seconds × [low, high] pitches (inclusive). */
export interface NoteBox {
  start: number;
  end: number;
  low: number;
  high: number;
}

/**
 * The notes in the box: those that overlap it in time (default, as a piano roll's rubber band),
 * or with `contain` only those wholly inside.
 */
export function selectInBox(model: ScoreModel, box: NoteBox, mode: 'overlap' | 'contain' = 'overlap'): Set<NoteId> {
  const t0 = Math.min(box.start, box.end);
  const t1 = Math.max(box.start, box.end);
  const p0 = Math.min(box.low, box.high);
  const p1 = Math.max(box.low, box.high);
  const out = new Set<NoteId>();
  for (const n of model.notes) {
    if (n.pitch < p0 || n.pitch > p1) continue;
    const end = n.start + n.duration;
    const inside = mode === 'contain' ? n.start >= t0 && end <= t1 : n.start < t1 && (end > t0 || (n.duration === 0 && n.start >= t0));
    if (inside) out.add(n.id);
  }
  return out;
}

export function selectAll(model: ScoreModel): Set<NoteId> {
  return new Set(model.notes.map((n) => n.id));
}

/** The selection without notes that no longer exist (after an undo removed them). */
export function pruneSelection(model: ScoreModel, selection: Selection): Set<NoteId> {
  return new Set([...selection].filter((id) => model.has(id)));
}

/** Shift-click: adds the notes not selected, removes those that were. */
export function toggleSelection(selection: Selection, ids: Iterable<NoteId>): Set<NoteId> {
  const out = new Set(selection);
  for (const id of ids) {
    if (out.has(id)) out.delete(id);
    else out.add(id);
  }
  return out;
}

/** The selected notes' time and pitch extent, or undefined for none. */
export function selectionBounds(model: ScoreModel, selection: Selection): { start: number; end: number; low: number; high: number } | undefined {
  const notes: EditorNote[] = model.resolve(selection);
  if (notes.length === 0) return undefined;
  let start = Infinity, end = -Infinity, low = Infinity, high = -Infinity;
  for (const n of notes) {
    start = Math.min(start, n.start);
    end = Math.max(end, n.start + n.duration);
    low = Math.min(low, n.pitch);
    high = Math.max(high, n.pitch);
  }
  return { start, end, low, high };
}
