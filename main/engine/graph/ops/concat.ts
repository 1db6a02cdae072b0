import type { GraphBuilder } from '../builder';
import type { GradRule } from '../grad';
import type { Value } from '../types';
import { split } from './split';

export function concat(g: GraphBuilder, xs: readonly Value[], axis: number): Value {
  const shape = [...xs[0]!.shape];
  shape[axis] = xs.reduce((s, x) => s + x.shape[axis]!, 0);
  return g.node1('Concat', xs, { dtype: xs[0]!.dtype, shape }, { axis: { kind: 'int', value: axis } });
}

export const concatGrad: GradRule = {
  op: 'Concat',
  vjp(g, node, [dy]) {
    const axis = node.attrs.axis!.value as number;
    return split(g, dy!, axis, node.inputs.map((x) => x.shape[axis]!));
  },
};
