import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { loadMono } from '../../../main/engine/audio/load';
import { melConfigFor } from '../../../main/engine/dataset/features';
import { logMel } from '../../../main/engine/dsp/mel';
import { renderAudio } from '../../../main/engine/generate/render';
import { openModel } from '../../../main/engine/run/index';
import { runCli } from '../../helpers/cli';
import { corpus, tempDir } from '../../helpers/paths';

const jump = (x: Float32Array, i: number): number => Math.abs(x[i]! - x[i - 1]!);

test('a folded render (8 chunks side by side) has no click at its chunk joins: each join jumps no more than the audio itself', async () => {
  const run = path.join(tempDir('seams'), 'run');
  const t = await runCli(['train', path.join(corpus, 'speech/en-gb'), '--run', run, '--preset', 'tiny', '--steps', '30', '--batch', '2', '--length', '2000', '--threads', '2']);
  assert.equal(t.code, 0, t.stderr);
  const model = await openModel(run);
  const samples = await loadMono(path.join(corpus, 'speech/en-us/utt01.wav'), model.cfg.sampleRate);
  const frames = logMel(samples, melConfigFor(model.cfg.sampleRate, model.cfg.hop));
  const streams = 8;
  const { audio } = await renderAudio(model.cfg, model.flat, frames, { temperature: 1, seed: 3, streams, device: 'cpu' });
  const total = audio.length;
  const chunk = Math.ceil(total / Math.max(1, Math.min(streams, Math.floor(total / 2000) || 1)));
  const joins: number[] = [];
  for (let j = chunk; j < total; j += chunk) joins.push(j);
  assert.ok(joins.length >= 2, `${joins.length} joins`);
  // Each join with the 20 ms crossfade after it, against the rest of the audio.
  const inJoin = (i: number): boolean => joins.some((j) => i >= j && i <= j + 320);
  let restMax = 0;
  let restSum = 0;
  let restN = 0;
  for (let i = 1; i < total; i++) {
    if (inJoin(i)) continue;
    restMax = Math.max(restMax, jump(audio, i));
    restSum += jump(audio, i);
    restN++;
  }
  assert.ok(restMax > 0, 'the render is not silence');
  for (const j of joins) {
    let worst = 0;
    let sum = 0;
    for (let i = j; i <= Math.min(total - 1, j + 320); i++) {
      worst = Math.max(worst, jump(audio, i));
      sum += jump(audio, i);
    }
    assert.ok(worst <= restMax, `join at ${j}: largest jump ${worst.toFixed(4)} > the largest elsewhere ${restMax.toFixed(4)}`);
    assert.ok(sum / 321 <= 1.5 * (restSum / restN), `join at ${j}: mean jump ${(sum / 321).toFixed(4)} > 1.5 × the mean elsewhere ${(restSum / restN).toFixed(4)}`);
  }
});
