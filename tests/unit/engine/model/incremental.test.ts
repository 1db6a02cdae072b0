import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { ConditioningStream } from '../../../../main/engine/generate/conditioning';
import type { StepEngine } from '../../../../main/engine/generate/stream-state';
import { IncrementalGenerator } from '../../../../main/engine/generate/incremental';
import { preset, receptiveField, withCondition, type WaveNetConfig } from '../../../../main/engine/model/config';
import { forwardModel } from '../../../../main/engine/model/graphs';
import { initialParams, paramSpecs } from '../../../../main/engine/model/params';
import { Random } from '../../../../main/engine/util/random';
import { nativeTestOptions } from '../../../helpers/native';

/** Random weights with non-zero biases, so that every term of the step graph is exercised. */
function randomWeights(cfg: WaveNetConfig, seed: number): Float32Array {
  const flat = initialParams(paramSpecs(cfg), seed);
  const rng = new Random(seed + 1);
  for (let i = 0; i < flat.length; i++) if (flat[i] === 0) flat[i] = 0.1 * rng.normal();
  return flat;
}

async function compare(cfg: WaveNetConfig, streams: number, engine: StepEngine): Promise<number> {
  const flat = randomWeights(cfg, 7);
  const rng = new Random(3);
  const hop = cfg.hop;
  const T = Math.ceil((2 * receptiveField(cfg) + 10) / hop) * hop;
  const F = T / hop;
  const samples = Array.from({ length: streams }, () => Array.from({ length: T }, () => rng.int(cfg.quantization)));
  const frames = cfg.condition === 'none' ? null : Array.from({ length: streams }, () => Float32Array.from({ length: F * cfg.conditionBins }, () => rng.normal()));

  // Full-sequence forward pass through the model file's graph.
  const model = await ort.InferenceSession.create(forwardModel(cfg, flat, {}));
  const full: Float32Array[] = [];
  for (let n = 0; n < streams; n++) {
    const feeds: Record<string, ort.Tensor> = { samples: new ort.Tensor('int64', BigInt64Array.from(samples[n]!.map(BigInt)), [1, T]) };
    if (frames) feeds.frames = new ort.Tensor('float32', frames[n]!, [1, F, cfg.conditionBins]);
    full.push((await model.run(feeds))[model.outputNames[0]!]!.data as Float32Array);
  }

  // Incremental: one sample at a time with per-layer ring buffers.
  const conds: ConditioningStream[] = [];
  for (let n = 0; n < streams; n++) conds.push(await ConditioningStream.open(cfg, flat, frames ? { frames: F, bins: cfg.conditionBins, data: frames[n]! } : null, null, 'cpu', 4));
  const gen = await IncrementalGenerator.create(cfg, flat, { streams, device: 'cpu', engine });
  let maxDiff = 0;
  for (let t = 0; t < T; t++) {
    const cur = samples.map((s) => s[t]!);
    const prev = samples.map((s) => (t > 0 ? s[t - 1]! : 0));
    const rows = await Promise.all(conds.map((c) => c.rowAt(t)));
    const logits = await gen.step(cur, prev, (n) => rows[n]!);
    for (let n = 0; n < streams; n++) {
      for (let q = 0; q < cfg.quantization; q++) {
        maxDiff = Math.max(maxDiff, Math.abs(logits[n * cfg.quantization + q]! - full[n]![t * cfg.quantization + q]!));
      }
    }
  }
  await gen.release();
  await model.release();
  for (const c of conds) await c.close();
  return maxDiff;
}

for (const engine of ['onnx', 'wasm', 'native'] as const) {
  const options = engine === 'native' ? nativeTestOptions() : {};
  const how = { onnx: 'step graph', wasm: 'WebAssembly kernel', native: 'native step' }[engine];
  test(`incremental step logits (${how}) equal the full forward pass over two receptive fields (mel streamed in 4-frame chunks, 3 streams)`, options, async () => {
    const cfg = { ...preset('tiny'), layersPerStack: 6, stacks: 2, hop: 16 };
    const diff = await compare(cfg, 3, engine);
    assert.ok(diff <= 1e-4, `max abs diff ${diff}`);
  });

  test(`incremental (${how}) equals full forward for an unconditional model`, options, async () => {
    const cfg = withCondition({ ...preset('tiny'), layersPerStack: 5 }, 'none');
    const diff = await compare(cfg, 2, engine);
    assert.ok(diff <= 1e-4, `max abs diff ${diff}`);
  });
}
