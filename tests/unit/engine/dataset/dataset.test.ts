import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { loadDataset, sampleBatch, validationBatches } from '../../../../main/engine/dataset/index';
import { mulawEncode } from '../../../../main/engine/dsp/mulaw';
import { StudioError } from '../../../../main/engine/errors';
import { Random } from '../../../../main/engine/util/random';
import { corpus, tempDir, tone, writeWav } from './fixtures';

const RATE = 16000;
const HOP = 200;

test('a folder with bad files loads the good ones and lists each skipped file with its reason', async () => {
  const dir = await tempDir('ds');
  for (let i = 0; i < 6; i++) await writeWav(path.join(dir, `good${i}.wav`), tone(0.5 + 0.1 * i, RATE, 200 + 50 * i), RATE);
  await fs.writeFile(path.join(dir, 'empty.wav'), new Uint8Array(0));
  await fs.writeFile(path.join(dir, 'notes.wav'), 'this is a text file, not audio');
  await writeWav(path.join(dir, 'blip.wav'), tone(0.02, RATE), RATE);
  await fs.writeFile(path.join(dir, 'readme.txt'), 'not an audio extension: ignored');
  const progress: number[] = [];

  const ds = await loadDataset([dir], { sampleRate: RATE, hop: HOP, condition: 'mel', valFraction: 0.2, onProgress: (done) => progress.push(done) });
  assert.equal(ds.items.length, 6);
  assert.deepEqual(ds.skipped.map((s) => path.basename(s.path)).sort(), ['blip.wav', 'empty.wav', 'notes.wav']);
  for (const s of ds.skipped) assert.ok(s.reason.length > 0 && !s.reason.includes('\n'), `one-line reason for ${s.path}: ${s.reason}`);
  assert.deepEqual(progress, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.ok(ds.items.some((it) => it.split === 'val') && ds.items.some((it) => it.split === 'train'));
  for (const it of ds.items) {
    assert.equal(it.features!.bins, 80);
    assert.equal(it.features!.frames, 1 + Math.floor(it.samples.length / HOP));
  }
  // The same folder splits the same way every time (the split hashes paths, it is not random).
  const again = await loadDataset([dir], { sampleRate: RATE, hop: HOP, condition: 'mel', valFraction: 0.2 });
  assert.deepEqual(again.items.map((it) => it.split), ds.items.map((it) => it.split));
});

test('a folder where nothing loads fails with one line naming the files', async () => {
  const dir = await tempDir('ds-bad');
  await fs.writeFile(path.join(dir, 'a.wav'), new Uint8Array(0));
  await assert.rejects(loadDataset([dir], { sampleRate: RATE, hop: HOP, condition: 'none' }), (e: unknown) => e instanceof StudioError && e.code === 'DATASET_EMPTY' && e.message.includes('a.wav'));
  await assert.rejects(loadDataset([path.join(dir, 'missing')], { sampleRate: RATE, hop: HOP, condition: 'none' }), StudioError);
});

test('training batches are hop-aligned windows of the files with their frames; short files pad with silence', async () => {
  const dir = await tempDir('ds-batch');
  // Noise, not a tone: a periodic signal would match its windows at many starts.
  const rng = new Random(9);
  await writeWav(path.join(dir, 'long.wav'), Float32Array.from({ length: RATE }, () => 0.2 * rng.normal()), RATE);
  await writeWav(path.join(dir, 'short.wav'), Float32Array.from({ length: 0.15 * RATE }, () => 0.2 * rng.normal()), RATE);
  const ds = await loadDataset([dir], { sampleRate: RATE, hop: HOP, condition: 'mel', valFraction: 0 });
  const length = 4000;
  const batch = sampleBatch(ds, new Random(3), 8, length);
  assert.equal(batch.inputs.length, 8 * (length + 1));
  assert.equal(batch.frames, length / HOP);
  assert.equal(batch.features!.length, 8 * batch.frames * 80);
  for (let row = 0; row < 8; row++) {
    const inputs = batch.inputs.subarray(row * (length + 1), (row + 1) * (length + 1));
    const item = ds.items.find((it) => it.samples.length > length + 1 ? findStart(it.samples, inputs) >= 0 : it.samples.every((c, t) => inputs[t] === c))!;
    assert.ok(item, `row ${row} is a window of a file`);
    const start = item.samples.length > length + 1 ? findStart(item.samples, inputs) : 0;
    assert.equal(start % HOP, 0, 'hop-aligned start');
    const f0 = start / HOP;
    const feats = batch.features!.subarray(row * batch.frames * 80, (row + 1) * batch.frames * 80);
    for (let j = 0; j < batch.frames; j++) {
      const want = f0 + j < item.features!.frames ? item.features!.data.subarray((f0 + j) * 80, (f0 + j + 1) * 80) : ds.silence!;
      assert.deepEqual(feats.subarray(j * 80, (j + 1) * 80), want, `row ${row} frame ${j}`);
    }
    if (item.samples.length < length + 1) assert.equal(inputs[length], mulawEncode(new Float32Array(1))[0], 'padded with mu-law silence');
  }
  // Seeded: the same seed gives the same batch.
  assert.deepEqual(sampleBatch(ds, new Random(3), 8, length).inputs, batch.inputs);
  assert.throws(() => sampleBatch(ds, new Random(1), 2, 4100), /multiple of the hop/);
});

test('validation batches are fixed back-to-back windows of the held-out files', async () => {
  const dir = await tempDir('ds-val');
  for (let i = 0; i < 10; i++) await writeWav(path.join(dir, `f${i}.wav`), tone(0.6, RATE, 100 + 30 * i), RATE);
  const ds = await loadDataset([dir], { sampleRate: RATE, hop: HOP, condition: 'none', valFraction: 0.3 });
  const val = ds.items.filter((it) => it.split === 'val');
  assert.equal(val.length, 3);
  const batches = validationBatches(ds, 4, 2000);
  const rows = batches.reduce((n, b) => n + b.batch, 0);
  assert.equal(rows, val.length * Math.floor((9600 - 1) / 2000));
  assert.deepEqual(validationBatches(ds, 4, 2000), batches);
  assert.equal(batches[0]!.features, null);
});

test('piano-roll datasets read the MIDI beside each file and skip audio without one', async () => {
  const dir = await tempDir('ds-midi');
  await fs.copyFile(path.join(corpus, 'music/piece1.wav'), path.join(dir, 'piece1.wav'));
  await fs.copyFile(path.join(corpus, 'music/piece1.mid'), path.join(dir, 'piece1.mid'));
  await writeWav(path.join(dir, 'lonely.wav'), tone(0.5, RATE), RATE);
  const ds = await loadDataset([dir], { sampleRate: RATE, hop: HOP, condition: 'pianoroll', valFraction: 0 });
  assert.equal(ds.items.length, 1);
  assert.equal(ds.items[0]!.features!.bins, 256);
  assert.ok(ds.items[0]!.features!.data.some((v) => v > 0), 'notes are present');
  assert.equal(ds.skipped.length, 1);
  assert.match(ds.skipped[0]!.reason, /MIDI/);
});

function findStart(samples: Uint8Array, window: Int32Array): number {
  for (let s = 0; s + window.length <= samples.length; s++) {
    let ok = true;
    for (let t = 0; t < window.length && ok; t++) ok = samples[s + t] === window[t];
    if (ok) return s;
  }
  return -1;
}

test('each item and batch row carries the index of the folder it came from (its global class)', async () => {
  const low = await tempDir('ds-low');
  const high = await tempDir('ds-high');
  for (let i = 0; i < 3; i++) await writeWav(path.join(low, `l${i}.wav`), tone(0.5, RATE, 110), RATE);
  for (let i = 0; i < 3; i++) await writeWav(path.join(high, `h${i}.wav`), tone(0.5, RATE, 1760, 0.9), RATE);
  const ds = await loadDataset([low, high], { sampleRate: RATE, hop: HOP, condition: 'none', valFraction: 0 });
  for (const it of ds.items) assert.equal(it.classId, it.path.startsWith(high) ? 1 : 0, it.path);
  const b = sampleBatch(ds, new Random(4), 16, 2000);
  assert.ok(b.classIds.includes(0) && b.classIds.includes(1), 'both classes drawn');
  for (let row = 0; row < b.batch; row++) {
    // The loud high tone reaches mu-law classes the quiet low one never does.
    const inputs = b.inputs.subarray(row * 2001, (row + 1) * 2001);
    const peak = Math.max(...inputs);
    assert.equal(b.classIds[row], peak > 240 ? 1 : 0, `row ${row}: peak class ${peak}`);
  }
});
