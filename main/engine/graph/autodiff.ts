import type { GraphBuilder } from './builder';
import { GRAD_RULES } from './ops/index';
import { add } from './ops/add';
import { sameShape, zerosLike } from './shape';
import type { GraphNode, Value } from './types';

/**
 * Reverse-mode autodiff over the builder's graph: appends the backward pass and returns the
 * gradient of `loss` with respect to each of `wrt`. Only nodes on a path from `wrt` to `loss` are
 * differentiated; each op's rule lives beside the op (ops/*.ts).
 */
export function gradients(g: GraphBuilder, loss: Value, wrt: readonly Value[]): Value[] {
  const forward = [...g.nodes];

  const dependsOnWrt = new Set(wrt.map((v) => v.name));
  for (const n of forward) {
    if (n.inputs.some((v) => dependsOnWrt.has(v.name))) for (const o of n.outputs) dependsOnWrt.add(o.name);
  }
  const reachesLoss = new Set([loss.name]);
  for (let i = forward.length - 1; i >= 0; i--) {
    const n = forward[i]!;
    if (n.outputs.some((o) => reachesLoss.has(o.name))) for (const v of n.inputs) reachesLoss.add(v.name);
  }

  const pending = new Map<string, Value[]>();
  const accumulate = (v: Value, dv: Value): void => {
    const list = pending.get(v.name);
    if (list) list.push(dv);
    else pending.set(v.name, [dv]);
  };
  const total = (v: Value): Value | null => {
    const list = pending.get(v.name);
    if (!list || list.length === 0) return null;
    const sum = sumInto(g, list);
    pending.set(v.name, [sum]);
    return sum;
  };

  accumulate(loss, g.constant(loss.dtype, loss.shape, new Array(loss.shape.reduce((a, b) => a * b, 1)).fill(1)));

  for (let i = forward.length - 1; i >= 0; i--) {
    const n = forward[i]!;
    if (!n.outputs.some((o) => reachesLoss.has(o.name) && dependsOnWrt.has(o.name))) continue;
    const dys = n.outputs.map(total);
    if (dys.every((d) => d === null)) continue;
    const rule = GRAD_RULES.get(n.op);
    if (!rule) throw new Error(`no gradient rule for ${n.op}`);
    const dxs = rule.vjp(g, n, dys, n.inputs.map((x) => dependsOnWrt.has(x.name)));
    n.inputs.forEach((x, k) => {
      const dx = dxs[k];
      if (dx && dependsOnWrt.has(x.name)) accumulate(x, dx);
    });
  }

  return wrt.map((w) => total(w) ?? zerosLike(g, w));
}

/**
 * The sum of a value's gradient contributions. Where the newest is a GEMM made for this sum alone,
 * the others become its addend C (Gemm accumulates into it) instead of an Add pass over the
 * result: the backward of a residual stack is then GEMMs chained through C, with no adds.
 */
function sumInto(g: GraphBuilder, list: readonly Value[]): Value {
  if (list.length === 1) return list[0]!;
  // The newest foldable GEMM takes the rest as its addend (it moves after them).
  let k = list.length - 1;
  let at = -1;
  for (; k >= 0 && at < 0; k--) at = foldableGemm(g, list[k]!);
  const last = list[k + 1]!;
  const rest = list.filter((_, i) => i !== k + 1);
  if (at >= 0 && rest.every((v) => sameShape(v.shape, last.shape) && v.dtype === last.dtype)) {
    const node = g.nodes[at]!;
    const c = sumInto(g, rest);
    // Built after the addend (the node moves to the end; nothing reads its output yet).
    g.nodes.splice(g.nodes.indexOf(node), 1);
    const folded: GraphNode = { ...node, inputs: [...node.inputs, c] };
    g.nodes.push(folded);
    return last;
  }
  let sum = list[0]!;
  for (let i = 1; i < list.length; i++) sum = add(g, sum, list[i]!);
  return sum;
}

/** Index of the 2-input Gemm that produced v, if nothing else reads v; −1 otherwise. */
function foldableGemm(g: GraphBuilder, v: Value): number {
  if (v.shape.length !== 2 || g.outputs.some((o) => o.name === v.name)) return -1;
  let at = -1;
  for (let i = g.nodes.length - 1; i >= 0; i--) {
    const n = g.nodes[i]!;
    if (n.inputs.some((x) => x.name === v.name)) return -1;
    if (n.outputs.some((o) => o.name === v.name)) {
      at = i;
      break;
    }
  }
  if (at < 0) return -1;
  const n = g.nodes[at]!;
  return n.op === 'Gemm' && n.inputs.length === 2 ? at : -1;
}
