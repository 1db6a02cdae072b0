import type { GraphBuilder } from './builder';
import type { Value } from './types';

/** NumPy-style broadcast of two static shapes. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new Error(`cannot broadcast [${a}] with [${b}]`);
    out.push(da === 1 ? db : da);
  }
  return out;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Sum a broadcast gradient back down to the shape of the operand it came from. */
export function unbroadcast(g: GraphBuilder, dy: Value, shape: readonly number[]): Value {
  if (sameShape(dy.shape, shape)) return dy;
  const lead = dy.shape.length - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < dy.shape.length; i++) {
    const target = i < lead ? 1 : shape[i - lead]!;
    if (target === 1 && dy.shape[i] !== 1) axes.push(i);
  }
  let r = dy;
  if (axes.length && axes.every((a, i) => a === i)) {
    // A sum over the leading axes (a bias's gradient): ones[1, rows] · dy[rows, cols], one GEMM,
    // several times faster on the CPU than ReduceSum over the outer axes.
    r = sumRows(g, dy, axes.length);
  } else if (axes.length) {
    const kept = dy.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    r = g.node1('ReduceSum', [dy, g.int64s(axes)], { dtype: dy.dtype, shape: kept }, {});
  }
  if (!sameShape(r.shape, shape)) {
    r = g.node1('Reshape', [r, g.int64s(shape)], { dtype: r.dtype, shape });
  }
  return r;
}

/** A tensor of zeros, made at run time (no large initializer in the file). */
export function zerosLike(g: GraphBuilder, like: Value): Value {
  return g.node1('ConstantOfShape', [g.int64s(like.shape)], { dtype: like.dtype, shape: like.shape }, {
    value: { kind: 'tensor', dtype: like.dtype, value: [0] },
  });
}

/** The sum over the first `lead` axes of x, as [1, rest]: a GEMM with a row of ones. */
function sumRows(g: GraphBuilder, x: Value, lead: number): Value {
  const rows = x.shape.slice(0, lead).reduce((a, b) => a * b, 1);
  const cols = x.shape.slice(lead).reduce((a, b) => a * b, 1);
  const x2: Value = x.shape.length === 2 && lead === 1
    ? x
    : g.node1('Reshape', [x, g.int64s([rows, cols])], { dtype: x.dtype, shape: [rows, cols] });
  return g.node1('Gemm', [onesRow(g, x.dtype, rows), x2], { dtype: x.dtype, shape: [1, cols] });
}

const ONES = new WeakMap<GraphBuilder, Map<string, Value>>();

/** A [1, n] row of ones, made once per graph at run time (no large initializer). */
function onesRow(g: GraphBuilder, dtype: Value['dtype'], n: number): Value {
  let byKey = ONES.get(g);
  if (!byKey) ONES.set(g, (byKey = new Map()));
  const key = `${dtype}:${n}`;
  let v = byKey.get(key);
  if (!v) {
    v = g.node1('ConstantOfShape', [g.int64s([1, n])], { dtype, shape: [1, n] }, { value: { kind: 'tensor', dtype, value: [1] } });
    byKey.set(key, v);
  }
  return v;
}
