import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { decodeAudioFile } from '../../../main/engine/audio/decode';
import { preset } from '../../../main/engine/model/config';
import { listSamples, sourceSample } from '../../../main/engine/run/index';
import { defaultTrainOptions } from '../../../main/engine/train/options';
import { train } from '../../../main/engine/train/trainer';
import { corpus, tempDir } from '../../helpers/paths';

test('a run renders a sample every sampleEvery steps from a fixed validation clip, and the source clip once', async () => {
  const runDir = path.join(tempDir('samples'), 'run');
  const logs: string[] = [];
  const training = { ...defaultTrainOptions('tiny'), steps: 4, batch: 2, length: 2000, validateEvery: 4, checkpointEvery: 2, sampleEvery: 2, sampleSeconds: 0.25, threads: 1 };
  await train({
    runDir, resume: false, onLog: (l) => logs.push(l),
    config: { schemaVersion: 1, model: preset('tiny'), training, preset: 'tiny', createdAt: new Date().toISOString(), data: { folders: [path.join(corpus, 'speech/en-gb')] } },
  });
  const samples = await listSamples(runDir);
  assert.deepEqual(samples.map((s) => s.step), [2, 4]);
  const source = await sourceSample(runDir);
  assert.ok(source);
  assert.ok(Math.abs(source.seconds - 0.25) < 0.02, `source clip ${source.seconds} s`);
  for (const s of samples) {
    assert.ok(Math.abs(s.seconds - source.seconds) < 1e-6, 'a sample is as long as its source clip');
    const audio = await decodeAudioFile(s.path);
    const x = audio.channels[0]!;
    assert.ok(x.some((v) => Math.abs(v) > 1e-3), 'the sample is not silence');
  }
  assert.ok(logs.some((l) => /^sample at step 2: .* in [\d.]+ s\)$/.test(l)), logs.join('\n'));
});

test('train --sample-every writes the same samples from the command line', async () => {
  const { runCli } = await import('../../helpers/cli');
  const { existsSync } = await import('node:fs');
  const run = path.join(tempDir('samples-cli'), 'run');
  const r = await runCli(['train', path.join(corpus, 'speech/en-gb'), '--run', run, '--preset', 'tiny', '--steps', '2', '--length', '2000', '--batch', '2', '--sample-every', '2', '--sample-seconds', '0.2', '--threads', '1']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(existsSync(path.join(run, 'samples', '2.wav')) && existsSync(path.join(run, 'samples', 'source.wav')));
  assert.match(r.stderr, /sample at step 2/);
});
