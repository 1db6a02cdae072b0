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
  if (axes.length) {
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
