import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { writeAudioFile } from '../../../../main/engine/audio/encode';
import { runPaths, samplePath } from '../../../../main/engine/run/paths';
import { listSamples, sourceSample, sourceSamplePath, wavSeconds } from '../../../../main/engine/run/samples';
import { corpus, tempDir } from '../../../helpers/paths';

test('paths of a run folder', () => {
  const run = path.join('/p', 'runs', 'r1');
  assert.deepEqual(runPaths(run), {
    dir: run,
    config: path.join(run, 'config.json'),
    metrics: path.join(run, 'metrics.jsonl'),
    checkpoints: path.join(run, 'checkpoints'),
    samples: path.join(run, 'samples'),
    sourceSample: path.join(run, 'samples', 'source.wav'),
    lock: path.join(run, 'train.lock'),
  });
  assert.equal(samplePath(run, 500), path.join(run, 'samples', '500.wav'));
  assert.equal(sourceSamplePath(run), path.join(run, 'samples', 'source.wav'));
});

test('samples by step with their length from the WAV header; the source clip apart; junk left out', async () => {
  const run = tempDir('run-samples');
  assert.deepEqual(await listSamples(run), []);
  assert.equal(await sourceSample(run), null);
  await writeAudioFile(samplePath(run, 1000), new Float32Array(8000), 16000);
  await writeAudioFile(samplePath(run, 500), new Float32Array(24000), 16000);
  await writeAudioFile(sourceSamplePath(run), new Float32Array(32000), 16000);
  await fs.writeFile(path.join(run, 'samples', '1500.wav'), 'half-written');
  await fs.writeFile(path.join(run, 'samples', 'notes.txt'), 'x');
  assert.deepEqual(await listSamples(run), [
    { step: 500, path: samplePath(run, 500), seconds: 1.5 },
    { step: 1000, path: samplePath(run, 1000), seconds: 0.5 },
  ]);
  assert.deepEqual(await sourceSample(run), { path: sourceSamplePath(run), seconds: 2 });
});

test('wavSeconds reads real files and refuses what is not a WAV', async () => {
  const seconds = await wavSeconds(path.join(corpus, 'speech/en-us/utt01.wav'));
  assert.ok(seconds !== null && Math.abs(seconds - 3.5296875) < 0.01, String(seconds));
  const dir = tempDir('run-samples');
  await fs.writeFile(path.join(dir, 'x.wav'), 'RIFF....WAVEjunk');
  assert.equal(await wavSeconds(path.join(dir, 'x.wav')), null);
  assert.equal(await wavSeconds(path.join(dir, 'none.wav')), null);
});
