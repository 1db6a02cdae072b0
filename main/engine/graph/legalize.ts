import { GraphBuilder } from './builder';
import { GPU_LIMITS, hostConstantNames, maxFan, storageBuffers, type GraphLimits } from './limits';
import { lowerSoftmaxCrossEntropy } from './ops/cross_entropy';
import { lowerGate } from './ops/gate';
import type { GraphNode, Initializer, Value } from './types';

export interface LegalGraph {
  nodes: GraphNode[];
  initializers: Initializer[];
}

/**
 * The graph as every execution provider can run it, within GPU_LIMITS: a Split with more pieces
 * than one shader may bind becomes a tree of Splits, a Concat of too many inputs a tree of
 * Concats, SoftmaxCrossEntropyLoss (no WebGPU kernel) becomes log-sum-exp and a gather, and the
 * gated activation (our own node) Tanh, Sigmoid and Mul.
 * Applied on every device: the trees copy values exactly, so results do not change.
 */
export function legalize(g: GraphBuilder, limits: GraphLimits = GPU_LIMITS): LegalGraph {
  const out = new GraphBuilder(g.float, 'lg.');
  const fan = maxFan(limits);
  const int64Data = (v: Value): number[] => {
    const init = g.initializers.find((i) => i.value === v) ?? g.initializers.find((i) => i.value.name === v.name);
    if (!init || !(init.data instanceof BigInt64Array)) throw new Error(`legalize: ${v.name} is not a constant int64 tensor`);
    return Array.from(init.data, Number);
  };
  for (const n of g.nodes) {
    if (n.op === 'Split' && n.outputs.length > fan) {
      if (n.inputs.length < 2) throw new Error('legalize: a Split needs explicit sizes');
      splitTree(out, n.inputs[0]!, axisOf(n), int64Data(n.inputs[1]!), n.outputs, fan);
    } else if (n.op === 'Concat' && n.inputs.length > fan) {
      concatTree(out, n.inputs, axisOf(n), n.outputs[0]!, fan);
    } else if (n.op === 'SoftmaxCrossEntropyLoss') {
      lowerSoftmaxCrossEntropy(out, n);
    } else if (n.op === 'WaveNetGate') {
      lowerGate(out, n);
    } else {
      out.nodes.push(n);
    }
  }
  // Shape constants only the replaced nodes read (a Split's sizes) are left out, or ONNX Runtime
  // warns; weights stay whatever reads them (a model file is read back by initializer name).
  const used = new Set([...out.nodes.flatMap((n) => n.inputs.map((v) => v.name)), ...g.outputs.map((v) => v.name)]);
  const initializers = [...g.initializers, ...out.initializers].filter((i) => i.value.dtype !== 'int64' || used.has(i.value.name));
  const host = hostConstantNames(initializers);
  for (const n of out.nodes) {
    const used = storageBuffers(n, host);
    if (used > limits.maxStorageBuffersPerShaderStage) {
      throw new Error(`legalize: ${n.op} binds ${used} tensors, over ${limits.maxStorageBuffersPerShaderStage}`);
    }
  }
  return { nodes: out.nodes, initializers };
}

function axisOf(n: GraphNode): number {
  const a = n.attrs.axis;
  if (!a || a.kind !== 'int') throw new Error(`legalize: ${n.op} without an axis`);
  return a.value;
}

/** Consecutive groups of at most `fan` groups each: a tree that is as shallow as `fan` allows. */
function groups<T>(items: readonly T[], fan: number): T[][] {
  let size = 1;
  while (size * fan < items.length) size *= fan;
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function withAxis(v: Value, axis: number, size: number): { dtype: Value['dtype']; shape: number[] } {
  const shape = [...v.shape];
  shape[axis] = size;
  return { dtype: v.dtype, shape };
}

function splitTree(b: GraphBuilder, x: Value, axis: number, sizes: readonly number[], outputs: readonly Value[], fan: number): void {
  if (outputs.length <= fan) {
    b.nodes.push({ op: 'Split', inputs: [x, b.int64s(sizes)], outputs: [...outputs], attrs: { axis: { kind: 'int', value: axis } } });
    return;
  }
  const parts = groups(outputs.map((o, i) => ({ o, size: sizes[i]! })), fan);
  const totals = parts.map((p) => p.reduce((s, q) => s + q.size, 0));
  const mids = parts.map((p, i) => (p.length === 1 ? p[0]!.o : { name: b.fresh('split'), ...withAxis(x, axis, totals[i]!) }));
  b.nodes.push({ op: 'Split', inputs: [x, b.int64s(totals)], outputs: mids, attrs: { axis: { kind: 'int', value: axis } } });
  parts.forEach((p, i) => {
    if (p.length > 1) splitTree(b, mids[i]!, axis, p.map((q) => q.size), p.map((q) => q.o), fan);
  });
}

function concatTree(b: GraphBuilder, inputs: readonly Value[], axis: number, output: Value, fan: number): void {
  const attrs = { axis: { kind: 'int' as const, value: axis } };
  if (inputs.length <= fan) {
    b.nodes.push({ op: 'Concat', inputs: [...inputs], outputs: [output], attrs });
    return;
  }
  const mids = groups(inputs, fan).map((p) => {
    if (p.length === 1) return p[0]!;
    const joined: Value = { name: b.fresh('concat'), ...withAxis(p[0]!, axis, p.reduce((s, v) => s + v.shape[axis]!, 0)) };
    concatTree(b, p, axis, joined, fan);
    return joined;
  });
  b.nodes.push({ op: 'Concat', inputs: mids, outputs: [output], attrs });
}
