import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { preset } from '../../../main/engine/model/config';
import { defaultTrainOptions } from '../../../main/engine/train/options';
import { train } from '../../../main/engine/train/trainer';
import { corpus, tempDir } from '../../helpers/paths';

const UNIFORM = Math.log(256);

test('tiny on the speech corpus: validation loss falls clearly below the 8-bit uniform baseline and keeps falling', async () => {
  const run = path.join(tempDir('learn'), 'run');
  const training = { ...defaultTrainOptions('tiny'), steps: 240, validateEvery: 80, checkpointEvery: 1000, threads: 2, seed: 3 };
  const summary = await train({
    runDir: run,
    resume: false,
    config: {
      schemaVersion: 1, model: preset('tiny'), training, preset: 'tiny', createdAt: new Date().toISOString(),
      data: { folders: [path.join(corpus, 'speech')] },
    },
  });
  const records = (await fs.readFile(path.join(run, 'metrics.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { step: number; val_loss?: number });
  const val = records.filter((r) => r.val_loss !== undefined).map((r) => r.val_loss!);
  assert.equal(val.length, 3, 'validated at steps 80, 160, 240');
  assert.ok(val[2]! < UNIFORM - 1, `validation loss ${val[2]} nats/sample is clearly below ${UNIFORM.toFixed(2)}`);
  assert.ok(val[2]! < val[1]! && val[1]! < val[0]!, `still falling: ${val.join(' → ')}`);
  assert.ok(summary.valLoss !== null && Math.abs(summary.valLoss - val[2]!) < 1e-9);
});
