import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { decodeAudioFile } from '../../../main/engine/audio/decode';
import { decodeNpy } from '../../../main/engine/dsp/npy';
import { runCli } from '../../helpers/cli';
import { corpus, tempDir } from '../../helpers/paths';

test('train → info → analyze → render (mel from audio, frames from .npy, parallel streams, FLAC)', async () => {
  const dir = tempDir('cli');
  const run = path.join(dir, 'run');
  const t = await runCli(['train', path.join(corpus, 'speech/en-us'), '--run', run, '--preset', 'tiny', '--steps', '20', '--seed', '5', '--threads', '2']);
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stdout, /finished at step 20/);
  assert.match(t.stdout, /nats \([\d.]+ bits\)\/sample/);
  const cfg = JSON.parse(await fs.readFile(path.join(run, 'config.json'), 'utf8'));
  assert.equal(cfg.model.condition, 'mel');
  await fs.access(path.join(run, 'checkpoints/20/model.onnx'));

  const info = await runCli(['info', run, '--json']);
  assert.equal(info.code, 0, info.stderr);
  assert.equal(JSON.parse(info.stdout).step, 20);

  const npy = path.join(dir, 'utt01.npy');
  const a = await runCli(['analyze', path.join(corpus, 'speech/en-us/utt01.wav'), '--mel-out', npy]);
  assert.equal(a.code, 0, a.stderr);
  const mel = decodeNpy(await fs.readFile(npy));
  assert.equal(mel.shape[0], 80);
  // Render only the first 20 frames (0.25 s) to keep the test quick.
  const short = path.join(dir, 'short.npy');
  const { encodeNpy } = await import('../../../main/engine/dsp/npy');
  const frames = mel.shape[1]!;
  const cut = new Float32Array(80 * 20);
  for (let b = 0; b < 80; b++) cut.set(mel.data.subarray(b * frames, b * frames + 20), b * 20);
  await fs.writeFile(short, encodeNpy(cut, [80, 20]));

  const flac = path.join(dir, 'take.flac');
  const r1 = await runCli(['render', '--model', run, '--frames', short, '--out', flac, '--batch', '2', '--seed', '3']);
  assert.equal(r1.code, 0, r1.stderr);
  const audio = await decodeAudioFile(flac);
  assert.equal(audio.sampleRate, 16000);
  assert.equal(audio.channels[0]!.length, 20 * 200);
  const peak = audio.channels[0]!.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  // Mu-law class 0 is exactly -1; the FLAC decoder reads -32768 as -32768/32767.
  assert.ok(peak > 0 && peak <= 32768 / 32767, `audible and not clipped beyond full scale (peak ${peak})`);
  const sidecar = JSON.parse(await fs.readFile(`${flac}.json`, 'utf8'));
  assert.equal(sidecar.seed, 3);

  // Same seed, same audio; another seed, other audio.
  const again = path.join(dir, 'again.flac');
  await runCli(['render', '--model', run, '--frames', short, '--out', again, '--batch', '2', '--seed', '3']);
  assert.deepEqual((await decodeAudioFile(again)).channels[0], audio.channels[0]);

  const wav = path.join(dir, 'from-mel.wav');
  const r2 = await runCli(['render', '--model', path.join(run, 'checkpoints/20/model.onnx'), '--mel-from', path.join(corpus, 'formats/utt01.mp3'), '--out', wav, '--temperature', '0.8', '--batch', '0']);
  assert.equal(r2.code, 0, r2.stderr);
  assert.match(r2.stdout, /samples\/s/);
});
