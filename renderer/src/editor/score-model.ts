// The editor's side of a score: the document's notes with stable ids (a selection, a drag or an
// undo step names notes by id while their times and pitches change), and the conversion from and
// back to the domain document.
import type { Note, ScoreDocument } from '../../../main/contract/domain/index';
import type { TimeSignature } from './snap';

export type NoteId = string;

/** A note in the editor: the domain's fields, changed in place by commands, and an id. */
export interface EditorNote extends Note {
  readonly id: NoteId;
}

/** The document's fields the editor does not edit, carried through unchanged. */
export type ScoreMeta = Omit<ScoreDocument, 'kind' | 'notes' | 'tempo' | 'timeSignature'>;

export interface ScoreModelOptions {
  /** The shortest note an edit leaves (seconds; default 0.01). */
  minDuration?: number;
}

export const MAX_PITCH = 127;

export class ScoreModel {
  readonly meta: ScoreMeta;
  readonly minDuration: number;
  tempo: number;
  timeSignature: TimeSignature;
  private list: EditorNote[] = [];
  private readonly byId = new Map<NoteId, EditorNote>();
  private counter = 0;

  constructor(meta: ScoreMeta, options: ScoreModelOptions = {}, tempo = 120, timeSignature: TimeSignature = { beats: 4, unit: 4 }) {
    this.meta = meta;
    this.minDuration = options.minDuration ?? 0.01;
    this.tempo = tempo;
    this.timeSignature = { ...timeSignature };
  }

  static fromDocument(doc: ScoreDocument, options: ScoreModelOptions = {}): ScoreModel {
    const { kind: _kind, notes, tempo, timeSignature, ...meta } = doc;
    const model = new ScoreModel(meta, options, tempo, timeSignature);
    model.insert(notes.map((n, index) => ({ index, note: model.createNote(n) })));
    return model;
  }

  /** The domain document: notes in the editor's order, without ids. */
  toDocument(): ScoreDocument {
    return {
      ...this.meta,
      kind: 'score',
      notes: this.list.map((n) => ({ pitch: n.pitch, start: n.start, duration: n.duration, velocity: n.velocity })),
      tempo: this.tempo,
      timeSignature: { ...this.timeSignature },
    };
  }

  /** Every note, in document order. Read only: change notes through commands. */
  get notes(): readonly EditorNote[] {
    return this.list;
  }

  get size(): number {
    return this.list.length;
  }

  get(id: NoteId): EditorNote | undefined {
    return this.byId.get(id);
  }

  has(id: NoteId): boolean {
    return this.byId.has(id);
  }

  /** The notes of `ids` that exist, in the order given (duplicates once). */
  resolve(ids: Iterable<NoteId>): EditorNote[] {
    const seen = new Set<NoteId>();
    const out: EditorNote[] = [];
    for (const id of ids) {
      const note = this.byId.get(id);
      if (note && !seen.has(id)) {
        seen.add(id);
        out.push(note);
      }
    }
    return out;
  }

  /** A new note with a fresh id (not yet in the model); ids are never reused. */
  createNote(note: Note): EditorNote {
    return { id: `n${++this.counter}`, pitch: note.pitch, start: note.start, duration: note.duration, velocity: note.velocity };
  }

  /**
   * Puts notes back at their indices (ascending, as `remove` returned them) in one pass. For
   * commands: the same note objects go in and out, so a command may hold them.
   */
  insert(entries: readonly PlacedNote[]): void {
    if (entries.length === 0) return;
    const out: EditorNote[] = new Array(this.list.length + entries.length);
    let from = 0;
    let e = 0;
    for (let i = 0; i < out.length; i++) {
      const entry = entries[e];
      if (entry && entry.index === i) {
        out[i] = entry.note;
        this.byId.set(entry.note.id, entry.note);
        e++;
      } else {
        out[i] = this.list[from++]!;
      }
    }
    this.list = out;
  }

  /** Takes the notes out; returns them with the indices they had, ascending. */
  remove(notes: readonly EditorNote[]): PlacedNote[] {
    const gone = new Set(notes);
    const removed: PlacedNote[] = [];
    const kept: EditorNote[] = [];
    this.list.forEach((note, index) => {
      if (gone.has(note)) {
        removed.push({ index, note });
        this.byId.delete(note.id);
      } else {
        kept.push(note);
      }
    });
    this.list = kept;
    return removed;
  }
}

export interface PlacedNote {
  index: number;
  note: EditorNote;
}
