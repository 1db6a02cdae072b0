import type { GraphBuilder } from './builder';
import { GRAD_RULES } from './ops/index';
import { add } from './ops/add';
import { zerosLike } from './shape';
import type { Value } from './types';

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
    let sum = list[0]!;
    for (let i = 1; i < list.length; i++) sum = add(g, sum, list[i]!);
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
    const dxs = rule.vjp(g, n, dys);
    n.inputs.forEach((x, k) => {
      const dx = dxs[k];
      if (dx && dependsOnWrt.has(x.name)) accumulate(x, dx);
    });
  }

  return wrt.map((w) => total(w) ?? zerosLike(g, w));
}
