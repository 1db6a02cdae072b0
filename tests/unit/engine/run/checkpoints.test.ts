import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { initialParams, paramCount, paramSpecs } from '../../../../main/engine/model/params';
import {
  bestCheckpoint, deleteCheckpoint, latestCheckpoint, listCheckpoints, pruneCheckpoints,
} from '../../../../main/engine/run/checkpoints';
import { readMetrics } from '../../../../main/engine/run/metrics';
import { openModel } from '../../../../main/engine/run/model';
import { runStatus, summarizeRun } from '../../../../main/engine/run/status';
import { loadCheckpoint, saveCheckpoint, type TrainingState } from '../../../../main/engine/train/checkpoint';
import { train } from '../../../../main/engine/train/trainer';
import { corpus, tempDir } from '../../../helpers/paths';
import { fakeCheckpoint, tinyRunConfig } from './fixtures';

/** Three short utterances: enough for one training and one validation file. */
async function smallFolder(): Promise<string> {
  const dir = path.join(tempDir('run-data'), 'speech');
  await fs.mkdir(dir);
  for (const f of ['utt01.wav', 'utt03.wav', 'utt05.wav']) await fs.copyFile(path.join(corpus, 'speech/en-us', f), path.join(dir, f));
  return dir;
}

test('a real tiny run: checkpoints listed with their losses, latest and best, the model opens, the lock is gone', async () => {
  const runDir = path.join(tempDir('run-ckpt'), 'run');
  const config = tinyRunConfig({ steps: 4, checkpointEvery: 2, validateEvery: 2, logEvery: 1, length: 2000, batch: 2, threads: 1 }, [await smallFolder()]);
  const summary = await train({ runDir, config, resume: false });
  assert.equal(summary.step, 4);

  const list = await listCheckpoints(runDir);
  assert.deepEqual(list.map((c) => c.step), [2, 4]);
  for (const c of list) {
    assert.equal(c.path, path.join(runDir, 'checkpoints', String(c.step)));
    assert.ok(c.valLoss !== null && Number.isFinite(c.valLoss), `validated at every checkpoint: ${JSON.stringify(list)}`);
    assert.ok(c.trainLoss !== null && Number.isFinite(c.trainLoss));
    assert.ok(!Number.isNaN(Date.parse(c.savedAt)));
  }
  assert.equal((await latestCheckpoint(runDir))?.step, 4);
  const best = await bestCheckpoint(runDir);
  assert.equal(best?.valLoss, Math.min(...list.map((c) => c.valLoss!)));

  // A half-written checkpoint (hidden .tmp) and an incomplete one are not checkpoints.
  await fs.mkdir(path.join(runDir, 'checkpoints', '.6.99999.tmp'));
  await fs.mkdir(path.join(runDir, 'checkpoints', '8'));
  await fs.writeFile(path.join(runDir, 'checkpoints', '8', 'state.json'), '{"step": 8');
  assert.deepEqual((await listCheckpoints(runDir)).map((c) => c.step), [2, 4]);
  assert.equal((await latestCheckpoint(runDir))?.step, 4);

  const model = await openModel(runDir);
  assert.equal(model.file, path.join(runDir, 'checkpoints/4/model.onnx'));
  assert.equal(model.metadata['wavenet_studio.step'], '4');
  assert.equal((await loadCheckpoint(list[1]!.path)).step, 4);

  await assert.rejects(fs.access(path.join(runDir, 'train.lock')), 'the lock is removed when training ends');
  assert.equal(await runStatus(runDir), 'finished');
  const s = await summarizeRun(runDir);
  const { records } = await readMetrics(runDir);
  assert.deepEqual(records.map((r) => r.step), [1, 2, 3, 4]);
  assert.equal(s.step, 4);
  assert.equal(s.steps, 4);
  assert.equal(s.lastValLoss, records[3]!.val_loss);
  assert.equal(s.lastTrainLoss, records[3]!.train_loss);

  await deleteCheckpoint(runDir, 4);
  assert.equal((await latestCheckpoint(runDir))?.step, 2);
  assert.equal(await runStatus(runDir), 'interrupted', 'the finishing checkpoint is gone: resumable');
});

test('pruning keeps the newest N and the best by validation loss', async () => {
  const cfg = tinyRunConfig().model;
  const specs = paramSpecs(cfg);
  const P = paramCount(specs);
  const theta = initialParams(specs, 1);
  const state = (step: number, valLoss: number | null): TrainingState => ({
    step, theta, m: new Float32Array(P), v: new Float32Array(P), rngState: 1, samplesSeen: 0, trainLoss: 5, valLoss,
  });
  const runDir = tempDir('run-prune');
  const vals: [number, number | null][] = [[10, 5.0], [20, 3.1], [30, 4.0], [40, 4.5], [50, null]];
  for (const [step, val] of vals) await saveCheckpoint(runDir, cfg, state(step, val), { keep: 2, keepBest: true });
  assert.deepEqual((await listCheckpoints(runDir)).map((c) => c.step), [20, 40, 50], 'the best (20) survives pruning');
  assert.equal((await bestCheckpoint(runDir))?.step, 20);

  // A number keeps the best too; keepBest: false is the plain newest N.
  const plain = tempDir('run-prune');
  for (const [step, val] of vals) await saveCheckpoint(plain, cfg, state(step, val), { keep: 2, keepBest: false });
  assert.deepEqual((await listCheckpoints(plain)).map((c) => c.step), [40, 50]);
  const numeric = tempDir('run-prune');
  for (const [step, val] of vals) await saveCheckpoint(numeric, cfg, state(step, val), 2);
  assert.deepEqual((await listCheckpoints(numeric)).map((c) => c.step), [20, 40, 50]);
});

test('pruneCheckpoints alone: the deleted steps; no best when nothing was validated', async () => {
  const runDir = tempDir('run-prune');
  for (const step of [1, 2, 3, 4]) await fakeCheckpoint(runDir, step);
  assert.equal(await bestCheckpoint(runDir), null);
  assert.deepEqual(await pruneCheckpoints(runDir, { keep: 1 }), [1, 2, 3]);
  assert.deepEqual((await listCheckpoints(runDir)).map((c) => c.step), [4]);
  assert.deepEqual(await listCheckpoints(tempDir('run-none')), []);
  assert.equal(await latestCheckpoint(tempDir('run-none')), null);
});
