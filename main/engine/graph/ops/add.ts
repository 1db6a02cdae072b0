import type { GraphBuilder } from '../builder';
import type { GradRule } from '../grad';
import { broadcastShapes, unbroadcast } from '../shape';
import type { Value } from '../types';

export function add(g: GraphBuilder, a: Value, b: Value): Value {
  return g.node1('Add', [a, b], { dtype: a.dtype, shape: broadcastShapes(a.shape, b.shape) });
}

export const addGrad: GradRule = {
  op: 'Add',
  vjp(g, node, [dy]) {
    const [a, b] = node.inputs as [Value, Value];
    return [unbroadcast(g, dy!, a.shape), unbroadcast(g, dy!, b.shape)];
  },
};
