import type { GraphBuilder } from '../builder';
import type { GradRule } from '../grad';
import type { Value } from '../types';
import { mul } from './mul';

/**
 * Mean cross-entropy of logits [N, C] against integer labels [N], in nats. Also returns the
 * log-probabilities, which the gradient reuses.
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

/** d loss / d logits = (softmax − onehot(label)) / N, scaled by the incoming scalar gradient. */
export const crossEntropyGrad: GradRule = {
  op: 'SoftmaxCrossEntropyLoss',
  vjp(g, node, [dLoss]) {
    const [logits, labels] = node.inputs as [Value, Value];
    const logProb = node.outputs[1]!;
    const [n, c] = logits.shape as [number, number];
    const prob = g.node1('Exp', [logProb], { dtype: logits.dtype, shape: logits.shape });
    // ONNX Runtime's CPU OneHot emits float32 only; cast for the float64 gradient checks.
    const onValues = g.constant('float32', [2], [0, 1]);
    let oneHot = g.node1('OneHot', [labels, g.constant('int64', [], [c]), onValues], { dtype: 'float32', shape: [n, c] }, {
      axis: { kind: 'int', value: -1 },
    });
    if (logits.dtype !== 'float32') {
      oneHot = g.node1('Cast', [oneHot], { dtype: logits.dtype, shape: [n, c] }, { to: { kind: 'int', value: 11 } });
    }
    const diff = g.node1('Sub', [prob, oneHot], { dtype: logits.dtype, shape: logits.shape });
    const scale = mul(g, dLoss!, g.scalar(1 / n, logits.dtype));
    return [mul(g, diff, scale), null];
  },
};
