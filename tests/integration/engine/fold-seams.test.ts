import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { loadMono } from '../../../main/engine/audio/load';
import { melSettingsFor } from '../../../main/contract/domain/mel';
import { logMel, melDistance } from '../../../main/engine/dsp/mel';
import { renderAudio } from '../../../main/engine/generate/render';
import { preset } from '../../../main/engine/model/config';
import { initialParams, paramSpecs } from '../../../main/engine/model/params';
import { openModel } from '../../../main/engine/run/index';
import { Random } from '../../../main/engine/util/random';
import { corpus, fixtures } from '../../helpers/paths';

const jump = (x: Float32Array, i: number): number => Math.abs(x[i]! - x[i - 1]!);

/** Log-spectral flux per 4 ms frame (16 ms window): how much louder each frame got in any band, summed. */
function spectralFlux(x: Float32Array, sampleRate: number): Float32Array {
  const hop = 64;
  const m = logMel(x, { sampleRate, nFft: 256, winLength: 256, hop, nMels: 40, fMin: 0, fMax: sampleRate / 2, floor: 1e-5 });
  const flux = new Float32Array(m.frames);
  for (let f = 1; f < m.frames; f++) {
    let s = 0;
    for (let b = 0; b < m.bins; b++) s += Math.max(0, m.data[f * m.bins + b]! - m.data[(f - 1) * m.bins + b]!);
    flux[f] = s;
  }
  return flux;
}

test('a folded render (8 chunks side by side) has no click at its chunk joins: jumps and spectral flux there stay within the audio\'s own', async () => {
  const model = await openModel(path.join(fixtures, 'models/tiny-en-gb.onnx'));
  const samples = await loadMono(path.join(corpus, 'speech/en-us/utt01.wav'), model.cfg.sampleRate);
  const frames = logMel(samples, melSettingsFor(model.cfg.sampleRate, model.cfg.hop));
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
  // Frames whose window touches a join or its crossfade, against every other frame of this render
  // and every frame of an unfolded render of the same conditioning (log flux leaps at any onset
  // out of near-silence, so the range is that of renders, joins or not).
  const flux = spectralFlux(audio, model.cfg.sampleRate);
  const unfolded = (await renderAudio(model.cfg, model.flat, frames, { temperature: 1, seed: 3, streams: 1, device: 'cpu' })).audio;
  const atJoin = (f: number): boolean => joins.some((j) => f * 64 + 128 >= j - 128 && f * 64 - 128 <= j + 320 + 128);
  let range = Math.max(...spectralFlux(unfolded, model.cfg.sampleRate));
  for (let f = 1; f < flux.length; f++) if (!atJoin(f)) range = Math.max(range, flux[f]!);
  for (let f = 1; f < flux.length; f++) {
    if (atJoin(f)) assert.ok(flux[f]! <= range, `spectral flux ${flux[f]!.toFixed(2)} at ${(f * 64 / model.cfg.sampleRate).toFixed(3)} s (a join) > the largest elsewhere ${range.toFixed(2)}`);
  }
});

test('a folded render gives the same audio on one worker thread or two (each chunk draws from its own seed and rows)', async () => {
  const cfg = preset('tiny');
  const flat = initialParams(paramSpecs(cfg), 5);
  const rng = new Random(9);
  const count = Math.ceil(8000 / cfg.hop);
  const frames = { frames: count, bins: cfg.conditionBins, data: Float32Array.from({ length: count * cfg.conditionBins }, () => rng.normal() - 4) };
  const one = await renderAudio(cfg, flat, frames, { temperature: 1, seed: 2, streams: 3, workers: 1, device: 'cpu' });
  const two = await renderAudio(cfg, flat, frames, { temperature: 1, seed: 2, streams: 3, workers: 2, device: 'cpu' });
  assert.equal(one.classes.length, 8000);
  assert.ok(Buffer.from(one.classes).equals(Buffer.from(two.classes)), 'the classes differ between one worker and two');
});

test('a folded render is as close to an unfolded render of the same conditioning as two unfolded renders are to each other', async () => {
  const model = await openModel(path.join(fixtures, 'models/tiny-en-gb.onnx'));
  const { cfg, flat } = model;
  const samples = await loadMono(path.join(corpus, 'speech/en-us/utt01.wav'), cfg.sampleRate);
  const frames = logMel(samples, melSettingsFor(cfg.sampleRate, cfg.hop));
  const render = async (seed: number, streams: number): Promise<Float32Array> => (await renderAudio(cfg, flat, frames, { temperature: 1, seed, streams, device: 'cpu' })).audio;
  const unfolded = [await render(20, 1), await render(21, 1), await render(22, 1)];
  const folded = [await render(30, 8), await render(31, 8)];
  const mel = melSettingsFor(cfg.sampleRate, cfg.hop);
  const d = (a: Float32Array, b: Float32Array): number => melDistance(logMel(a, mel), logMel(b, mel));
  const between = [d(unfolded[0]!, unfolded[1]!), d(unfolded[0]!, unfolded[2]!), d(unfolded[1]!, unfolded[2]!)];
  const toFolded = folded.flatMap((f) => unfolded.map((u) => d(f, u)));
  const mean = (x: number[]): number => x.reduce((s, v) => s + v, 0) / x.length;
  // Every distance here is between independent draws: the folded ones may differ from the
  // unfolded pairs by the spread of those pairs, no more.
  const spread = Math.max(...between) - Math.min(...between);
  const msg = `folded↔unfolded ${toFolded.map((v) => v.toFixed(3)).join(', ')} vs unfolded↔unfolded ${between.map((v) => v.toFixed(3)).join(', ')}`;
  assert.ok(mean(toFolded) <= mean(between) + spread, msg);
  // And as close to the source's own mel as unfolded renders are.
  const toSource = (x: Float32Array[]): number => mean(x.map((a) => d(a, samples)));
  assert.ok(toSource(folded) <= toSource(unfolded) * 1.1, `to the source: folded ${toSource(folded).toFixed(3)}, unfolded ${toSource(unfolded).toFixed(3)}`);
});
