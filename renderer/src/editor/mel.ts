// Mel sheet edits as commands for the same history as the score: made and executed at once
// (`history.execute(brushStroke(model, area, +3))`). Each stores only the cells it changed
// (a CellPatch) or, for a time-stretch, only the frames it replaced. Values are natural-log mel
// magnitudes as the engine computes them; nothing goes below the model's floor.
import { brushWeights, type BrushArea } from './brush';
import { CellPatch } from './cell-patch';
import type { Command } from './history';
import { LN_PER_DB, type MelGrid, type MelSheetModel } from './mel-model';

/** A time × frequency rectangle in cells, half-open: frames [frame0, frame1), bins [bin0, bin1). */
export interface MelRect {
  readonly frame0: number;
  readonly frame1: number;
  readonly bin0: number;
  readonly bin1: number;
}

/**
 * What an edit touches: 'cells' changed values inside the rectangle; 'frames' replaced `removed`
 * frames at `frame0` by `inserted` (the other way round when undone), moving the frames after.
 */
export type MelChange =
  | ({ readonly kind: 'cells' } & MelRect)
  | { readonly kind: 'frames'; readonly frame0: number; readonly removed: number; readonly inserted: number };

export interface MelCommand extends Command<MelChange> {
  /** Numbers the command keeps for undo (values and indices): what 100 steps cost. */
  readonly storedValues: number;
}

/** Values cut out of a sheet (Ctrl+C), frame-major. */
export type MelClip = MelGrid;

class CellsCommand implements MelCommand {
  constructor(private readonly model: MelSheetModel, readonly label: string, readonly mergeKey: string | undefined, private patch: CellPatch) {}

  get change(): MelChange {
    return { kind: 'cells', ...(this.patch.bounds(this.model.bins) ?? { frame0: 0, frame1: 0, bin0: 0, bin1: 0 }) };
  }

  get storedValues(): number {
    return this.patch.size * 3;
  }

  do(): void {
    this.patch.apply(this.model.data);
  }

  undo(): void {
    this.patch.revert(this.model.data);
  }

  isNoop(): boolean {
    return this.patch.size === 0;
  }

  merge(next: Command<MelChange>): boolean {
    if (!(next instanceof CellsCommand) || next.mergeKey !== this.mergeKey || next.model !== this.model) return false;
    this.patch = this.patch.followedBy(next.patch);
    return true;
  }
}

class SpliceFramesCommand implements MelCommand {
  readonly label = 'Stretch';
  readonly change: MelChange;
  constructor(private readonly model: MelSheetModel, private readonly frame0: number, private readonly removed: Float64Array, private readonly inserted: Float64Array) {
    const b = model.bins;
    this.change = { kind: 'frames', frame0, removed: removed.length / b, inserted: inserted.length / b };
  }

  get storedValues(): number {
    return this.removed.length + this.inserted.length;
  }

  do(): void {
    this.model.splice(this.frame0, this.removed.length / this.model.bins, this.inserted);
  }

  undo(): void {
    this.model.splice(this.frame0, this.inserted.length / this.model.bins, this.removed);
  }

  isNoop(): boolean {
    return this.removed.length === this.inserted.length && this.removed.every((v, i) => v === this.inserted[i]);
  }
}

/** Raises (dB > 0) or lowers (dB < 0) the energy under the stroke, the soft edge by less. */
export function brushStroke(model: MelSheetModel, area: BrushArea, db: number): MelCommand {
  const delta = db * LN_PER_DB;
  return weighted(model, area, db >= 0 ? 'Brush up' : 'Brush down', 'brush', (v, w) => Math.max(model.floor, v + w * delta));
}

/** Takes the energy under the stroke down to the floor (silence), the soft edge part way. */
export function eraseStroke(model: MelSheetModel, area: BrushArea): MelCommand {
  return weighted(model, area, 'Erase', 'erase', (v, w) => v + w * (model.floor - v));
}

/**
 * Blurs under the stroke: each cell towards the mean of its (2·kernel + 1)² neighbourhood, read
 * before the stroke, by `strength` (0..1) times the brush weight.
 */
export function smoothStroke(model: MelSheetModel, area: BrushArea, options: { kernel?: number; strength?: number } = {}): MelCommand {
  const k = Math.max(1, Math.round(options.kernel ?? 1));
  const strength = Math.min(1, Math.max(0, options.strength ?? 1));
  const { frames, bins, data } = model;
  return weighted(model, area, 'Smooth', 'smooth', (v, w, i) => {
    const f = Math.floor(i / bins);
    const b = i % bins;
    let sum = 0;
    let n = 0;
    for (let ff = Math.max(0, f - k); ff <= Math.min(frames - 1, f + k); ff++) {
      for (let bb = Math.max(0, b - k); bb <= Math.min(bins - 1, b + k); bb++) {
        sum += data[ff * bins + bb]!;
        n++;
      }
    }
    return v + w * strength * (sum / n - v);
  });
}

/** Brings the cells under the stroke back towards the analysed original. */
export function restoreStroke(model: MelSheetModel, area: BrushArea): MelCommand {
  const { original, bins } = model;
  return weighted(model, area, 'Restore', 'restore', (v, w, i) => (i < original.frames * bins ? v + w * (original.data[i]! - v) : v));
}

/** The cells of `rect` as a clip (not an edit). */
export function copyRegion(model: MelSheetModel, rect: MelRect): MelClip {
  const r = clipRect(model, rect);
  const frames = r.frame1 - r.frame0;
  const bins = r.bin1 - r.bin0;
  const data = new Float64Array(frames * bins);
  for (let f = 0; f < frames; f++) data.set(model.data.subarray((r.frame0 + f) * model.bins + r.bin0, (r.frame0 + f) * model.bins + r.bin1), f * bins);
  return { frames, bins, data };
}

/** Writes the clip with its first cell at (frame, bin); what falls off the sheet is dropped. */
export function pasteRegion(model: MelSheetModel, clip: MelClip, at: { frame: number; bin: number }): MelCommand {
  const frame = Math.round(at.frame);
  const bin = Math.round(at.bin);
  const r = clipRect(model, { frame0: frame, frame1: frame + clip.frames, bin0: bin, bin1: bin + clip.bins });
  return rectEdit(model, r, 'Paste', (f, b) => clip.data[(f - frame) * clip.bins + (b - bin)]!);
}

/** Delete: the rectangle to the floor. */
export function deleteRegion(model: MelSheetModel, rect: MelRect): MelCommand {
  return rectEdit(model, clipRect(model, rect), 'Delete', () => model.floor);
}

/** Back to the analysed original inside the rectangle (frames beyond the original's end stay). */
export function resetRegion(model: MelSheetModel, rect: MelRect): MelCommand {
  const { original } = model;
  const r = clipRect(model, { ...rect, frame1: Math.min(rect.frame1, original.frames) });
  return rectEdit(model, r, 'Reset to original', (f, b) => original.data[f * original.bins + b]!);
}

/**
 * Moves the rectangle's content up (bands > 0, higher bins) or down by whole bins, as dragging a
 * selection would: what leaves the sheet is lost, the cells it leaves go to the floor.
 */
export function shiftRegion(model: MelSheetModel, rect: MelRect, bands: number): MelCommand {
  const s = Math.round(bands);
  const r = clipRect(model, rect);
  const touched = clipRect(model, { frame0: r.frame0, frame1: r.frame1, bin0: Math.min(r.bin0, r.bin0 + s), bin1: Math.max(r.bin1, r.bin1 + s) });
  const { data, bins, floor } = model;
  return rectEdit(model, touched, s >= 0 ? 'Shift up' : 'Shift down', (f, b) => {
    const src = b - s;
    if (src >= r.bin0 && src < r.bin1) return data[f * bins + src]!;
    return b >= r.bin0 && b < r.bin1 ? floor : data[f * bins + b]!;
  });
}

/**
 * Stretches frames [frame0, frame1) in time to `frames` frames by linear interpolation (first
 * and last frames kept), over every bin; the sheet grows or shrinks by the difference.
 */
export function stretchRegion(model: MelSheetModel, range: { frame0: number; frame1: number }, frames: number): MelCommand {
  const f0 = clampInt(range.frame0, 0, model.frames);
  const f1 = clampInt(range.frame1, f0, model.frames);
  const length = f1 - f0;
  const n = length === 0 ? 0 : Math.max(0, Math.round(frames));
  const bins = model.bins;
  const removed = model.data.slice(f0 * bins, f1 * bins);
  const inserted = new Float64Array(n * bins);
  for (let j = 0; j < n; j++) {
    const s = n === 1 ? (length - 1) / 2 : (j * (length - 1)) / (n - 1);
    const i0 = Math.floor(s);
    const i1 = Math.min(length - 1, i0 + 1);
    const t = s - i0;
    for (let b = 0; b < bins; b++) {
      const a = removed[i0 * bins + b]!;
      inserted[j * bins + b] = t === 0 ? a : a + (removed[i1 * bins + b]! - a) * t;
    }
  }
  return new SpliceFramesCommand(model, f0, removed, inserted);
}

/** The cells of `patch` set (and put back on undo), as one command that never merges. */
export function patchCommand(model: MelSheetModel, label: string, patch: CellPatch): MelCommand {
  return new CellsCommand(model, label, undefined, patch);
}

function weighted(model: MelSheetModel, area: BrushArea, label: string, kind: string, edit: (v: number, w: number, index: number) => number): MelCommand {
  const data = model.data;
  const changes = new Map<number, number>();
  for (const [i, w] of brushWeights(model.frames, model.bins, area)) changes.set(i, edit(data[i]!, w, i));
  const mergeKey = area.strokeId === undefined ? undefined : `${kind}:${area.strokeId}`;
  return new CellsCommand(model, label, mergeKey, CellPatch.fromMap(data, changes));
}

function rectEdit(model: MelSheetModel, r: MelRect, label: string, value: (frame: number, bin: number) => number): MelCommand {
  const count = Math.max(0, (r.frame1 - r.frame0) * (r.bin1 - r.bin0));
  const indices = new Uint32Array(count);
  const values = new Float64Array(count);
  let k = 0;
  for (let f = r.frame0; f < r.frame1; f++) {
    for (let b = r.bin0; b < r.bin1; b++) {
      indices[k] = f * model.bins + b;
      values[k++] = value(f, b);
    }
  }
  return patchCommand(model, label, CellPatch.of(model.data, indices, values));
}

/** The rectangle within the sheet, in whole cells (a partly covered cell counts). */
function clipRect(grid: { frames: number; bins: number }, r: MelRect): MelRect {
  const frame0 = clampInt(Math.floor(Math.min(r.frame0, r.frame1)), 0, grid.frames);
  const frame1 = clampInt(Math.ceil(Math.max(r.frame0, r.frame1)), frame0, grid.frames);
  const bin0 = clampInt(Math.floor(Math.min(r.bin0, r.bin1)), 0, grid.bins);
  const bin1 = clampInt(Math.ceil(Math.max(r.bin0, r.bin1)), bin0, grid.bins);
  return { frame0, frame1, bin0, bin1 };
}

function clampInt(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Math.round(v)));
}
