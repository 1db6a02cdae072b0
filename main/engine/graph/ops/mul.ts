import type { GraphBuilder } from '../builder';
import type { GradRule } from '../grad';
import { broadcastShapes, unbroadcast } from '../shape';
import type { Value } from '../types';

export function mul(g: GraphBuilder, a: Value, b: Value): Value {
  return g.node1('Mul', [a, b], { dtype: a.dtype, shape: broadcastShapes(a.shape, b.shape) });
}

export const mulGrad: GradRule = {
  op: 'Mul',
  vjp(g, node, [dy]) {
    const [a, b] = node.inputs as [Value, Value];
    return [unbroadcast(g, mul(g, dy!, b), a.shape), unbroadcast(g, mul(g, dy!, a), b.shape)];
  },
};
