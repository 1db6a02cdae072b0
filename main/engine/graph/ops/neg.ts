import type { GraphBuilder } from '../builder';
import type { GradRule } from '../grad';
import type { Value } from '../types';

export function neg(g: GraphBuilder, x: Value): Value {
  return g.node1('Neg', [x], { dtype: x.dtype, shape: x.shape });
}

export const negGrad: GradRule = {
  op: 'Neg',
  vjp: (g, _node, [dy]) => [neg(g, dy!)],
};
