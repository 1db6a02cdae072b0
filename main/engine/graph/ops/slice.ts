import type { GraphBuilder } from '../builder';
import type { GradRule } from '../grad';
import type { Value } from '../types';

/** x[start:end] along one axis. */
export function slice(g: GraphBuilder, x: Value, axis: number, start: number, end: number): Value {
  const shape = [...x.shape];
  shape[axis] = end - start;
  return g.node1('Slice', [x, g.int64s([start]), g.int64s([end]), g.int64s([axis])], { dtype: x.dtype, shape });
}

/** The slice's gradient is dy placed back where it came from, zeros elsewhere. */
export const sliceGrad: GradRule = {
  op: 'Slice',
  vjp(g, node, [dy]) {
    const x = node.inputs[0]!;
    const read = (v: Value): number => Number((g.initializers.find((i) => i.value === v)!.data as BigInt64Array)[0]);
    const axis = read(node.inputs[3]!);
    const start = read(node.inputs[1]!);
    const end = read(node.inputs[2]!);
    const rank = x.shape.length;
    const pads = new Array<number>(2 * rank).fill(0);
    pads[axis] = start;
    pads[rank + axis] = x.shape[axis]! - end;
    return [g.node1('Pad', [dy!, g.int64s(pads)], { dtype: x.dtype, shape: x.shape }), null, null, null];
  },
};
