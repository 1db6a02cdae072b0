import type { GraphBuilder } from '../builder';
import type { GradRule } from '../grad';
import { broadcastShapes, unbroadcast } from '../shape';
import type { Value } from '../types';
import { neg } from './neg';

export function sub(g: GraphBuilder, a: Value, b: Value): Value {
  return g.node1('Sub', [a, b], { dtype: a.dtype, shape: broadcastShapes(a.shape, b.shape) });
}

export const subGrad: GradRule = {
  op: 'Sub',
  vjp(g, node, [dy]) {
    const [a, b] = node.inputs as [Value, Value];
    return [unbroadcast(g, dy!, a.shape), unbroadcast(g, neg(g, dy!), b.shape)];
  },
};
