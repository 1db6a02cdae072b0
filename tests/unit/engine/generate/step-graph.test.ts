import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { foldResidualBiases } from '../../../../main/engine/generate/fold';
import type { StepEngine } from '../../../../main/engine/generate/stream-state';
import { IncrementalGenerator } from '../../../../main/engine/generate/incremental';
import { dilations, preset, withCondition, type WaveNetConfig } from '../../../../main/engine/model/config';
import { referenceStepGraph } from '../../../../main/engine/model/graphs';
import { initialParams, paramSpecs, unpackParams } from '../../../../main/engine/model/params';
import { Random } from '../../../../main/engine/util/random';
import { nativeTestOptions } from '../../../helpers/native';

/** Random weights with non-zero biases, so that every term of both step graphs is exercised. */
function randomWeights(cfg: WaveNetConfig, seed: number): Float32Array {
  const flat = initialParams(paramSpecs(cfg), seed);
  const rng = new Random(seed + 1);
  for (let i = 0; i < flat.length; i++) if (flat[i] === 0) flat[i] = 0.1 * rng.normal();
  return flat;
}

/**
 * The previous generator, driven here as it was: ring buffers of layer inputs in JavaScript and
 * the reference step graph (past and current taps concatenated into one Gemm per layer).
 */
async function referenceRun(cfg: WaveNetConfig, flat: Float32Array, streams: number, steps: number, samples: number[][], rows: Float32Array[][]): Promise<Float32Array[]> {
  const folded = foldResidualBiases(cfg, flat);
  const session = await ort.InferenceSession.create(referenceStepGraph(cfg, folded.flat));
  const p = unpackParams(paramSpecs(cfg), flat);
  const [embedPrev, embedCur, embedBias] = [p.get('embed.prev')!, p.get('embed.cur')!, p.get('embed.bias')!];
  const { residual: R, gate: G } = cfg;
  const dil = dilations(cfg);
  const L = dil.length;
  const rings = dil.map((d) => new Float32Array(streams * d * R));
  const out: Float32Array[] = [];
  for (let t = 0; t < steps; t++) {
    const x0 = new Float32Array(streams * R);
    const past = new Float32Array(streams * L * R);
    const cond = new Float32Array(streams * L * G);
    for (let n = 0; n < streams; n++) {
      for (let i = 0; i < R; i++) {
        x0[n * R + i] = embedCur[samples[n]![t]! * R + i]! + embedBias[i]! + (t > 0 ? embedPrev[samples[n]![t - 1]! * R + i]! : 0);
      }
      dil.forEach((d, l) => {
        const slot = (n * d + (t % d)) * R;
        past.set(t >= d ? rings[l]!.subarray(slot, slot + R) : folded.offsets[l]!.map((v) => -v), (n * L + l) * R);
      });
      cond.set(rows[n]![t]!, n * L * G);
    }
    const res = await session.run({
      x0: new ort.Tensor('float32', x0, [streams, R]),
      past: new ort.Tensor('float32', past, [streams, L * R]),
      cond: new ort.Tensor('float32', cond, [streams, L * G]),
    });
    const inputs = res.layer_inputs!.data as Float32Array;
    for (let n = 0; n < streams; n++) {
      dil.forEach((d, l) => rings[l]!.set(inputs.subarray((n * L + l) * R, (n * L + l + 1) * R), (n * d + (t % d)) * R));
    }
    out.push(Float32Array.from(res.logits!.data as Float32Array));
  }
  await session.release();
  return out;
}

async function compare(cfg: WaveNetConfig, streams: number, steps: number, engine: StepEngine): Promise<number> {
  const flat = randomWeights(cfg, 5);
  const rng = new Random(9);
  const W = dilations(cfg).length * cfg.gate;
  const samples = Array.from({ length: streams }, () => Array.from({ length: steps }, () => rng.int(cfg.quantization)));
  // A new conditioning row every 7 samples, as frames change during a render.
  const rows = Array.from({ length: streams }, () => {
    let row = new Float32Array(W);
    return Array.from({ length: steps }, (_, t) => {
      if (t % 7 === 0) row = Float32Array.from({ length: W }, () => rng.normal());
      return row;
    });
  });
  const want = await referenceRun(cfg, flat, streams, steps, samples, rows);
  const gen = await IncrementalGenerator.create(cfg, flat, { streams, device: 'cpu', engine });
  let maxDiff = 0;
  for (let t = 0; t < steps; t++) {
    const logits = await gen.step(samples.map((s) => s[t]!), samples.map((s) => (t > 0 ? s[t - 1]! : 0)), (n) => rows[n]![t]!);
    assert.equal(logits.length, want[t]!.length);
    for (let i = 0; i < logits.length; i++) maxDiff = Math.max(maxDiff, Math.abs(logits[i]! - want[t]![i]!));
  }
  await gen.release();
  return maxDiff;
}

for (const engine of ['onnx', 'wasm', 'native'] as const) {
  const options = engine === 'native' ? nativeTestOptions() : {};
  const what = { onnx: 'the step graph', wasm: 'the WebAssembly step kernel', native: 'the native step' }[engine];
  test(`${what} gives the reference step graph's logits over 300 steps (same inputs, caches from each one's own steps; 2 streams)`, options, async () => {
    // Dilations up to 64 over 300 steps: every layer runs on padding first, then on its ring.
    const cfg = { ...preset('tiny'), layersPerStack: 7, stacks: 2 };
    const diff = await compare(cfg, 2, 300, engine);
    assert.ok(diff <= 1e-5, `max abs diff ${diff}`);
  });

  test(`${what} equals the reference for one stream of an unconditional model`, options, async () => {
    const cfg = withCondition({ ...preset('tiny'), layersPerStack: 5 }, 'none');
    const diff = await compare(cfg, 1, 300, engine);
    assert.ok(diff <= 1e-5, `max abs diff ${diff}`);
  });
}
