import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import type { WaveNetConfig } from '../../../../main/engine/model/config';
import { lossGraph, trainStepGraph } from '../../../../main/engine/model/graphs';
import { initialParams, paramCount, paramSpecs } from '../../../../main/engine/model/params';
import { Random } from '../../../../main/engine/util/random';

/** Small enough to difference every kind of parameter, with local and global conditioning. */
const MICRO: WaveNetConfig = {
  sampleRate: 16000, quantization: 16, stacks: 2, layersPerStack: 2, residual: 4, gate: 6, skip: 5, head: 7,
  condition: 'mel', conditionBins: 3, hop: 4, upsampleChannels: 3, globalClasses: 2,
};
const SHAPE = { batch: 2, length: 12 };

function batchFeeds(dtype: 'float32' | 'float64', rng: Random): Record<string, ort.Tensor> {
  const { batch: B, length: T } = SHAPE;
  const seq = Array.from({ length: B * (T + 1) }, () => rng.int(MICRO.quantization));
  const samples = new BigInt64Array(B * T);
  const targets = new BigInt64Array(B * T);
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) {
    samples[b * T + t] = BigInt(seq[b * (T + 1) + t]!);
    targets[b * T + t] = BigInt(seq[b * (T + 1) + t + 1]!);
  }
  const F = T / MICRO.hop;
  const frames = Array.from({ length: B * F * MICRO.conditionBins }, () => rng.normal());
  return {
    samples: new ort.Tensor('int64', samples, [B, T]),
    targets: new ort.Tensor('int64', targets, [B * T]),
    frames: new ort.Tensor(dtype, dtype === 'float64' ? Float64Array.from(frames) : Float32Array.from(frames), [B, F, MICRO.conditionBins]),
    global_id: new ort.Tensor('int64', BigInt64Array.from([0n, 1n]), [B]),
  };
}

function noisyParams(seed: number): Float64Array {
  const flat = initialParams(paramSpecs(MICRO), seed);
  const rng = new Random(seed + 9);
  return Float64Array.from(flat, (v) => v + 0.1 * rng.normal());
}

for (const columns of [false, true]) test(`the whole train-step gradient matches central finite differences (float64, every parameter kind, activations as ${columns ? 'columns' : 'rows'})`, async () => {
  const session = await ort.InferenceSession.create(lossGraph(MICRO, SHAPE, 'float64', true, { columns }));
  const feeds = batchFeeds('float64', new Random(5));
  const theta = noisyParams(3);
  const run = async (): Promise<ort.InferenceSession.ReturnType> =>
    session.run({ ...feeds, theta: new ort.Tensor('float64', theta, [theta.length]) });
  const analytic = Float64Array.from((await run()).grad!.data as Float64Array);
  const h = 1e-6;
  let worst = 0;
  // Every parameter tensor gets at least one checked element, plus a spread of others.
  const specs = paramSpecs(MICRO);
  const picks: number[] = [];
  let offset = 0;
  for (const s of specs) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    picks.push(offset + Math.floor(n / 2));
    offset += n;
  }
  for (let i = 0; i < theta.length; i += 37) picks.push(i);
  for (const i of picks) {
    const keep = theta[i]!;
    theta[i] = keep + h;
    const up = Number((await run()).loss!.data[0]);
    theta[i] = keep - h;
    const down = Number((await run()).loss!.data[0]);
    theta[i] = keep;
    const numeric = (up - down) / (2 * h);
    worst = Math.max(worst, Math.abs(numeric - analytic[i]!) / Math.max(1e-4, Math.abs(numeric)));
  }
  assert.ok(worst < 1e-5, `worst relative error ${worst}`);
  assert.ok(analytic.some((v) => v !== 0));
});

test('one Adam step in the graph equals Adam computed by hand, with clipping', async () => {
  const opt = { beta1: 0.9, beta2: 0.999, clip: 0.05 };
  const train = await ort.InferenceSession.create(trainStepGraph(MICRO, SHAPE, opt, 'float64'));
  const grad = await ort.InferenceSession.create(lossGraph(MICRO, SHAPE, 'float64', true));
  const feeds = batchFeeds('float64', new Random(8));
  const P = paramCount(paramSpecs(MICRO));
  const theta = noisyParams(4);
  const m = Float64Array.from({ length: P }, (_, i) => 0.01 * Math.sin(i));
  const v = Float64Array.from({ length: P }, (_, i) => 0.001 * (1 + Math.cos(i)));
  const lr = 0.003;
  const eps = 1e-8;
  const out = await train.run({
    ...feeds,
    theta: new ort.Tensor('float64', theta, [P]),
    adam_m: new ort.Tensor('float64', m, [P]),
    adam_v: new ort.Tensor('float64', v, [P]),
    lr: new ort.Tensor('float64', Float64Array.from([lr]), []),
    eps: new ort.Tensor('float64', Float64Array.from([eps]), []),
  });
  const g = (await grad.run({ ...feeds, theta: new ort.Tensor('float64', theta, [P]) })).grad!.data as Float64Array;
  const norm = Math.sqrt(g.reduce((s, x) => s + x * x, 0));
  assert.ok(norm > opt.clip, 'the test must exercise clipping');
  assert.ok(Math.abs(Number(out.grad_norm!.data[0]) - norm) < 1e-9);
  const scale = Math.min(1, opt.clip / (norm + 1e-6));
  const next = out.theta_next!.data as Float64Array;
  let worst = 0;
  for (let i = 0; i < P; i++) {
    const gi = g[i]! * scale;
    const mi = opt.beta1 * m[i]! + (1 - opt.beta1) * gi;
    const vi = opt.beta2 * v[i]! + (1 - opt.beta2) * gi * gi;
    const expected = theta[i]! - (lr * mi) / (Math.sqrt(vi) + eps);
    worst = Math.max(worst, Math.abs(expected - next[i]!));
  }
  assert.ok(worst < 1e-12, `Adam mismatch ${worst}`);
});
