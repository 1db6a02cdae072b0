import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { decodeAudio, decodeAudioFile } from '../../../../main/engine/audio/decode';
import { loadMono, loadMonoWithWarnings } from '../../../../main/engine/audio/load';
import { loadDataset } from '../../../../main/engine/dataset/index';
import { repoRoot } from '../../../helpers/paths';
import { tempDir, tone, wavBytes, writeWav } from '../dataset/fixtures';

const RATE = 16000;

/** A 16-bit mono WAV whose header promises `promised` seconds, cut off after `held` seconds of them. */
function cutOffWav(promised: number, held: number, extraBytes = 0): Uint8Array {
  const whole = wavBytes(tone(promised, RATE, 330), RATE);
  return whole.slice(0, 44 + Math.round(held * RATE) * 2 + extraBytes);
}

test('a cut-off WAV keeps what it holds, with a warning naming the missing duration', async () => {
  const audio = await decodeAudio(cutOffWav(12, 8.53), 'take.wav');
  assert.equal(audio.channels[0]!.length, Math.round(8.53 * RATE));
  assert.deepEqual(audio.warnings, ['header promises 12.00 s but the file holds 8.53 s (3.47 s missing): the copy is cut off']);
  // What is there is the start of the recording, sample for sample.
  const whole = await decodeAudio(wavBytes(tone(12, RATE, 330), RATE), 'whole.wav');
  assert.deepEqual(audio.channels[0], whole.channels[0]!.subarray(0, audio.channels[0]!.length));
  assert.equal(whole.warnings, undefined);
});

test('a WAV cut inside a sample keeps its whole frames, and a loss under 10 ms is named in ms', async () => {
  const audio = await decodeAudio(cutOffWav(1, 0.998, 1), 'take.wav');
  assert.equal(audio.channels[0]!.length, Math.round(0.998 * RATE));
  assert.deepEqual(audio.warnings, ['header promises 1.00 s but the file holds 1.00 s (2.00 ms missing): the copy is cut off']);
});

test('a WAV from a streaming writer (data size never patched) is not called cut off', async () => {
  const bytes = wavBytes(tone(0.5, RATE), RATE);
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(40, 0xffffffff, true);
  const audio = await decodeAudio(bytes, 'stream.wav');
  assert.equal(audio.channels[0]!.length, 0.5 * RATE);
  assert.equal(audio.warnings, undefined);
});

test('loadMonoWithWarnings passes the warnings on; loadMono still returns the samples alone', async () => {
  const dir = await tempDir('cut');
  const file = path.join(dir, 'cut.wav');
  await fs.writeFile(file, cutOffWav(2, 1.5));
  const { samples, warnings } = await loadMonoWithWarnings(file, RATE);
  assert.equal(samples.length, 1.5 * RATE);
  assert.deepEqual(warnings, ['header promises 2.00 s but the file holds 1.50 s (0.50 s missing): the copy is cut off']);
  assert.deepEqual(await loadMono(file, RATE), samples);
  assert.deepEqual((await loadMonoWithWarnings(path.join(repoRoot, 'tests/fixtures/flac/subset-60-mono.flac'), RATE)).warnings, []);
});

test('importing a folder with cut-off files uses them and lists each in the dataset\'s warnings', async () => {
  const dir = await tempDir('ds-cut');
  for (let i = 0; i < 3; i++) await writeWav(path.join(dir, `good${i}.wav`), tone(0.5, RATE, 200 + 50 * i), RATE);
  await fs.writeFile(path.join(dir, 'cut.wav'), cutOffWav(12, 8.53));
  const flac = await fs.readFile(path.join(repoRoot, 'tests/fixtures/flac/subset-60-mono.flac'));
  await fs.writeFile(path.join(dir, 'cut.flac'), flac.subarray(0, Math.floor(flac.length * 0.6)));
  // Cut to under the minimum length: skipped, and the reason says why it is so short.
  await fs.writeFile(path.join(dir, 'stub.wav'), cutOffWav(3, 0.05));

  const ds = await loadDataset([dir], { sampleRate: RATE, hop: 200, condition: 'none', valFraction: 0 });
  assert.deepEqual(ds.items.map((it) => path.basename(it.path)).sort(), ['cut.flac', 'cut.wav', 'good0.wav', 'good1.wav', 'good2.wav']);
  assert.equal(ds.items.find((it) => it.path.endsWith('cut.wav'))!.seconds, 8.53);
  const byName = new Map(ds.warnings.map((w) => [path.basename(w.path), w.warning]));
  assert.deepEqual([...byName.keys()].sort(), ['cut.flac', 'cut.wav']);
  assert.equal(byName.get('cut.wav'), 'header promises 12.00 s but the file holds 8.53 s (3.47 s missing): the copy is cut off');
  assert.match(byName.get('cut.flac')!, /^header promises 5\.15 s but the file holds \d\.\d\d s \(\d\.\d\d s missing\): the copy is cut off$/);
  for (const w of ds.warnings) assert.equal(w.path, path.join(dir, path.basename(w.path)));
  assert.deepEqual(ds.skipped.map((s) => path.basename(s.path)), ['stub.wav']);
  assert.match(ds.skipped[0]!.reason, /^Too short \(0\.050 s; .*\); header promises 3\.00 s but the file holds 0\.05 s \(2\.95 s missing\): the copy is cut off\.$/);
});

test('a file with nothing wrong has no warnings at all, not an empty list', async () => {
  const dir = await tempDir('ok');
  const file = path.join(dir, 'ok.wav');
  await writeWav(file, tone(0.25, RATE), RATE);
  assert.equal((await decodeAudioFile(file)).warnings, undefined);
});
