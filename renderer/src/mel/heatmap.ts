// The mel sheet as pixels: a fixed dB colour scale (so an edit never recolours cells it did not
// touch), the colour map, the bookkeeping of which cells changed since the last paint, and a cache
// of image tiles (one pixel per cell) that repaints only those cells. The surfaces the tiles paint
// into are supplied by the caller (an ImageData and a canvas in the browser, plain arrays in
// tests), so all of this is plain TypeScript.

/** dB of magnitude per natural-log unit: 20·log10(e^v) = v · 20 / ln 10. */
export const DB_PER_LN = 20 / Math.LN10;

export function lnToDb(v: number): number {
  return v * DB_PER_LN;
}

export function dbToLn(db: number): number {
  return db / DB_PER_LN;
}

/** Colours span [topDb − rangeDb, topDb]: quieter is the darkest colour, louder the brightest. */
export interface HeatScale {
  readonly topDb: number;
  readonly rangeDb: number;
}

/** The ranges offered, in dB. */
export const RANGES_DB = [60, 80, 100, 120] as const;

/**
 * The scale for a sheet: the top a little above its loudest cell (rounded up to 5 dB, with 6 dB of
 * headroom for brushing up), `rangeDb` below it. Fixed for the document's session: the colours of
 * cells an edit did not touch never change.
 */
export function scaleFor(grid: { readonly data: ArrayLike<number> }, rangeDb = 80): HeatScale {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < grid.data.length; i++) {
    const v = grid.data[i]!;
    if (v > max) max = v;
  }
  const top = Number.isFinite(max) ? Math.ceil((lnToDb(max) + 6) / 5) * 5 : 0;
  return { topDb: top, rangeDb };
}

/**
 * Colour-map stops (magma-like; the Datasets inspector's map too): even steps in lightness, readable
 * for the colour-blind, silence dark and loud pale yellow as in every spectrogram a person has seen.
 */
const STOPS: readonly (readonly [number, number, number])[] = [
  [0, 0, 4],
  [28, 16, 68],
  [79, 18, 123],
  [129, 37, 129],
  [181, 54, 122],
  [229, 80, 100],
  [251, 135, 97],
  [254, 194, 135],
  [252, 253, 191],
];

export const LUT_SIZE = 256;

/** The colour at t ∈ [0, 1] of the map, as RGB 0..255. */
export function mapColour(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
  const k = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - k;
  const a = STOPS[k]!;
  const b = STOPS[k + 1]!;
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

/** LUT_SIZE opaque colours packed as an ImageData's Uint32 view reads them (little-endian RGBA). */
export function colourLut(): Uint32Array {
  const lut = new Uint32Array(LUT_SIZE);
  for (let i = 0; i < LUT_SIZE; i++) {
    const [r, g, b] = mapColour(i / (LUT_SIZE - 1));
    lut[i] = ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
  }
  return lut;
}

/** The LUT entry of a natural-log value: 0 at or below the bottom of the scale, LUT_SIZE − 1 at or above its top. */
export function colourIndex(v: number, scale: HeatScale): number {
  const t = (lnToDb(v) - (scale.topDb - scale.rangeDb)) * ((LUT_SIZE - 1) / scale.rangeDb);
  if (!(t > 0)) return 0;
  if (t >= LUT_SIZE - 1) return LUT_SIZE - 1;
  return Math.round(t);
}

/** A half-open rectangle of cells: frames [frame0, frame1), bins [bin0, bin1). */
export interface CellRect {
  readonly frame0: number;
  readonly frame1: number;
  readonly bin0: number;
  readonly bin1: number;
}

function rectArea(r: CellRect): number {
  return Math.max(0, r.frame1 - r.frame0) * Math.max(0, r.bin1 - r.bin0);
}

function union(a: CellRect, b: CellRect): CellRect {
  return { frame0: Math.min(a.frame0, b.frame0), frame1: Math.max(a.frame1, b.frame1), bin0: Math.min(a.bin0, b.bin0), bin1: Math.max(a.bin1, b.bin1) };
}

/** Overlapping or edge to edge. */
function touches(a: CellRect, b: CellRect): boolean {
  return a.frame0 <= b.frame1 && b.frame0 <= a.frame1 && a.bin0 <= b.bin1 && b.bin0 <= a.bin1;
}

/**
 * The cells changed since the last paint, as a few rectangles: a new one that touches one held is
 * merged into it (a stroke's dabs become one growing rectangle, not thousands); beyond `limit`
 * rectangles they collapse into their bounding box. Or "everything" after a rescale or reload.
 */
export class DirtyRegions {
  private rects: CellRect[] = [];
  private everything = false;

  constructor(readonly limit = 32) {}

  get all(): boolean {
    return this.everything;
  }

  get isEmpty(): boolean {
    return !this.everything && this.rects.length === 0;
  }

  /** Cells the held rectangles cover (overlaps counted once per rectangle; they never overlap after merging). */
  get area(): number {
    return this.rects.reduce((sum, r) => sum + rectArea(r), 0);
  }

  get regions(): readonly CellRect[] {
    return this.rects;
  }

  markAll(): void {
    this.everything = true;
    this.rects = [];
  }

  add(rect: CellRect): void {
    if (this.everything || rectArea(rect) === 0) return;
    let merged: CellRect = rect;
    // Merging can make the grown rectangle touch others: repeat until none does.
    for (let changed = true; changed; ) {
      changed = false;
      for (let i = 0; i < this.rects.length; i++) {
        if (touches(this.rects[i]!, merged)) {
          merged = union(this.rects[i]!, merged);
          this.rects.splice(i, 1);
          changed = true;
          break;
        }
      }
    }
    this.rects.push(merged);
    if (this.rects.length > this.limit) this.rects = [this.rects.reduce(union)];
  }

  /** What to repaint, clearing it: everything, or the rectangles. */
  take(): { all: boolean; rects: CellRect[] } {
    const out = { all: this.everything, rects: this.rects };
    this.everything = false;
    this.rects = [];
    return out;
  }
}

/** A tile's pixels (width = its frames, height = the bins, low bins at the bottom) and how to publish a part of them. */
export interface TileSurface {
  readonly width: number;
  readonly height: number;
  /** RGBA packed as ImageData's Uint32 view: pixel (x, y) at y·width + x. */
  readonly pixels: Uint32Array;
  /** The pixels in the rectangle changed: copy them where they are drawn from (putImageData). */
  commit(x: number, y: number, width: number, height: number): void;
}

export interface HeatTile<S extends TileSurface> {
  readonly frame0: number;
  readonly frames: number;
  readonly surface: S;
}

export interface SheetGrid {
  readonly frames: number;
  readonly bins: number;
  readonly data: ArrayLike<number>;
}

/**
 * The sheet cut into tiles of `tileFrames` frames (a 30 s sheet is 2,400 frames; an hour-long one
 * would not fit one canvas), each painted once and then only where cells changed.
 */
export class HeatmapCache<S extends TileSurface> {
  readonly dirty = new DirtyRegions();
  private tileList: HeatTile<S>[] = [];
  private bins = 0;
  private lut = colourLut();
  /** Cells recoloured by the last sync, and in all (what tests and the frame-time check read). */
  lastPainted = 0;
  totalPainted = 0;

  constructor(private readonly makeSurface: (width: number, height: number) => S, private scaleValue: HeatScale, readonly tileFrames = 2048) {
    this.dirty.markAll();
  }

  get tiles(): readonly HeatTile<S>[] {
    return this.tileList;
  }

  get scale(): HeatScale {
    return this.scaleValue;
  }

  setScale(scale: HeatScale): void {
    if (scale.topDb === this.scaleValue.topDb && scale.rangeDb === this.scaleValue.rangeDb) return;
    this.scaleValue = scale;
    this.dirty.markAll();
  }

  /** Cells changed values. */
  invalidateCells(rect: CellRect): void {
    this.dirty.add(rect);
  }

  /** Frames were inserted or removed at `frame0`: everything from there on moved. */
  invalidateFrom(frame0: number): void {
    this.dirty.add({ frame0: Math.max(0, frame0), frame1: Number.MAX_SAFE_INTEGER, bin0: 0, bin1: Number.MAX_SAFE_INTEGER });
  }

  /** Brings the tiles up to date with `grid`; returns the cells recoloured. */
  sync(grid: SheetGrid): number {
    const { all, rects } = this.dirty.take();
    let painted = 0;
    if (all || this.bins !== grid.bins) {
      this.layout(grid, 0);
      for (const tile of this.tileList) painted += this.paint(grid, tile, { frame0: tile.frame0, frame1: tile.frame0 + tile.frames, bin0: 0, bin1: grid.bins });
    } else {
      // Tiles no longer matching the sheet's length are remade from the first that differs.
      const covered = this.tileList.reduce((n, t) => n + t.frames, 0);
      let from = Number.POSITIVE_INFINITY;
      if (covered !== grid.frames) {
        from = this.layout(grid, Math.min(...rects.map((r) => r.frame0), covered, grid.frames));
        for (const tile of this.tileList) {
          if (tile.frame0 >= from) painted += this.paint(grid, tile, { frame0: tile.frame0, frame1: tile.frame0 + tile.frames, bin0: 0, bin1: grid.bins });
        }
      }
      for (const rect of rects) {
        // Tiles made anew were painted whole just now.
        for (const tile of this.tileList) if (tile.frame0 < from) painted += this.paint(grid, tile, rect);
      }
    }
    this.lastPainted = painted;
    this.totalPainted += painted;
    return painted;
  }

  /**
   * Makes the tile list fit `grid`, keeping the tiles wholly before `keepBefore` frames; returns
   * the first frame of the tiles made anew.
   */
  private layout(grid: SheetGrid, keepBefore: number): number {
    const keep = this.bins === grid.bins ? this.tileList.filter((t) => t.frame0 + t.frames <= keepBefore && t.frames === this.tileFrames) : [];
    const from = keep.length * this.tileFrames;
    const tiles = keep.slice();
    for (let f0 = from; f0 < grid.frames; f0 += this.tileFrames) {
      const frames = Math.min(this.tileFrames, grid.frames - f0);
      const old = this.tileList[tiles.length];
      const surface = old && old.surface.width === frames && old.surface.height === grid.bins ? old.surface : this.makeSurface(frames, grid.bins);
      tiles.push({ frame0: f0, frames, surface });
    }
    this.tileList = tiles;
    this.bins = grid.bins;
    return from;
  }

  /** Recolours the part of `rect` inside `tile`; returns the cells. */
  private paint(grid: SheetGrid, tile: HeatTile<S>, rect: CellRect): number {
    const f0 = Math.max(rect.frame0, tile.frame0, 0);
    const f1 = Math.min(rect.frame1, tile.frame0 + tile.frames, grid.frames);
    const b0 = Math.max(rect.bin0, 0);
    const b1 = Math.min(rect.bin1, grid.bins);
    if (f1 <= f0 || b1 <= b0) return 0;
    const { pixels, width } = tile.surface;
    const bins = grid.bins;
    const data = grid.data;
    const lut = this.lut;
    const bottom = this.scaleValue.topDb - this.scaleValue.rangeDb;
    const k = (LUT_SIZE - 1) / this.scaleValue.rangeDb;
    // colourIndex, inlined: this loop runs for every cell a stroke touches, every frame.
    for (let f = f0; f < f1; f++) {
      const x = f - tile.frame0;
      const row = f * bins;
      for (let b = b0; b < b1; b++) {
        const t = (data[row + b]! * DB_PER_LN - bottom) * k;
        const i = t > 0 ? (t >= LUT_SIZE - 1 ? LUT_SIZE - 1 : Math.round(t)) : 0;
        pixels[(bins - 1 - b) * width + x] = lut[i]!;
      }
    }
    tile.surface.commit(f0 - tile.frame0, bins - b1, f1 - f0, b1 - b0);
    return (f1 - f0) * (b1 - b0);
  }
}
