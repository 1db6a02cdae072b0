import type { GraphBuilder } from '../builder';
import type { GradRule } from '../grad';
import type { Value } from '../types';

/** Sum over axes, keeping them as size 1 (keepdims) so broadcasting back is direct. */
export function reduceSum(g: GraphBuilder, x: Value, axes: readonly number[]): Value {
  const shape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  return g.node1('ReduceSum', [x, g.int64s(axes)], { dtype: x.dtype, shape }, { keepdims: { kind: 'int', value: 1 } });
}

export const reduceSumGrad: GradRule = {
  op: 'ReduceSum',
  vjp(g, node, [dy]) {
    const x = node.inputs[0]!;
    return [g.node1('Expand', [dy!, g.int64s(x.shape)], { dtype: x.dtype, shape: x.shape }), null];
  },
};
