// The before and after fields of a set of notes: what every score edit that changes notes in
// place stores (four numbers a note, not copies of the score), so undo restores exact values
// rather than applying an inverse delta that floating point would not bring back exactly.
import type { EditorNote } from './score-model';

export type NoteFields = readonly [pitch: number, start: number, duration: number, velocity: number];

const FIELDS = 4;

export class NotePatch {
  readonly notes: readonly EditorNote[];
  private readonly before: Float64Array;
  private after: Float64Array;

  /** Reads the notes' fields now and the fields `edit` gives each. */
  constructor(notes: readonly EditorNote[], edit: (note: EditorNote) => NoteFields) {
    this.notes = notes;
    this.before = new Float64Array(notes.length * FIELDS);
    this.after = new Float64Array(notes.length * FIELDS);
    notes.forEach((note, i) => {
      const o = i * FIELDS;
      this.before[o] = note.pitch;
      this.before[o + 1] = note.start;
      this.before[o + 2] = note.duration;
      this.before[o + 3] = note.velocity;
      this.after.set(edit(note), o);
    });
  }

  get isNoop(): boolean {
    for (let i = 0; i < this.before.length; i++) if (this.before[i] !== this.after[i]) return false;
    return true;
  }

  apply(): void {
    write(this.notes, this.after);
  }

  revert(): void {
    write(this.notes, this.before);
  }

  /** The same notes (in any order)? Only then can a later patch merge into this one. */
  sameNotes(other: NotePatch): boolean {
    if (other.notes.length !== this.notes.length) return false;
    if (other.notes.every((n, i) => n === this.notes[i])) return true;
    const mine = new Set(this.notes);
    return other.notes.every((n) => mine.has(n));
  }

  /** Takes `later`'s after-values (same notes) as this patch's: both edits as one. */
  absorb(later: NotePatch): void {
    if (later.notes.every((n, i) => n === this.notes[i])) {
      this.after = later.after.slice();
      return;
    }
    const at = new Map(this.notes.map((n, i) => [n, i]));
    later.notes.forEach((n, j) => this.after.set(later.after.subarray(j * FIELDS, j * FIELDS + FIELDS), at.get(n)! * FIELDS));
  }
}

function write(notes: readonly EditorNote[], values: Float64Array): void {
  notes.forEach((note, i) => {
    const o = i * FIELDS;
    note.pitch = values[o]!;
    note.start = values[o + 1]!;
    note.duration = values[o + 2]!;
    note.velocity = values[o + 3]!;
  });
}
