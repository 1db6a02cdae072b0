// The editor's side of a mel sheet: the values in a typed array (edited in place by commands),
// the analysed original kept beside them for "reset", and the conversion from and back to the
// domain document.
import type { MelDocument, MelSheet } from '../../../main/contract/domain/index';

/**
 * The engine's log floor (main/engine/dsp/mel.ts: natural log of max(1e-5, magnitude)): the value
 * of silence, what erase and delete write, and the lowest a brush goes.
 */
export const MEL_FLOOR = Math.log(1e-5);

/** Natural-log change per dB of magnitude: 20·log10(m) dB ⇒ Δln m = ΔdB · ln(10) / 20. */
export const LN_PER_DB = Math.LN10 / 20;

/** Frame-major values: cell (frame f, bin b) is data[f·bins + b]. */
export interface MelGrid {
  readonly frames: number;
  readonly bins: number;
  readonly data: Float64Array;
}

/** The document's fields the editor does not edit, carried through unchanged. */
export type MelMeta = Omit<MelDocument, 'kind' | 'mel'>;

export interface MelModelOptions {
  /** The analysed sheet that "reset" returns to (default: the document as loaded). */
  original?: MelSheet;
  /** The log floor (default MEL_FLOOR). */
  floor?: number;
}

export class MelSheetModel implements MelGrid {
  readonly meta: MelMeta;
  readonly bins: number;
  readonly floor: number;
  readonly original: MelGrid;
  frames: number;
  /** Replaced (not resized) when a stretch changes the number of frames: read it afresh. */
  data: Float64Array;

  constructor(meta: MelMeta, sheet: MelGrid, options: { original?: MelGrid; floor?: number } = {}) {
    this.meta = meta;
    this.frames = sheet.frames;
    this.bins = sheet.bins;
    this.data = sheet.data;
    this.floor = options.floor ?? MEL_FLOOR;
    this.original = options.original ?? { frames: sheet.frames, bins: sheet.bins, data: sheet.data.slice() };
    if (this.original.bins !== this.bins) throw new Error(`the original mel sheet has ${this.original.bins} bins, the document ${this.bins}`);
  }

  static fromDocument(doc: MelDocument, options: MelModelOptions = {}): MelSheetModel {
    const { kind: _kind, mel, ...meta } = doc;
    const original = options.original ? toGrid(options.original) : undefined;
    return new MelSheetModel(meta, toGrid(mel), { original, floor: options.floor });
  }

  toDocument(): MelDocument {
    return { ...this.meta, kind: 'mel', mel: { frames: this.frames, bins: this.bins, data: Array.from(this.data) } };
  }

  value(frame: number, bin: number): number {
    return this.data[frame * this.bins + bin]!;
  }

  /** Replaces `remove` frames at `frame` with `insert` (whole frames, frame-major). For commands. */
  splice(frame: number, remove: number, insert: Float64Array): void {
    const b = this.bins;
    const added = insert.length / b;
    const out = new Float64Array((this.frames - remove + added) * b);
    out.set(this.data.subarray(0, frame * b), 0);
    out.set(insert, frame * b);
    out.set(this.data.subarray((frame + remove) * b), (frame + added) * b);
    this.data = out;
    this.frames = this.frames - remove + added;
  }
}

function toGrid(sheet: MelSheet): MelGrid {
  if (sheet.data.length !== sheet.frames * sheet.bins) throw new Error('mel data must hold frames × bins values');
  return { frames: sheet.frames, bins: sheet.bins, data: Float64Array.from(sheet.data) };
}
