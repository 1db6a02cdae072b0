import type { GraphBuilder } from '../builder';
import type { GradRule } from '../grad';
import { zerosLike } from '../shape';
import type { Value } from '../types';
import { concat } from './concat';

export function split(g: GraphBuilder, x: Value, axis: number, sizes: readonly number[]): Value[] {
  const outs = sizes.map((s) => {
    const shape = [...x.shape];
    shape[axis] = s;
    return { dtype: x.dtype, shape };
  });
  return g.node('Split', [x, g.int64s(sizes)], outs, { axis: { kind: 'int', value: axis } });
}

/** The pieces' gradients side by side again; pieces that reach no loss contribute zeros. */
export const splitGrad: GradRule = {
  op: 'Split',
  vjp(g, node, dys) {
    const axis = node.attrs.axis!.value as number;
    const parts = node.outputs.map((o, i) => dys[i] ?? zerosLike(g, o));
    return [concat(g, parts, axis), null];
  },
};
