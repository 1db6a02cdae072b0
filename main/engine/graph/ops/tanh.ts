import type { GraphBuilder } from '../builder';
import type { GradRule } from '../grad';
import type { Value } from '../types';
import { mul } from './mul';
import { sub } from './sub';

export function tanh(g: GraphBuilder, x: Value): Value {
  return g.node1('Tanh', [x], { dtype: x.dtype, shape: x.shape });
}

/** d tanh = 1 − y², from the saved output. */
export const tanhGrad: GradRule = {
  op: 'Tanh',
  vjp(g, node, [dy]) {
    const y = node.outputs[0]!;
    return [mul(g, dy!, sub(g, g.scalar(1, y.dtype), mul(g, y, y)))];
  },
};
