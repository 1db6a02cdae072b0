import type { GraphBuilder } from '../builder';
import type { GradRule } from '../grad';
import { zerosLike } from '../shape';
import type { Value } from '../types';
import { reshape } from './reshape';

/** Rows of a table by integer index: an embedding lookup (axis 0). */
export function gather(g: GraphBuilder, table: Value, indices: Value): Value {
  return g.node1('Gather', [table, indices], { dtype: table.dtype, shape: [...indices.shape, ...table.shape.slice(1)] }, {
    axis: { kind: 'int', value: 0 },
  });
}

/** Scatter-add the rows' gradients back into the table (indices repeat, so reduction = add). */
export const gatherGrad: GradRule = {
  op: 'Gather',
  vjp(g, node, [dy]) {
    const [table, indices] = node.inputs as [Value, Value];
    const n = indices.shape.reduce((a, b) => a * b, 1);
    const idx = reshape(g, g.node1('Cast', [indices], { dtype: 'int64', shape: indices.shape }, { to: { kind: 'int', value: 7 } }), [n, 1]);
    const rows = reshape(g, dy!, [n, ...table.shape.slice(1)]);
    const dTable = g.node1('ScatterND', [zerosLike(g, table), idx, rows], { dtype: table.dtype, shape: table.shape }, {
      reduction: { kind: 'string', value: 'add' },
    });
    return [dTable, null];
  },
};
