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
 * The indices as one-hot rows [n, rows] of the table's type (Equal against 0..rows−1, int32 so that
 * WebGPU runs it), made once per graph and set of indices.
 */
function oneHot(g: GraphBuilder, indices: Value, rows: number, dtype: Value['dtype']): Value {
  let byKey = ONE_HOT.get(g);
  if (!byKey) ONE_HOT.set(g, (byKey = new Map()));
  const key = `${indices.name}:${rows}:${dtype}`;
  let v = byKey.get(key);
  if (!v) {
    const n = indices.shape.reduce((a, b) => a * b, 1);
    // Indices as an int32 column [n, 1]: a Gather from a 0..rows−1 table (WebGPU has no int64 Reshape).
    const column = g.node1('Gather', [g.constant('int32', [rows, 1], Array.from({ length: rows }, (_, i) => i)), indices], { dtype: 'int32', shape: [...indices.shape, 1] }, {
      axis: { kind: 'int', value: 0 },
    });
    const flat = g.node1('Reshape', [column, g.int64s([n, 1])], { dtype: 'int32', shape: [n, 1] });
    const hit = g.node1('Equal', [flat, g.constant('int32', [1, rows], Array.from({ length: rows }, (_, i) => i))], { dtype: 'bool', shape: [n, rows] });
    v = g.node1('Cast', [hit], { dtype, shape: [n, rows] }, { to: { kind: 'int', value: dtype === 'float64' ? 11 : 1 } });
    byKey.set(key, v);
  }
  return v;
}

/**
 * The indices as one-hot columns [rows, n] of the table's type (0..rows−1 Equal to the indices,
 * int32 so that WebGPU runs it), made once per graph and set of indices.
 */
function oneHotColumns(g: GraphBuilder, indices: Value, rows: number, dtype: Value['dtype']): Value {
  let byKey = ONE_HOT.get(g);
  if (!byKey) ONE_HOT.set(g, (byKey = new Map()));
  const key = `columns:${indices.name}:${rows}:${dtype}`;
  let v = byKey.get(key);
  if (!v) {
    const n = indices.shape.reduce((a, b) => a * b, 1);
    // Indices as an int32 row [1, n]: a Gather from a 0..rows−1 table (WebGPU has no int64 Reshape).
    const asInt32 = g.node1('Gather', [g.constant('int32', [rows], Array.from({ length: rows }, (_, i) => i)), indices], { dtype: 'int32', shape: indices.shape }, {
      axis: { kind: 'int', value: 0 },
    });
    const row = g.node1('Reshape', [asInt32, g.int64s([1, n])], { dtype: 'int32', shape: [1, n] });
    const hit = g.node1('Equal', [g.constant('int32', [rows, 1], Array.from({ length: rows }, (_, i) => i)), row], { dtype: 'bool', shape: [rows, n] });
    v = g.node1('Cast', [hit], { dtype, shape: [rows, n] }, { to: { kind: 'int', value: dtype === 'float64' ? 11 : 1 } });
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
      ? g.node1('Gemm', [oneHotColumns(g, indices, rows, table.dtype), dy2], { dtype: table.dtype, shape: [rows, cols] })
      : weightGradient(g, oneHot(g, indices, rows, table.dtype), dy2);
    if (table.shape.length !== 2) dTable = g.node1('Reshape', [dTable, g.int64s(table.shape)], { dtype: table.dtype, shape: table.shape });
    return [dTable, null];
  },
};
