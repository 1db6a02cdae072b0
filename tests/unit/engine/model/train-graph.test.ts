import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { preset, type WaveNetConfig } from '../../../../main/engine/model/config';
import { lossGraph, type GraphTuning } from '../../../../main/engine/model/graphs';
import { initialParams, paramCount, paramSpecs } from '../../../../main/engine/model/params';
import { Random } from '../../../../main/engine/util/random';

/** tiny, narrower, with global classes: every parameter kind, rows enough to split (2 × 512). */
const CFG: WaveNetConfig = { ...preset('tiny'), layersPerStack: 3, residual: 8, gate: 12, skip: 10, head: 16, hop: 64, upsampleChannels: 6, globalClasses: 3 };
const SHAPE = { batch: 2, length: 512 };

/** A batch for `cfg` and theta near its initial values, float64. */
function feedsFor(cfg: WaveNetConfig, seed: number): Record<string, ort.Tensor> {
  const rng = new Random(seed);
  const { batch: B, length: T } = SHAPE;
  const F = T / cfg.hop;
  const theta = Float64Array.from(initialParams(paramSpecs(cfg), 2), (v) => v + 0.05 * rng.normal());
  const feeds: Record<string, ort.Tensor> = {
    samples: new ort.Tensor('int64', BigInt64Array.from({ length: B * T }, () => BigInt(rng.int(cfg.quantization))), [B, T]),
    targets: new ort.Tensor('int64', BigInt64Array.from({ length: B * T }, () => BigInt(rng.int(cfg.quantization))), [B * T]),
    theta: new ort.Tensor('float64', theta, [theta.length]),
  };
  if (cfg.condition !== 'none') feeds.frames = new ort.Tensor('float64', Float64Array.from({ length: B * F * cfg.conditionBins }, () => rng.normal()), [B, F, cfg.conditionBins]);
  if (cfg.globalClasses > 0) feeds.global_id = new ort.Tensor('int64', BigInt64Array.from([2n, 0n]), [B]);
  return feeds;
}

async function lossAndGradient(cfg: WaveNetConfig, feeds: Record<string, ort.Tensor>, tuning: GraphTuning): Promise<{ loss: number; grad: Float64Array; bytes: Uint8Array }> {
  const bytes = lossGraph(cfg, SHAPE, 'float64', true, tuning);
  const s = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 2 });
  const out = await s.run(feeds);
  await s.release();
  return { loss: Number(out.loss!.data[0]), grad: out.grad!.data as Float64Array, bytes };
}

/** The largest difference between two gradients, and the largest element of the first. */
function gradientGap(cfg: WaveNetConfig, a: Float64Array, b: Float64Array): { worst: number; scale: number } {
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < paramCount(paramSpecs(cfg)); i++) {
    worst = Math.max(worst, Math.abs(b[i]! - a[i]!));
    scale = Math.max(scale, Math.abs(a[i]!));
  }
  return { worst, scale };
}

test('weight gradients split into batched products per thread (CPU tuning) equal the one-Gemm gradient (float64)', async () => {
  const feeds = feedsFor(CFG, 4);
  const one = await lossAndGradient(CFG, feeds, { weightGradientParts: 1 });
  const two = await lossAndGradient(CFG, feeds, { weightGradientParts: 2 });
  // The split form is really built (a batched MatMul per weight gradient), and gives the same numbers.
  const matmuls = (b: Uint8Array): number => Buffer.from(b).toString('latin1').split('MatMul').length;
  assert.ok(matmuls(two.bytes) > matmuls(one.bytes) + 10);
  assert.equal(two.loss, one.loss);
  const { worst, scale } = gradientGap(CFG, one.grad, two.grad);
  assert.ok(scale > 0 && worst < 1e-12 * scale, `gradients differ by ${worst} (largest ${scale})`);
});

const UNCONDITIONAL: WaveNetConfig = { ...CFG, condition: 'none', conditionBins: 0, globalClasses: 0 };
const GLOBAL_ONLY: WaveNetConfig = { ...CFG, condition: 'none', conditionBins: 0 };

for (const [name, cfg] of [['local and global conditioning', CFG], ['no conditioning', UNCONDITIONAL], ['global classes only', GLOBAL_ONLY]] as const) {
  test(`activations held as columns give the rows' loss and gradient (float64, ${name})`, async () => {
    const feeds = feedsFor(cfg, 6);
    const rows = await lossAndGradient(cfg, feeds, {});
    const columns = await lossAndGradient(cfg, feeds, { columns: true });
    // Really another graph: its 1×1 convolutions are Wᵀ·x, so it has Transpose nodes rows lack.
    const transposes = (b: Uint8Array): number => Buffer.from(b).toString('latin1').split('Transpose').length;
    assert.ok(transposes(columns.bytes) > transposes(rows.bytes));
    assert.ok(Math.abs(columns.loss - rows.loss) < 1e-12 * Math.abs(rows.loss), `losses ${columns.loss} and ${rows.loss}`);
    const { worst, scale } = gradientGap(cfg, rows.grad, columns.grad);
    assert.ok(scale > 0 && worst < 1e-12 * scale, `gradients differ by ${worst} (largest ${scale})`);
  });
}
