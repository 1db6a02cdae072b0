/**
 * Central finite-difference checks of the autodiff, in float64 so that the comparison is tight.
 * Builds loss = Σ f(inputs) ⊙ r with a fixed random r, its gradient graph, and compares each
 * analytic gradient element with (L(x + h) − L(x − h)) / 2h computed by ONNX Runtime itself.
 */
import * as ort from 'onnxruntime-node';
import { GraphBuilder } from '../../../../main/engine/graph/builder';
import { gradients } from '../../../../main/engine/graph/autodiff';
import * as op from '../../../../main/engine/graph/ops/index';
import { toOnnx } from '../../../../main/engine/graph/serialize';
import { sizeOf, type Value } from '../../../../main/engine/graph/types';
import { Random } from '../../../../main/engine/util/random';

export interface CheckInput {
  shape: number[];
  /** Values to use instead of normal noise (e.g. keep away from a ReLU kink). */
  data?: Float64Array;
  /** Integer inputs (indices, labels) are fed but not differentiated. */
  ints?: { values: number[] };
}

export interface CheckResult {
  maxAbsError: number;
  maxRelError: number;
  checked: number;
}

export async function gradCheck(
  inputs: CheckInput[],
  f: (g: GraphBuilder, xs: Value[]) => Value,
  seed = 1,
): Promise<CheckResult> {
  const rng = new Random(seed);
  const g = new GraphBuilder('float64');
  const xs = inputs.map((inp, i) => g.input(`x${i}`, inp.ints ? 'int64' : 'float64', inp.shape));
  const y = f(g, xs);
  const r = g.constant('float64', y.shape, Array.from({ length: sizeOf(y.shape) }, () => rng.normal()));
  const weighted = op.mul(g, y, r);
  const loss = y.shape.length === 0 ? weighted : op.reduceSum(g, weighted, y.shape.map((_, i) => i));
  g.output(loss, 'loss');
  const wrt = xs.filter((_, i) => !inputs[i]!.ints);
  const grads = gradients(g, loss, wrt);
  grads.forEach((dx, i) => g.output(dx, `grad${i}`));
  const session = await ort.InferenceSession.create(toOnnx(g), { graphOptimizationLevel: 'disabled' });

  const values = inputs.map((inp) =>
    inp.ints ? BigInt64Array.from(inp.ints.values.map(BigInt)) : inp.data ? Float64Array.from(inp.data) : Float64Array.from({ length: sizeOf(inp.shape) }, () => rng.normal()),
  );
  const feeds = (): Record<string, ort.Tensor> =>
    Object.fromEntries(inputs.map((inp, i) => [`x${i}`, new ort.Tensor(inp.ints ? 'int64' : 'float64', values[i]!, inp.shape)]));
  const lossAt = async (): Promise<number> => Number((await session.run(feeds(), ['loss'])).loss!.data[0]);

  const out = await session.run(feeds());
  let maxAbsError = 0;
  let maxRelError = 0;
  let checked = 0;
  const h = 1e-6;
  let k = 0;
  for (let i = 0; i < inputs.length; i++) {
    if (inputs[i]!.ints) continue;
    const analytic = out[`grad${k++}`]!.data as Float64Array;
    const x = values[i] as Float64Array;
    for (let j = 0; j < x.length; j++) {
      const keep = x[j]!;
      x[j] = keep + h;
      const up = await lossAt();
      x[j] = keep - h;
      const down = await lossAt();
      x[j] = keep;
      const numeric = (up - down) / (2 * h);
      const err = Math.abs(numeric - analytic[j]!);
      maxAbsError = Math.max(maxAbsError, err);
      maxRelError = Math.max(maxRelError, err / Math.max(1e-3, Math.abs(numeric)));
      checked++;
    }
  }
  await session.release();
  return { maxAbsError, maxRelError, checked };
}
