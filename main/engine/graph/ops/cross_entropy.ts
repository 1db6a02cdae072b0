import type { GraphBuilder } from '../builder';
import type { GradRule } from '../grad';
import type { GraphNode, Value } from '../types';
import { mul } from './mul';

/**
 * Mean cross-entropy of logits [N, C] against integer labels [N], in nats. Also returns the
 * log-probabilities, which the gradient reuses. One node while the graph is built and
 * differentiated; serialisation lowers it to ops every execution provider has
 * (lowerSoftmaxCrossEntropy), since WebGPU has no SoftmaxCrossEntropyLoss, LogSoftmax or OneHot.
 */
export function softmaxCrossEntropy(g: GraphBuilder, logits: Value, labels: Value): { loss: Value; logProb: Value } {
  const [loss, logProb] = g.node(
    'SoftmaxCrossEntropyLoss',
    [logits, labels],
    [
      { dtype: logits.dtype, shape: [] },
      { dtype: logits.dtype, shape: logits.shape },
    ],
    { reduction: { kind: 'string', value: 'mean' } },
  );
  return { loss: loss!, logProb: logProb! };
}

/**
 * Labels [N] (int64 or int32) as an int32 column [N, 1]: a Gather from a table of 0..C−1, which
 * runs on the GPU where a Reshape or Cast of int64 would run on the CPU.
 */
export function labelColumn(g: GraphBuilder, labels: Value, classes: number): Value {
  const table = g.constant('int32', [classes, 1], Array.from({ length: classes }, (_, i) => i));
  return g.node1('Gather', [table, labels], { dtype: 'int32', shape: [...labels.shape, 1] }, { axis: { kind: 'int', value: 0 } });
}

/** d loss / d logits = (softmax − onehot(label)) / N, scaled by the incoming scalar gradient. */
export const crossEntropyGrad: GradRule = {
  op: 'SoftmaxCrossEntropyLoss',
  vjp(g, node, [dLoss]) {
    const [logits, labels] = node.inputs as [Value, Value];
    const logProb = node.outputs[1]!;
    const [n, c] = logits.shape as [number, number];
    const prob = g.node1('Exp', [logProb], { dtype: logits.dtype, shape: logits.shape });
    // softmax − onehot without a one-hot tensor: add −1 at each row's label.
    const minusOne = g.node1('ConstantOfShape', [g.int64s([n, 1])], { dtype: logits.dtype, shape: [n, 1] }, {
      value: { kind: 'tensor', dtype: logits.dtype, value: [-1] },
    });
    const diff = g.node1('ScatterElements', [prob, labelColumn(g, labels, c), minusOne], { dtype: logits.dtype, shape: logits.shape }, {
      axis: { kind: 'int', value: 1 },
      reduction: { kind: 'string', value: 'add' },
    });
    const scale = mul(g, dLoss!, g.scalar(1 / n, logits.dtype));
    return [mul(g, diff, scale), null];
  },
};

/**
 * The node as log-sum-exp, a label gather and a mean, writing the node's own outputs:
 * logProb = x − max − log Σ exp(x − max); loss = −mean(logProb[label]).
 */
export function lowerSoftmaxCrossEntropy(b: GraphBuilder, node: GraphNode): void {
  const [x, labels] = node.inputs as [Value, Value];
  const [loss, logProb] = node.outputs as [Value, Value];
  const reduction = node.attrs.reduction?.value ?? 'mean';
  if (reduction !== 'mean' || node.inputs.length !== 2 || x.shape.length !== 2) throw new Error('SoftmaxCrossEntropyLoss: only mean over [N, C] is lowered');
  const [n, c] = x.shape as [number, number];
  const t = x.dtype;
  const col = { dtype: t, shape: [n, 1] };
  const max = b.node1('ReduceMax', [x], col, { axes: { kind: 'ints', value: [1] }, keepdims: { kind: 'int', value: 1 } });
  const shifted = b.node1('Sub', [x, max], { dtype: t, shape: x.shape });
  const sum = b.node1('ReduceSum', [b.node1('Exp', [shifted], { dtype: t, shape: x.shape }), b.int64s([1])], col, { keepdims: { kind: 'int', value: 1 } });
  b.nodes.push({ op: 'Sub', inputs: [shifted, b.node1('Log', [sum], col)], outputs: [logProb], attrs: {} });
  const picked = b.node1('GatherElements', [logProb, labelColumn(b, labels, c)], col, { axis: { kind: 'int', value: 1 } });
  const mean = b.node1('ReduceMean', [picked], { dtype: t, shape: [] }, { axes: { kind: 'ints', value: [0, 1] }, keepdims: { kind: 'int', value: 0 } });
  b.nodes.push({ op: 'Neg', inputs: [mean], outputs: [loss], attrs: {} });
}
