import type { GraphBuilder } from '../builder';
import type { GradRule } from '../grad';
import { sameShape } from '../shape';
import { sizeOf, type Value } from '../types';

/**
 * `spec` is the shape tensor actually emitted when it must stay valid for other lengths (0 = keep
 * that dimension, −1 = infer it), so a graph built at one length runs at any.
 */
export function reshape(g: GraphBuilder, x: Value, shape: readonly number[], spec?: readonly number[]): Value {
  if (sameShape(x.shape, shape)) return x;
  if (sizeOf(shape) !== sizeOf(x.shape)) throw new Error(`reshape: [${x.shape}] to [${shape}]`);
  return g.node1('Reshape', [x, g.int64s(spec ?? shape)], { dtype: x.dtype, shape });
}

export const reshapeGrad: GradRule = {
  op: 'Reshape',
  vjp: (g, node, [dy]) => [reshape(g, dy!, node.inputs[0]!.shape), null],
};
