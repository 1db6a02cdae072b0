import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStudioError } from '../../../main/engine/errors';
import { renderAudio } from '../../../main/engine/generate/render';
import { releaseStandbyWorkers, standbyCount, standbyRenderWorkers } from '../../../main/engine/generate/worker-pool';
import { preset } from '../../../main/engine/model/config';
import { initialParams, paramSpecs } from '../../../main/engine/model/params';
import { Random } from '../../../main/engine/util/random';

const cfg = preset('tiny');
const flat = initialParams(paramSpecs(cfg), 3);

function frames(samples: number): { frames: number; bins: number; data: Float32Array } {
  const rng = new Random(4);
  const count = Math.ceil(samples / cfg.hop);
  return { frames: count, bins: cfg.conditionBins, data: Float32Array.from({ length: count * cfg.conditionBins }, () => rng.normal() - 4) };
}

test('a render on two worker threads reports progress that only grows and ends at the total', async () => {
  const seen: number[] = [];
  const r = await renderAudio(cfg, flat, frames(16000), { temperature: 1, seed: 1, streams: 6, workers: 2, device: 'cpu', onProgress: (done, total) => {
    assert.equal(total, 16000);
    seen.push(done);
  } });
  assert.equal(r.audio.length, 16000);
  assert.ok(seen.length > 2, `${seen.length} progress reports`);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i]! >= seen[i - 1]!, `progress went back: ${seen[i - 1]} → ${seen[i]}`);
  assert.equal(seen.at(-1), 16000);
});

test('cancelling a render on worker threads stops every worker and reports CANCELLED', async () => {
  const abort = new AbortController();
  const started = performance.now();
  await assert.rejects(
    renderAudio(cfg, flat, frames(160000), { temperature: 1, seed: 1, streams: 8, workers: 2, device: 'cpu', signal: abort.signal, onProgress: (done) => {
      if (done > 0) abort.abort();
    } }),
    (e: unknown) => isStudioError(e) && e.code === 'CANCELLED',
  );
  // Ten seconds of audio would take far longer than the cancel.
  assert.ok(performance.now() - started < 8000, `cancel took ${Math.round(performance.now() - started)} ms`);
});

test('render threads started ahead take a render\'s tasks and give the same audio; the rest are let go', async () => {
  const settings = { temperature: 1, seed: 5, streams: 6, workers: 2, device: 'cpu' as const };
  const fresh = await renderAudio(cfg, flat, frames(12000), settings);
  standbyRenderWorkers(3);
  assert.equal(standbyCount(), 3);
  const ahead = await renderAudio(cfg, flat, frames(12000), settings);
  assert.equal(standbyCount(), 1, 'the render took two of them');
  assert.ok(Buffer.from(ahead.audio.buffer).equals(Buffer.from(fresh.audio.buffer)), 'the same audio');
  releaseStandbyWorkers();
  assert.equal(standbyCount(), 0);
});
