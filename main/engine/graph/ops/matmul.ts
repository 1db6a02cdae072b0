import type { GraphBuilder } from '../builder';
import type { GradRule } from '../grad';
import { unbroadcast } from '../shape';
import type { Value } from '../types';
import { reshape } from './reshape';

/** x [..., K] @ w [K, N]: a 1×1 convolution over every time step. The right operand is 2-D. */
export function matmul(g: GraphBuilder, x: Value, w: Value): Value {
  const k = x.shape[x.shape.length - 1];
  if (w.shape.length !== 2 || w.shape[0] !== k) throw new Error(`matmul: [${x.shape}] @ [${w.shape}]`);
  return g.node1('MatMul', [x, w], { dtype: x.dtype, shape: [...x.shape.slice(0, -1), w.shape[1]!] });
}

/**
 * C = op(A)·op(B) (+ c): 2-D operands with optional transposes, and an optional addend `c`
 * broadcast to the result ([N] a bias, [M, N] a running sum that the product accumulates into).
 */
export function gemm(g: GraphBuilder, a: Value, b: Value, transA = false, transB = false, c?: Value): Value {
  if (a.shape.length !== 2 || b.shape.length !== 2) throw new Error(`gemm: [${a.shape}] · [${b.shape}]`);
  const m = transA ? a.shape[1]! : a.shape[0]!;
  const k = transA ? a.shape[0]! : a.shape[1]!;
  const n = transB ? b.shape[0]! : b.shape[1]!;
  if ((transB ? b.shape[1] : b.shape[0]) !== k) throw new Error(`gemm: [${a.shape}]${transA ? 'ᵀ' : ''} · [${b.shape}]${transB ? 'ᵀ' : ''}`);
  return g.node1('Gemm', c ? [a, b, c] : [a, b], { dtype: a.dtype, shape: [m, n] }, {
    transA: { kind: 'int', value: transA ? 1 : 0 },
    transB: { kind: 'int', value: transB ? 1 : 0 },
  });
}

/** dx = dy·wᵀ; dw = xᵀ·dy summed over all leading axes (flattened to one GEMM). */
export const matmulGrad: GradRule = {
  op: 'MatMul',
  vjp(g, node, [dy], needed) {
    const [x, w] = node.inputs as [Value, Value];
    const [k, n] = w.shape as [number, number];
    const rows = x.shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const dy2 = reshape(g, dy!, [rows, n]);
    const dx = needed?.[0] === false ? null : reshape(g, gemm(g, dy2, w, false, true), x.shape);
    const dw = needed?.[1] === false ? null : weightGradient(g, reshape(g, x, [rows, k]), dy2);
    return [dx, dw];
  },
};

/**
 * Y = op(A)·op(B) + C: dA = dY·op(B)ᵀ (transposed back when A is), dB = op(A)ᵀ·dY (likewise),
 * dC = dY summed down to C's shape. Only the gradients asked for are built.
 */
export const gemmGrad: GradRule = {
  op: 'Gemm',
  vjp(g, node, [dy], needed) {
    const [a, b, c] = node.inputs as [Value, Value, Value | undefined];
    const tA = node.attrs.transA?.value === 1;
    const tB = node.attrs.transB?.value === 1;
    for (const k of ['alpha', 'beta'] as const) {
      if (node.attrs[k] && node.attrs[k]!.value !== 1) throw new Error(`Gemm gradient: ${k} must be 1`);
    }
    const want = (i: number): boolean => needed?.[i] !== false;
    // op(A) = dY·op(B)ᵀ; A itself is that transposed when transA.
    const da = !want(0) ? null : tA ? gemm(g, b, dy!, tB, true) : gemm(g, dy!, b, false, !tB);
    // op(B) = op(A)ᵀ·dY; B itself is that transposed when transB.
    const db = !want(1) ? null : tB ? gemm(g, dy!, a, true, tA) : tA ? gemm(g, a, dy!) : weightGradient(g, a, dy!);
    const dc = c && want(2) ? unbroadcast(g, dy!, c.shape) : null;
    return c ? [da, db, dc] : [da, db];
  },
};

/**
 * aᵀ·dy for a [K, M] and dy [K, N] with K the long axis (the rows of a batch): a weight's gradient.
 * One Gemm, or with g.weightGradientParts = p > 1 (CPU training graphs: one per intra-op thread)
 * p products over consecutive slices of K, batched, then summed. A threaded transA Gemm with a
 * small M·N splits N between threads and each transposes all of A again: the batched form gives
 * every thread its own rows (about 15% off a whole `small` piece on 2 threads, 8% slower on 1).
 */
export function weightGradient(g: GraphBuilder, a: Value, dy: Value): Value {
  const [k, m] = a.shape as [number, number];
  const n = dy.shape[1]!;
  const parts = g.weightGradientParts;
  if (parts <= 1 || k % parts !== 0 || k / parts < 256) return gemm(g, a, dy, true, false);
  const rows = k / parts;
  const a3 = g.node1('Reshape', [a, g.int64s([parts, rows, m])], { dtype: a.dtype, shape: [parts, rows, m] });
  // ONNX Runtime fuses the Transpose into the batched product (FusedMatMul with transA).
  const at = g.node1('Transpose', [a3], { dtype: a.dtype, shape: [parts, m, rows] }, { perm: { kind: 'ints', value: [0, 2, 1] } });
  const d3 = g.node1('Reshape', [dy, g.int64s([parts, rows, n])], { dtype: dy.dtype, shape: [parts, rows, n] });
  const prod = g.node1('MatMul', [at, d3], { dtype: a.dtype, shape: [parts, m, n] });
  return g.node1('ReduceSum', [prod, g.int64s([0])], { dtype: a.dtype, shape: [m, n] }, { keepdims: { kind: 'int', value: 0 } });
}
