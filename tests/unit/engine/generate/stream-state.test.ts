import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStudioError } from '../../../../main/engine/errors';
import { foldResidualBiases } from '../../../../main/engine/generate/fold';
import { IncrementalGenerator } from '../../../../main/engine/generate/incremental';
import { StreamState } from '../../../../main/engine/generate/stream-state';
import { dilations, preset } from '../../../../main/engine/model/config';
import { initialParams, paramSpecs } from '../../../../main/engine/model/params';
import { Random } from '../../../../main/engine/util/random';
import { nativeTestOptions } from '../../../helpers/native';

test('more streams than WebAssembly memory holds: one line with the most that fit, before anything is allocated', () => {
  const cfg = preset('large');
  const folded = foldResidualBiases(cfg, initialParams(paramSpecs(cfg), 1));
  assert.throws(() => new StreamState(cfg, folded, 600, 'onnx'), (e: unknown) => {
    assert.ok(isStudioError(e) && e.code === 'BAD_OPTION', String(e));
    assert.match(e.message, /^600 streams side by side need 4\.8 GB .* over WebAssembly's 4 GB: use at most 49\d streams \(--batch\) per worker\.$/);
    return true;
  });
});

/**
 * Each of `count` streams' logits over 150 steps when stepped together by `engine`, and each
 * stream's when stepped alone: they must be equal bit for bit.
 */
async function batchIndependence(engine: 'wasm' | 'native', count: number): Promise<void> {
  const cfg = { ...preset('tiny'), layersPerStack: 6, stacks: 2 };
  const flat = initialParams(paramSpecs(cfg), 4);
  const rng = new Random(11);
  const L = dilations(cfg).length;
  const steps = 150;
  const ids = Array.from({ length: count }, (_, s) => s);
  // Each stream with its own samples and conditioning rows.
  const samples = ids.map(() => Array.from({ length: steps + 1 }, () => rng.int(cfg.quantization)));
  const rows = ids.map(() => Float32Array.from({ length: L * cfg.gate }, () => rng.normal()));
  const run = async (streams: number[]): Promise<Float32Array[]> => {
    const gen = await IncrementalGenerator.create(cfg, flat, { streams: streams.length, device: 'cpu', threads: 1, engine });
    const out = streams.map(() => new Float32Array(steps * cfg.quantization));
    for (let t = 0; t < steps; t++) {
      const logits = await gen.step(streams.map((s) => samples[s]![t + 1]!), streams.map((s) => samples[s]![t]!), (n) => rows[streams[n]!]!);
      streams.forEach((_, n) => out[n]!.set(logits.subarray(n * cfg.quantization, (n + 1) * cfg.quantization), t * cfg.quantization));
    }
    await gen.release();
    return out;
  };
  const together = await run(ids);
  for (const s of ids) {
    const [alone] = await run([s]);
    assert.ok(Buffer.from(alone!.buffer).equals(Buffer.from(together[s]!.buffer)), `stream ${s}: its logits differ from those of the stream alone`);
  }
}

test('the WebAssembly kernel steps streams in pairs without changing any stream\'s logits: bit for bit those of the stream alone', async () => {
  await batchIndependence('wasm', 3); // a pair, then one alone
});

test('the native step batches streams in blocks of six rows without changing any stream\'s logits: bit for bit those of the stream alone', nativeTestOptions(), async () => {
  await batchIndependence('native', 8); // a block of six, then one of two; tiny's output projection ends in a 4-wide panel
});
