import type { GraphBuilder } from '../builder';
import type { GradRule } from '../grad';
import type { Value } from '../types';

export function relu(g: GraphBuilder, x: Value): Value {
  return g.node1('Relu', [x], { dtype: x.dtype, shape: x.shape });
}

/** Pass the gradient where the output is positive. */
export const reluGrad: GradRule = {
  op: 'Relu',
  vjp(g, node, [dy]) {
    const y = node.outputs[0]!;
    const zero = g.scalar(0, y.dtype);
    const positive = g.node1('Greater', [y, zero], { dtype: 'bool', shape: y.shape });
    return [g.node1('Where', [positive, dy!, zero], { dtype: y.dtype, shape: y.shape })];
  },
};
