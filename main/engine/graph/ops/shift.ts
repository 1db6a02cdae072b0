import type { GraphBuilder } from '../builder';
import type { GradRule } from '../grad';
import type { Value } from '../types';

/**
 * Delay a sequence by `steps` along `axis` (zeros enter at the front, the tail falls off): the
 * causal shift of a dilated convolution, as one Pad with a negative end pad (a single copy).
 */
export function shift(g: GraphBuilder, x: Value, axis: number, steps: number): Value {
  const rank = x.shape.length;
  const pads = new Array<number>(2 * rank).fill(0);
  pads[axis] = steps;
  pads[rank + axis] = -steps;
  return g.node1('Pad', [x, g.int64s(pads)], { dtype: x.dtype, shape: x.shape });
}

/** A delay's adjoint is the same advance: Pad with the pads negated. */
export const padGrad: GradRule = {
  op: 'Pad',
  vjp(g, node, [dy]) {
    const x = node.inputs[0]!;
    const padsInit = g.initializers.find((i) => i.value === node.inputs[1]);
    if (!padsInit) throw new Error('Pad gradient needs constant pads');
    const pads = Array.from(padsInit.data as BigInt64Array, (v) => -Number(v));
    const back = g.node1('Pad', [dy!, g.int64s(pads)], { dtype: x.dtype, shape: x.shape });
    return [back, null];
  },
};
