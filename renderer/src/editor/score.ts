// Score edits as commands for the history: each is made and executed at once
// (`history.execute(moveNotes(model, ids, { time: 0.25 }))`), stores only what it changes, and
// clamps to what a note may be (pitch 0..127, start ≥ 0, duration ≥ the model's minimum,
// velocity 0..1). Moves and transposes clamp the whole selection's delta, so chords keep shape.
import type { Note } from '../../../main/contract/domain/index';
import type { Command } from './history';
import { NotePatch, type NoteFields } from './note-patch';
import { MAX_PITCH, type EditorNote, type NoteId, type PlacedNote, type ScoreModel } from './score-model';
import { quantize, snapSeconds, type SnapValue, type TimeSignature } from './snap';

/**
 * What an edit touches: 'notes' changed fields of `ids`; 'add'/'delete' brought or took `ids`
 * (the other way round when undone); 'tempo' (and the notes rescaled with it); 'timeSignature'.
 */
export interface ScoreChange {
  readonly kind: 'notes' | 'add' | 'delete' | 'tempo' | 'timeSignature';
  readonly ids: readonly NoteId[];
}

export type ScoreCommand = Command<ScoreChange>;

/** Notes on the clipboard: starts relative to the earliest copied note. */
export interface NoteClip {
  readonly notes: readonly Note[];
}

/** Edits that change fields of notes in place; repeated ones on the same notes merge. */
class NoteFieldsCommand implements ScoreCommand {
  readonly change: ScoreChange;
  constructor(readonly label: string, readonly mergeKey: string | undefined, private readonly patch: NotePatch) {
    this.change = { kind: 'notes', ids: patch.notes.map((n) => n.id) };
  }

  do(): void {
    this.patch.apply();
  }

  undo(): void {
    this.patch.revert();
  }

  isNoop(): boolean {
    return this.patch.isNoop;
  }

  merge(next: Command<ScoreChange>): boolean {
    if (!(next instanceof NoteFieldsCommand) || next.mergeKey !== this.mergeKey || !this.patch.sameNotes(next.patch)) return false;
    this.patch.absorb(next.patch);
    return true;
  }
}

/** Adds notes (new ids, kept through undo and redo so a selection of them stays valid). */
export class AddNotesCommand implements ScoreCommand {
  readonly change: ScoreChange;
  private readonly placed: PlacedNote[];
  constructor(private readonly model: ScoreModel, readonly label: string, readonly notes: readonly EditorNote[]) {
    this.placed = notes.map((note, i) => ({ index: model.size + i, note }));
    this.change = { kind: 'add', ids: notes.map((n) => n.id) };
  }

  /** The new notes' ids: what a paste or a duplicate selects. */
  get ids(): readonly NoteId[] {
    return this.change.ids;
  }

  do(): void {
    this.model.insert(this.placed);
  }

  undo(): void {
    this.model.remove(this.notes);
  }

  isNoop(): boolean {
    return this.notes.length === 0;
  }
}

class DeleteNotesCommand implements ScoreCommand {
  readonly label = 'Delete notes';
  readonly change: ScoreChange;
  private placed: PlacedNote[] = [];
  constructor(private readonly model: ScoreModel, private readonly notes: readonly EditorNote[]) {
    this.change = { kind: 'delete', ids: notes.map((n) => n.id) };
  }

  do(): void {
    this.placed = this.model.remove(this.notes);
  }

  undo(): void {
    this.model.insert(this.placed);
  }

  isNoop(): boolean {
    return this.notes.length === 0;
  }
}

class TempoCommand implements ScoreCommand {
  readonly label = 'Set tempo';
  readonly mergeKey = 'tempo';
  readonly change: ScoreChange;
  constructor(private readonly model: ScoreModel, private readonly before: number, private after: number, private readonly patch: NotePatch) {
    this.change = { kind: 'tempo', ids: patch.notes.map((n) => n.id) };
  }

  do(): void {
    this.model.tempo = this.after;
    this.patch.apply();
  }

  undo(): void {
    this.model.tempo = this.before;
    this.patch.revert();
  }

  isNoop(): boolean {
    return this.before === this.after && this.patch.isNoop;
  }

  merge(next: Command<ScoreChange>): boolean {
    if (!(next instanceof TempoCommand) || !this.patch.sameNotes(next.patch)) return false;
    this.after = next.after;
    this.patch.absorb(next.patch);
    return true;
  }
}

class TimeSignatureCommand implements ScoreCommand {
  readonly label = 'Set time signature';
  readonly change: ScoreChange = { kind: 'timeSignature', ids: [] };
  constructor(private readonly model: ScoreModel, private readonly before: TimeSignature, private readonly after: TimeSignature) {}

  do(): void {
    this.model.timeSignature = { ...this.after };
  }

  undo(): void {
    this.model.timeSignature = { ...this.before };
  }

  isNoop(): boolean {
    return this.before.beats === this.after.beats && this.before.unit === this.after.unit;
  }
}

/** Adds notes (clamped to valid values). `.ids` names the new notes. */
export function addNotes(model: ScoreModel, notes: readonly Note[], label = 'Add notes'): AddNotesCommand {
  return new AddNotesCommand(model, label, notes.map((n) => model.createNote(sanitize(model, n))));
}

export function deleteNotes(model: ScoreModel, ids: Iterable<NoteId>): ScoreCommand {
  return new DeleteNotesCommand(model, model.resolve(ids));
}

/** Moves notes by `time` seconds and `pitch` semitones; repeated moves of the same notes merge. */
export function moveNotes(model: ScoreModel, ids: Iterable<NoteId>, delta: { time?: number; pitch?: number }): ScoreCommand {
  const notes = model.resolve(ids);
  const dt = clampTimeDelta(notes, delta.time ?? 0);
  const dp = clampPitchDelta(notes, delta.pitch ?? 0);
  return fields(notes, 'Move notes', 'move', (n) => [n.pitch + dp, n.start + dt, n.duration, n.velocity]);
}

/** Shifts notes `semitones` (↑/↓: ±1, Ctrl+↑/↓: ±12); repeated transposes merge. */
export function transposeNotes(model: ScoreModel, ids: Iterable<NoteId>, semitones: number): ScoreCommand {
  const notes = model.resolve(ids);
  const dp = clampPitchDelta(notes, semitones);
  return fields(notes, 'Transpose', 'transpose', (n) => [n.pitch + dp, n.start, n.duration, n.velocity]);
}

export function transposeOctave(model: ScoreModel, ids: Iterable<NoteId>, octaves: number): ScoreCommand {
  return transposeNotes(model, ids, 12 * octaves);
}

/**
 * Moves one edge of each note by `delta` seconds: 'end' lengthens or shortens (Alt+←/→),
 * 'start' moves the start and keeps the end. Each note keeps at least the minimum duration.
 */
export function resizeNotes(model: ScoreModel, ids: Iterable<NoteId>, edge: 'start' | 'end', delta: number): ScoreCommand {
  const min = model.minDuration;
  return fields(model.resolve(ids), 'Resize notes', `resize-${edge}`, (n) => {
    if (edge === 'end') return [n.pitch, n.start, Math.max(min, n.duration + delta), n.velocity];
    const end = n.start + n.duration;
    const start = Math.min(Math.max(0, n.start + delta), Math.max(0, end - min));
    return [n.pitch, start, Math.max(min, end - start), n.velocity];
  });
}

/** Sets every note's velocity to `velocity` (0..1). Merges with other velocity edits. */
export function setVelocity(model: ScoreModel, ids: Iterable<NoteId>, velocity: number): ScoreCommand {
  const v = clamp(velocity, 0, 1);
  return fields(model.resolve(ids), 'Set velocity', 'velocity', (n) => [n.pitch, n.start, n.duration, v]);
}

/** Adds `delta` to each note's velocity (wheel in the velocity lane). Merges with other velocity edits. */
export function changeVelocity(model: ScoreModel, ids: Iterable<NoteId>, delta: number): ScoreCommand {
  return fields(model.resolve(ids), 'Set velocity', 'velocity', (n) => [n.pitch, n.start, n.duration, clamp(n.velocity + delta, 0, 1)]);
}

export interface QuantizeOptions {
  snap: SnapValue;
  /** Move starts to the grid (default true). */
  start?: boolean;
  /** Make durations whole grid steps, at least one (default false). */
  length?: boolean;
  /** How far towards the grid, 0..1 (default 1). */
  strength?: number;
}

/** Q: starts and/or lengths to the grid of `snap` at the score's tempo. */
export function quantizeNotes(model: ScoreModel, ids: Iterable<NoteId>, options: QuantizeOptions): ScoreCommand {
  const step = snapSeconds(options.snap, model.tempo);
  const { start = true, length = false, strength = 1 } = options;
  const min = model.minDuration;
  return fields(model.resolve(ids), 'Quantize', undefined, (n) => {
    const s = start ? Math.max(0, quantize(n.start, step, 'nearest', strength)) : n.start;
    let d = n.duration;
    if (length && step !== null) d = Math.max(step, quantize(d, step, 'nearest', strength));
    return [n.pitch, s, Math.max(min, d), n.velocity];
  });
}

/** Ctrl+D: copies of the notes placed `offset` seconds later (default: right after them). */
export function duplicateNotes(model: ScoreModel, ids: Iterable<NoteId>, offset?: number): AddNotesCommand {
  const notes = model.resolve(ids);
  const span = bounds(notes);
  const shift = offset ?? (span ? span.end - span.start : 0);
  return addNotes(model, notes.map((n) => ({ ...plain(n), start: n.start + shift })), 'Duplicate notes');
}

/** The notes as a clip, their starts relative to the earliest (Ctrl+C); not an edit. */
export function copyNotes(model: ScoreModel, ids: Iterable<NoteId>): NoteClip {
  const notes = model.resolve(ids);
  const origin = bounds(notes)?.start ?? 0;
  return { notes: notes.map((n) => ({ ...plain(n), start: n.start - origin })) };
}

/** Ctrl+V: the clip's notes placed from `at` seconds. `.ids` names the pasted notes. */
export function pasteNotes(model: ScoreModel, clip: NoteClip, at: number): AddNotesCommand {
  return addNotes(model, clip.notes.map((n) => ({ ...n, start: n.start + at })), 'Paste');
}

/**
 * Sets the tempo (quarter notes per minute, clamped to 1..1000). With `keepBeats` (default, as a
 * DAW does) notes stay on their beats, so their times in seconds scale; without, they stay put.
 */
export function setTempo(model: ScoreModel, tempo: number, options: { keepBeats?: boolean } = {}): ScoreCommand {
  const after = clamp(tempo, 1, 1000);
  const ratio = model.tempo / after;
  const notes = options.keepBeats === false || ratio === 1 ? [] : model.notes.slice();
  const min = model.minDuration;
  const patch = new NotePatch(notes, (n) => [n.pitch, n.start * ratio, Math.max(Math.min(min, n.duration), n.duration * ratio), n.velocity]);
  return new TempoCommand(model, model.tempo, after, patch);
}

export function setTimeSignature(model: ScoreModel, timeSignature: TimeSignature): ScoreCommand {
  const beats = clamp(Math.round(timeSignature.beats), 1, 32);
  if (![2, 4, 8, 16].includes(timeSignature.unit)) throw new Error(`time signature unit must be 2, 4, 8 or 16, not ${timeSignature.unit}`);
  return new TimeSignatureCommand(model, { ...model.timeSignature }, { beats, unit: timeSignature.unit });
}

function fields(notes: readonly EditorNote[], label: string, mergeKey: string | undefined, edit: (n: EditorNote) => NoteFields): ScoreCommand {
  return new NoteFieldsCommand(label, mergeKey, new NotePatch(notes, edit));
}

/** The pitch delta that keeps every note within 0..127. */
function clampPitchDelta(notes: readonly EditorNote[], delta: number): number {
  let lo = MAX_PITCH;
  let hi = 0;
  for (const n of notes) {
    if (n.pitch < lo) lo = n.pitch;
    if (n.pitch > hi) hi = n.pitch;
  }
  return notes.length === 0 ? 0 : clamp(Math.round(delta), -lo, MAX_PITCH - hi);
}

/** The time delta that keeps every start ≥ 0. */
function clampTimeDelta(notes: readonly EditorNote[], delta: number): number {
  let first = Infinity;
  for (const n of notes) if (n.start < first) first = n.start;
  return notes.length === 0 ? 0 : Math.max(delta, -first);
}

function bounds(notes: readonly EditorNote[]): { start: number; end: number } | undefined {
  if (notes.length === 0) return undefined;
  let start = Infinity;
  let end = -Infinity;
  for (const n of notes) {
    start = Math.min(start, n.start);
    end = Math.max(end, n.start + n.duration);
  }
  return { start, end };
}

function sanitize(model: ScoreModel, n: Note): Note {
  return {
    pitch: clamp(Math.round(n.pitch), 0, MAX_PITCH),
    start: Math.max(0, n.start),
    duration: Math.max(model.minDuration, n.duration),
    velocity: clamp(n.velocity, 0, 1),
  };
}

function plain(n: EditorNote): Note {
  return { pitch: n.pitch, start: n.start, duration: n.duration, velocity: n.velocity };
}

function clamp(v: number, lo: number, hi: number): number {
  return Number.isNaN(v) ? lo : Math.min(hi, Math.max(lo, v));
}
