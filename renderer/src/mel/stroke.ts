// A brush stroke as the pointer draws it: dabs are added as the pointer moves, and each move
// becomes a small command (only the cells whose brush weight grew) for the history's open group,
// so the whole stroke is one undo step and Escape takes it back. The weight a cell gets is the
// strongest of the dabs over it, applied to its value before the stroke — the stroke never piles
// up on itself however slowly it is drawn — with the same formulas and the same soft edge as the
// editor's single-area commands (renderer/src/editor/mel.ts), so a one-dab stroke equals them.
import { brushWeights, CellPatch, LN_PER_DB, patchCommand, type MelCommand, type MelSheetModel } from '../editor/index';

export type StrokeTool = 'raise' | 'lower' | 'erase' | 'smooth' | 'restore';

export interface StrokeOptions {
  /** Radius in bins (mel bands). */
  radius: number;
  /** Radius in frames (default: radius). */
  radiusFrames?: number;
  /** The part of the radius at full strength, 0..1 (1: hard edge). */
  hardness: number;
  /** dB the raise and lower brushes move by at full strength (its sign is the tool's). */
  db: number;
  /** Smooth: the neighbourhood's half size in cells (default 1) and strength 0..1 (default 1). */
  kernel?: number;
  strength?: number;
}

const LABELS: Record<StrokeTool, string> = { raise: 'Brush up', lower: 'Brush down', erase: 'Erase', smooth: 'Smooth', restore: 'Restore' };

export function strokeLabel(tool: StrokeTool): string {
  return LABELS[tool];
}

export class BrushStroke {
  /** Weight so far per cell (flat index), and the cell's value before the stroke. */
  private readonly weights = new Map<number, number>();
  private readonly before = new Map<number, number>();
  private last: { frame: number; bin: number } | null = null;
  readonly label: string;

  constructor(private readonly model: MelSheetModel, readonly tool: StrokeTool, private readonly options: StrokeOptions) {
    this.label = LABELS[tool];
  }

  /** Dab spacing in units of the radius: close enough that the edge of a drag is smooth. */
  static readonly SPACING = 0.25;

  /**
   * The pointer reached (frame, bin): dabs along the way from the last point (or one dab, the
   * first time). Returns the command to execute, or null when no cell's weight grew.
   */
  moveTo(frame: number, bin: number): MelCommand | null {
    const centres: { frame: number; bin: number }[] = [];
    const rf = Math.max(1e-6, this.options.radiusFrames ?? this.options.radius);
    const rb = Math.max(1e-6, this.options.radius);
    const last = this.last;
    if (!last) {
      centres.push({ frame, bin });
    } else {
      const dist = Math.hypot((frame - last.frame) / rf, (bin - last.bin) / rb);
      const steps = Math.ceil(dist / BrushStroke.SPACING);
      for (let i = 1; i <= steps; i++) centres.push({ frame: last.frame + ((frame - last.frame) * i) / steps, bin: last.bin + ((bin - last.bin) * i) / steps });
    }
    this.last = { frame, bin };
    if (centres.length === 0) return null;
    return this.apply(brushWeights(this.model.frames, this.model.bins, { centres, radius: rb, radiusFrames: rf, hardness: this.options.hardness }));
  }

  /** Cells the stroke has touched so far. */
  get cells(): number {
    return this.weights.size;
  }

  private apply(dab: Map<number, number>): MelCommand | null {
    const model = this.model;
    const data = model.data;
    const grown: number[] = [];
    for (const [i, w] of dab) {
      if (w > (this.weights.get(i) ?? 0)) grown.push(i);
    }
    if (grown.length === 0) return null;
    grown.sort((a, b) => a - b);
    for (const i of grown) if (!this.before.has(i)) this.before.set(i, data[i]!);
    const values = new Float64Array(grown.length);
    const edit = this.editor();
    for (let j = 0; j < grown.length; j++) {
      const i = grown[j]!;
      const w = dab.get(i)!;
      values[j] = edit(this.before.get(i)!, w, i);
    }
    for (const i of grown) this.weights.set(i, dab.get(i)!);
    const patch = CellPatch.of(data, grown, values);
    return patch.size === 0 ? null : patchCommand(model, this.label, patch);
  }

  /** The value of cell i from its value before the stroke and the stroke's weight there. */
  private editor(): (v: number, w: number, i: number) => number {
    const model = this.model;
    const floor = model.floor;
    switch (this.tool) {
      case 'raise':
      case 'lower': {
        const delta = (this.tool === 'raise' ? 1 : -1) * Math.abs(this.options.db) * LN_PER_DB;
        return (v, w) => Math.max(floor, v + w * delta);
      }
      case 'erase':
        return (v, w) => v + w * (floor - v);
      case 'restore': {
        const { original, bins } = model;
        return (v, w, i) => (i < original.frames * bins ? v + w * (original.data[i]! - v) : v);
      }
      case 'smooth': {
        const k = Math.max(1, Math.round(this.options.kernel ?? 1));
        const strength = Math.min(1, Math.max(0, this.options.strength ?? 1));
        const { frames, bins, data } = model;
        // The neighbourhood as it was before the stroke: cells smoothed already read their old value.
        const at = (j: number): number => this.before.get(j) ?? data[j]!;
        return (v, w, i) => {
          const f = Math.floor(i / bins);
          const b = i % bins;
          let sum = 0;
          let n = 0;
          for (let ff = Math.max(0, f - k); ff <= Math.min(frames - 1, f + k); ff++) {
            for (let bb = Math.max(0, b - k); bb <= Math.min(bins - 1, b + k); bb++) {
              sum += at(ff * bins + bb);
              n++;
            }
          }
          return v + w * strength * (sum / n - v);
        };
      }
    }
  }
}
