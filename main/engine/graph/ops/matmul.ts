import type { GraphBuilder } from '../builder';
import type { GradRule } from '../grad';
import type { Value } from '../types';
import { reshape } from './reshape';

/** x [..., K] @ w [K, N]: a 1×1 convolution over every time step. The right operand is 2-D. */
export function matmul(g: GraphBuilder, x: Value, w: Value): Value {
  const k = x.shape[x.shape.length - 1];
  if (w.shape.length !== 2 || w.shape[0] !== k) throw new Error(`matmul: [${x.shape}] @ [${w.shape}]`);
  return g.node1('MatMul', [x, w], { dtype: x.dtype, shape: [...x.shape.slice(0, -1), w.shape[1]!] });
}

/** C = A·B with optional transposes: the weight gradient without materialising a transpose. */
export function gemm(g: GraphBuilder, a: Value, b: Value, transA: boolean, transB: boolean): Value {
  const m = transA ? a.shape[1]! : a.shape[0]!;
  const n = transB ? b.shape[0]! : b.shape[1]!;
  return g.node1('Gemm', [a, b], { dtype: a.dtype, shape: [m, n] }, {
    transA: { kind: 'int', value: transA ? 1 : 0 },
    transB: { kind: 'int', value: transB ? 1 : 0 },
  });
}

/** dx = dy·wᵀ; dw = xᵀ·dy summed over all leading axes (flattened to one GEMM). */
export const matmulGrad: GradRule = {
  op: 'MatMul',
  vjp(g, node, [dy]) {
    const [x, w] = node.inputs as [Value, Value];
    const [k, n] = w.shape as [number, number];
    const rows = x.shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const dy2 = reshape(g, dy!, [rows, n]);
    const dx = reshape(g, gemm(g, dy2, w, false, true), x.shape);
    const dw = gemm(g, reshape(g, x, [rows, k]), dy2, true, false);
    return [dx, dw];
  },
};
