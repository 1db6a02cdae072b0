import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { preset, type WaveNetConfig } from '../../../../main/engine/model/config';
import { lossGraph } from '../../../../main/engine/model/graphs';
import { initialParams, paramCount, paramSpecs } from '../../../../main/engine/model/params';
import { Random } from '../../../../main/engine/util/random';

/** tiny, narrower, with global classes: every parameter kind, rows enough to split (2 × 512). */
const CFG: WaveNetConfig = { ...preset('tiny'), layersPerStack: 3, residual: 8, gate: 12, skip: 10, head: 16, hop: 64, upsampleChannels: 6, globalClasses: 3 };
const SHAPE = { batch: 2, length: 512 };

test('weight gradients split into batched products per thread (CPU tuning) equal the one-Gemm gradient (float64)', async () => {
  const rng = new Random(4);
  const { batch: B, length: T } = SHAPE;
  const F = T / CFG.hop;
  const theta = Float64Array.from(initialParams(paramSpecs(CFG), 2), (v) => v + 0.05 * rng.normal());
  const feeds = {
    samples: new ort.Tensor('int64', BigInt64Array.from({ length: B * T }, () => BigInt(rng.int(CFG.quantization))), [B, T]),
    targets: new ort.Tensor('int64', BigInt64Array.from({ length: B * T }, () => BigInt(rng.int(CFG.quantization))), [B * T]),
    frames: new ort.Tensor('float64', Float64Array.from({ length: B * F * CFG.conditionBins }, () => rng.normal()), [B, F, CFG.conditionBins]),
    global_id: new ort.Tensor('int64', BigInt64Array.from([2n, 0n]), [B]),
    theta: new ort.Tensor('float64', theta, [theta.length]),
  };
  const run = async (parts: number): Promise<{ loss: number; grad: Float64Array; bytes: Uint8Array }> => {
    const bytes = lossGraph(CFG, SHAPE, 'float64', true, { weightGradientParts: parts });
    const s = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 2 });
    const out = await s.run(feeds);
    await s.release();
    return { loss: Number(out.loss!.data[0]), grad: out.grad!.data as Float64Array, bytes };
  };
  const one = await run(1);
  const two = await run(2);
  // The split form is really built (a batched MatMul per weight gradient), and gives the same numbers.
  const matmuls = (b: Uint8Array): number => Buffer.from(b).toString('latin1').split('MatMul').length;
  assert.ok(matmuls(two.bytes) > matmuls(one.bytes) + 10);
  assert.equal(two.loss, one.loss);
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < paramCount(paramSpecs(CFG)); i++) {
    worst = Math.max(worst, Math.abs(two.grad[i]! - one.grad[i]!));
    scale = Math.max(scale, Math.abs(one.grad[i]!));
  }
  assert.ok(scale > 0 && worst < 1e-12 * scale, `gradients differ by ${worst} (largest ${scale})`);
});
