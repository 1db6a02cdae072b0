// How folded renders' joins sound against unfolded renders, for warm-ups of several lengths
// (README "Speed" has its figures for a trained `small`):
//   node --import tsx scripts/seam-study.ts <model.onnx | run folder> <clip.wav> [--warm-ups 1,0.5,0.25] [--seeds 8] [--streams 8]
// Renders the clip's mel with `seeds` unfolded renders (one stream) and, per warm-up (a fraction
// of the receptive field), `seeds` folded renders of `streams` chunks. Prints JSON: the log-mel
// distance between unfolded renders (every pair), from each folded render to each unfolded one,
// both over the whole clip and over the frames within one receptive field after a join; and the
// largest sample-to-sample jump within a crossfade of a join against the largest elsewhere.
import { parseArgs } from 'node:util';
import { loadMono } from '../main/engine/audio/load';
import { melSettingsFor } from '../main/contract/domain/mel';
import { logMel, melDistance as distance, type FrameFeatures } from '../main/engine/dsp/mel';
import { chunkLayout } from '../main/engine/generate/chunks';
import { renderAudio } from '../main/engine/generate/render';
import { receptiveField } from '../main/engine/model/config';
import { openModel } from '../main/engine/run/model';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'warm-ups': { type: 'string', default: '1,0.5,0.25' }, seeds: { type: 'string', default: '8' }, streams: { type: 'string', default: '8' } },
});
const [modelPath, clipPath] = positionals;
if (!modelPath || !clipPath) {
  console.error('usage: scripts/seam-study.ts <model.onnx | run folder> <clip.wav> [--warm-ups 1,0.5,0.25] [--seeds 8] [--streams 8]');
  process.exit(2);
}
const seeds = Number(values.seeds);
const streams = Number(values.streams);
const fractions = values['warm-ups'].split(',').map(Number);

const { cfg, flat } = await openModel(modelPath);
const clip = await loadMono(clipPath, cfg.sampleRate);
const mel = melSettingsFor(cfg.sampleRate, cfg.hop);
const frames = logMel(clip, mel);
const field = receptiveField(cfg);
const layout = chunkLayout(cfg, clip.length, streams);
const joins = Array.from({ length: layout.streams - 1 }, (_, i) => (i + 1) * layout.chunk);
const nearJoin = (frame: number): boolean => joins.some((j) => frame * cfg.hop >= j && frame * cfg.hop < j + field);

function stats(v: number[]): { mean: number; sd: number; n: number } {
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  const sd = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, v.length - 1));
  return { mean: +mean.toFixed(3), sd: +sd.toFixed(3), n: v.length };
}

const render = async (seed: number, n: number, warmUp?: number): Promise<Float32Array> =>
  (await renderAudio(cfg, flat, frames, { temperature: 1, seed, streams: n, device: 'cpu', warmUp })).audio;

const unfolded: FrameFeatures[] = [];
for (let k = 0; k < seeds; k++) unfolded.push(logMel(await render(100 + k, 1), mel));
const pairs = unfolded.flatMap((a, i) => unfolded.slice(i + 1).map((b) => [a, b] as const));
const report: Record<string, unknown> = {
  clip: clipPath, seconds: +(clip.length / cfg.sampleRate).toFixed(2), receptiveField: field, streams, joins: joins.length, seeds,
  unfolded: { whole: stats(pairs.map(([a, b]) => distance(a, b))), nearJoins: stats(pairs.map(([a, b]) => distance(a, b, nearJoin))) },
};
for (const fraction of fractions) {
  const warmUp = Math.round(fraction * field);
  const whole: number[] = [];
  const near: number[] = [];
  let atJoins = 0;
  let elsewhere = 0;
  for (let k = 0; k < seeds; k++) {
    const audio = await render(200 + k, streams, warmUp);
    const m = logMel(audio, mel);
    for (const u of unfolded) {
      whole.push(distance(m, u));
      near.push(distance(m, u, nearJoin));
    }
    for (let i = 1; i < audio.length; i++) {
      const jump = Math.abs(audio[i]! - audio[i - 1]!);
      if (joins.some((j) => i >= j - 320 && i <= j + 320)) atJoins = Math.max(atJoins, jump);
      else elsewhere = Math.max(elsewhere, jump);
    }
  }
  report[`warm-up ${fraction} (${warmUp} samples)`] = { whole: stats(whole), nearJoins: stats(near), largestJump: { atJoins: +atJoins.toFixed(3), elsewhere: +elsewhere.toFixed(3) } };
}
console.log(JSON.stringify(report, null, 1));
