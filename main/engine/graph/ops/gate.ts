import type { GraphBuilder } from '../builder';
import type { GradRule } from '../grad';
import type { GraphNode, Value } from '../types';
import { mul } from './mul';
import { sub } from './sub';

/**
 * WaveNet's gated activation h = tanh(a) · σ(b), as one node while the graph is built and
 * differentiated (its outputs h, t = tanh(a), s = σ(b) are all kept for the gradient), lowered
 * to Tanh, Sigmoid and Mul when serialised (lowerGate).
 */
export function gate(g: GraphBuilder, a: Value, b: Value): Value {
  const like = { dtype: a.dtype, shape: a.shape };
  return g.node('WaveNetGate', [a, b], [like, like, like])[0]!;
}

/**
 * With u = dh·h: da = dh·s − u·t (= dh·s·(1 − t²)) and db = u − u·s (= dh·t·s·(1 − s)): six
 * elementwise passes, where Tanh's, Sigmoid's and Mul's own rules chained take eight.
 */
export const gateGrad: GradRule = {
  op: 'WaveNetGate',
  vjp(g, node, [dh]) {
    const [h, t, s] = node.outputs as [Value, Value, Value];
    const u = mul(g, dh!, h);
    return [sub(g, mul(g, dh!, s), mul(g, u, t)), sub(g, u, mul(g, u, s))];
  },
};

/** The node as the ops every execution provider has, writing the node's own outputs. */
export function lowerGate(b: GraphBuilder, node: GraphNode): void {
  const [x, y] = node.inputs as [Value, Value];
  const [h, t, s] = node.outputs as [Value, Value, Value];
  b.nodes.push({ op: 'Tanh', inputs: [x], outputs: [t], attrs: {} });
  b.nodes.push({ op: 'Sigmoid', inputs: [y], outputs: [s], attrs: {} });
  b.nodes.push({ op: 'Mul', inputs: [t, s], outputs: [h], attrs: {} });
}
