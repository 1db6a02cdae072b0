import type { GraphBuilder } from '../builder';
import type { GradRule } from '../grad';
import type { Value } from '../types';

export function transpose(g: GraphBuilder, x: Value, perm: readonly number[]): Value {
  return g.node1('Transpose', [x], { dtype: x.dtype, shape: perm.map((p) => x.shape[p]!) }, {
    perm: { kind: 'ints', value: perm },
  });
}

export const transposeGrad: GradRule = {
  op: 'Transpose',
  vjp(g, node, [dy]) {
    const perm = node.attrs.perm!.value as readonly number[];
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return [transpose(g, dy!, inverse)];
  },
};
