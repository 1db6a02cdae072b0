import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { loadMono } from '../../../main/engine/audio/load';
import { writeAudioFile } from '../../../main/engine/audio/encode';
import { preset } from '../../../main/engine/model/config';
import { defaultTrainOptions } from '../../../main/engine/train/options';
import { train } from '../../../main/engine/train/trainer';
import { corpus, tempDir } from '../../helpers/paths';

test('tiny memorises a 0.25 s clip: train loss falls far below the uniform 5.55 nats/sample', async () => {
  const dir = tempDir('overfit');
  const data = path.join(dir, 'clip');
  const speech = await loadMono(path.join(corpus, 'speech/en-us/utt01.wav'), 16000);
  // 0.25 s from the middle of the sentence, where there is voice.
  const start = Math.floor(speech.length / 2);
  await writeAudioFile(path.join(data, 'clip.wav'), speech.subarray(start, start + 4000), 16000);

  const training = { ...defaultTrainOptions('tiny'), steps: 200, batch: 2, length: 4000, learningRate: 5e-3, warmupSteps: 10, logEvery: 1, validateEvery: 1000, checkpointEvery: 1000, threads: 2 };
  const summary = await train({
    runDir: path.join(dir, 'run'),
    resume: false,
    config: { schemaVersion: 1, model: preset('tiny'), training, preset: 'tiny', createdAt: new Date().toISOString(), data: { folders: [data] } },
  });
  const metrics = (await fs.readFile(path.join(dir, 'run/metrics.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { step: number; train_loss: number });
  const first = metrics[0]!.train_loss;
  const last = metrics[metrics.length - 1]!.train_loss;
  assert.equal(summary.step, 200);
  assert.ok(first > 5, `the first step is near uniform (${first})`);
  assert.ok(last < 1, `memorised: last logged train loss ${last} nats/sample`);
});
