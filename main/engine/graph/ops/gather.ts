import type { GraphBuilder } from '../builder';
import type { GradRule } from '../grad';
import { zerosLike } from '../shape';
import type { Value } from '../types';

/** Rows of a table by integer index: an embedding lookup (axis 0). */
export function gather(g: GraphBuilder, table: Value, indices: Value): Value {
  return g.node1('Gather', [table, indices], { dtype: table.dtype, shape: [...indices.shape, ...table.shape.slice(1)] }, {
    axis: { kind: 'int', value: 0 },
  });
}

/**
 * Scatter-add the rows' gradients back into the table (indices repeat, so reduction = add). The
 * indices gain their trailing axis of 1 through a Gather from a 0..rows−1 table (int32, cast back
 * to int64), so that WebGPU runs it: it has no int64 Reshape or Unsqueeze.
 */
export const gatherGrad: GradRule = {
  op: 'Gather',
  vjp(g, node, [dy]) {
    const [table, indices] = node.inputs as [Value, Value];
    const rows = table.shape[0]!;
    const column = g.node1('Gather', [g.constant('int32', [rows, 1], Array.from({ length: rows }, (_, i) => i)), indices], { dtype: 'int32', shape: [...indices.shape, 1] }, {
      axis: { kind: 'int', value: 0 },
    });
    const idx = g.node1('Cast', [column], { dtype: 'int64', shape: column.shape }, { to: { kind: 'int', value: 7 } });
    const dTable = g.node1('ScatterND', [zerosLike(g, table), idx, dy!], { dtype: table.dtype, shape: table.shape }, {
      reduction: { kind: 'string', value: 'add' },
    });
    return [dTable, null];
  },
};
