// Where a brush stroke on a mel sheet acts, and how strongly: a weight per cell, 1 in the hard
// centre of each dab falling to 0 at its radius along half a cosine (the soft edge).

/** A stroke: dabs at cell positions (fractional allowed), all the same shape. */
export interface BrushArea {
  /** Dab centres: frame (time) and bin (mel band). */
  readonly centres: readonly { readonly frame: number; readonly bin: number }[];
  /** Radius in bins; cells at or beyond it are untouched. */
  readonly radius: number;
  /** Radius in frames (default: `radius`), for a brush wider in time than in frequency. */
  readonly radiusFrames?: number;
  /** The part of the radius at full strength, 0..1 (default 0.5); 1 is a hard edge. */
  readonly hardness?: number;
  /** Edits of the same stroke id merge into one undo step (the dabs of one drag). */
  readonly strokeId?: string | number;
}

/** The weight at normalised distance d (0 centre, 1 radius). */
export function brushFalloff(d: number, hardness: number): number {
  if (d >= 1) return 0;
  if (d <= hardness) return 1;
  return 0.5 * (1 + Math.cos((Math.PI * (d - hardness)) / (1 - hardness)));
}

/**
 * Weight (0, 1] per cell the stroke touches, keyed by flat index f·bins + b; where dabs overlap
 * the stronger counts (a stroke does not pile up on itself).
 */
export function brushWeights(frames: number, bins: number, area: BrushArea): Map<number, number> {
  const rb = Math.max(1e-9, area.radius);
  const rf = Math.max(1e-9, area.radiusFrames ?? area.radius);
  const hardness = Math.min(1, Math.max(0, area.hardness ?? 0.5));
  const weights = new Map<number, number>();
  for (const { frame, bin } of area.centres) {
    const f0 = Math.max(0, Math.ceil(frame - rf));
    const f1 = Math.min(frames - 1, Math.floor(frame + rf));
    const b0 = Math.max(0, Math.ceil(bin - rb));
    const b1 = Math.min(bins - 1, Math.floor(bin + rb));
    for (let f = f0; f <= f1; f++) {
      const df = (f - frame) / rf;
      for (let b = b0; b <= b1; b++) {
        const db = (b - bin) / rb;
        const w = brushFalloff(Math.sqrt(df * df + db * db), hardness);
        if (w <= 0) continue;
        const i = f * bins + b;
        if (w > (weights.get(i) ?? 0)) weights.set(i, w);
      }
    }
  }
  return weights;
}
