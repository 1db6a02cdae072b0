// The cells of a mel sheet an edit changed, with their values before and after: only those cells
// (sorted flat indices), never a copy of the sheet, so a hundred undo steps on an hour-long sheet
// stay as small as the strokes that made them.

export class CellPatch {
  private constructor(readonly indices: Uint32Array, readonly before: Float64Array, readonly after: Float64Array) {}

  /**
   * The patch writing `values[i]` at `indices[i]` (ascending) into `data`; cells whose value
   * would not change are left out.
   */
  static of(data: Float64Array, indices: ArrayLike<number>, values: ArrayLike<number>): CellPatch {
    let n = 0;
    for (let i = 0; i < indices.length; i++) if (data[indices[i]!] !== values[i]) n++;
    const idx = new Uint32Array(n);
    const before = new Float64Array(n);
    const after = new Float64Array(n);
    let k = 0;
    for (let i = 0; i < indices.length; i++) {
      const at = indices[i]!;
      if (data[at] === values[i]) continue;
      idx[k] = at;
      before[k] = data[at]!;
      after[k++] = values[i]!;
    }
    return new CellPatch(idx, before, after);
  }

  /** Like `of`, from a map of index → new value in any order. */
  static fromMap(data: Float64Array, changes: ReadonlyMap<number, number>): CellPatch {
    const indices = [...changes.keys()].sort((a, b) => a - b);
    return CellPatch.of(data, indices, indices.map((i) => changes.get(i)!));
  }

  get size(): number {
    return this.indices.length;
  }

  apply(data: Float64Array): void {
    for (let i = 0; i < this.indices.length; i++) data[this.indices[i]!] = this.after[i]!;
  }

  revert(data: Float64Array): void {
    for (let i = 0; i < this.indices.length; i++) data[this.indices[i]!] = this.before[i]!;
  }

  /** This edit followed by `later` as one patch: the earlier before-values, the later after-values. */
  followedBy(later: CellPatch): CellPatch {
    const a = this.indices;
    const b = later.indices;
    const idx: number[] = [];
    const before: number[] = [];
    const after: number[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      if (j >= b.length || (i < a.length && a[i]! < b[j]!)) {
        idx.push(a[i]!); before.push(this.before[i]!); after.push(this.after[i]!); i++;
      } else if (i >= a.length || b[j]! < a[i]!) {
        idx.push(b[j]!); before.push(later.before[j]!); after.push(later.after[j]!); j++;
      } else {
        idx.push(a[i]!); before.push(this.before[i]!); after.push(later.after[j]!); i++; j++;
      }
    }
    return new CellPatch(Uint32Array.from(idx), Float64Array.from(before), Float64Array.from(after));
  }

  /** The frames and bins the patch touches (half-open), or undefined when empty. */
  bounds(bins: number): { frame0: number; frame1: number; bin0: number; bin1: number } | undefined {
    if (this.indices.length === 0) return undefined;
    let bin0 = Infinity;
    let bin1 = -Infinity;
    for (const i of this.indices) {
      const b = i % bins;
      if (b < bin0) bin0 = b;
      if (b > bin1) bin1 = b;
    }
    return { frame0: Math.floor(this.indices[0]! / bins), frame1: Math.floor(this.indices.at(-1)! / bins) + 1, bin0, bin1: bin1 + 1 };
  }
}
