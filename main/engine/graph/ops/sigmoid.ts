import type { GraphBuilder } from '../builder';
import type { GradRule } from '../grad';
import type { Value } from '../types';
import { mul } from './mul';
import { sub } from './sub';

export function sigmoid(g: GraphBuilder, x: Value): Value {
  return g.node1('Sigmoid', [x], { dtype: x.dtype, shape: x.shape });
}

/** d σ = y (1 − y), from the saved output. */
export const sigmoidGrad: GradRule = {
  op: 'Sigmoid',
  vjp(g, node, [dy]) {
    const y = node.outputs[0]!;
    return [mul(g, dy!, mul(g, y, sub(g, g.scalar(1, y.dtype), y)))];
  },
};
