import type { GraphBuilder } from '../builder';
import type { GradRule } from '../grad';
import type { Value } from '../types';
import { weightGradient } from './matmul';

/** Rows of a table by integer index: an embedding lookup (axis 0). */
export function gather(g: GraphBuilder, table: Value, indices: Value): Value {
  return g.node1('Gather', [table, indices], { dtype: table.dtype, shape: [...indices.shape, ...table.shape.slice(1)] }, {
    axis: { kind: 'int', value: 0 },
  });
}

const ONE_HOT = new WeakMap<GraphBuilder, Map<string, Value>>();

/**
 * The indices as one-hot rows [n, rows] of the table's type, or as columns [rows, n] (Equal against
 * 0..rows−1, int32 so that WebGPU runs it), made once per graph, set of indices and orientation.
 */
function oneHot(g: GraphBuilder, indices: Value, rows: number, dtype: Value['dtype'], columns = false): Value {
  let byKey = ONE_HOT.get(g);
  if (!byKey) ONE_HOT.set(g, (byKey = new Map()));
  const key = `${indices.name}:${rows}:${dtype}:${columns ? 'columns' : 'rows'}`;
  let v = byKey.get(key);
  if (!v) {
    const n = indices.shape.reduce((a, b) => a * b, 1);
    const range = Array.from({ length: rows }, (_, i) => i);
    // Indices as int32: a Gather from a 0..rows−1 table (WebGPU has no int64 Reshape).
    const asInt32 = g.node1('Gather', [g.constant('int32', [rows], range), indices], { dtype: 'int32', shape: indices.shape }, {
      axis: { kind: 'int', value: 0 },
    });
    const [indexShape, rangeShape, shape] = columns ? [[1, n], [rows, 1], [rows, n]] : [[n, 1], [1, rows], [n, rows]];
    const flat = g.node1('Reshape', [asInt32, g.int64s(indexShape)], { dtype: 'int32', shape: indexShape });
    const hit = g.node1('Equal', [flat, g.constant('int32', rangeShape, range)], { dtype: 'bool', shape });
    v = g.node1('Cast', [hit], { dtype, shape }, { to: { kind: 'int', value: dtype === 'float64' ? 11 : 1 } });
    byKey.set(key, v);
  }
  return v;
}

/**
 * The rows' gradients summed back into the table (indices repeat): one-hotᵀ · dy, one GEMM; in a
 * graph holding activations as columns (g.columns), one-hot · dy with the one-hot made as columns,
 * whose operands then both have the long axis innermost (ONNX Runtime's CPU GEMM runs it about
 * twice as fast as the transposed form on one thread). Not ScatterND with reduction 'add', whose
 * CPU kernel loses updates to repeated indices when it runs on more than one thread (a fifth of an
 * embedding's gradient, differently on every run).
 */
export const gatherGrad: GradRule = {
  op: 'Gather',
  vjp(g, node, [dy]) {
    const [table, indices] = node.inputs as [Value, Value];
    const rows = table.shape[0]!;
    const n = indices.shape.reduce((a, b) => a * b, 1);
    const cols = table.shape.slice(1).reduce((a, b) => a * b, 1);
    const dy2 = g.node1('Reshape', [dy!, g.int64s([n, cols])], { dtype: dy!.dtype, shape: [n, cols] });
    let dTable = g.columns
      ? g.node1('Gemm', [oneHot(g, indices, rows, table.dtype, true), dy2], { dtype: table.dtype, shape: [rows, cols] })
      : weightGradient(g, oneHot(g, indices, rows, table.dtype), dy2);
    if (table.shape.length !== 2) dTable = g.node1('Reshape', [dTable, g.int64s(table.shape)], { dtype: table.dtype, shape: table.shape });
    return [dTable, null];
  },
};
