import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { EventName, JobFinishedEvent, JobProgressEvent } from '../../../main/contract/index';
import { JobResultSchemas, type RunConfig } from '../../../main/contract/domain/index';
import { preset } from '../../../main/engine/model/config';
import { defaultTrainOptions } from '../../../main/engine/train/options';
import { JobSupervisor } from '../../../main/services/jobs';
import { forkNodeWorker } from '../../../main/services/node-worker';
import { RunWatchers } from '../../../main/services/runs';
import { corpus, tempDir } from '../../helpers/paths';

function tinyConfig(steps: number): RunConfig {
  const training = { ...defaultTrainOptions('tiny'), steps, batch: 2, length: 2000, validateEvery: steps, checkpointEvery: steps, logEvery: 1, threads: 1, seed: 3 };
  return {
    schemaVersion: 1, model: preset('tiny'), training, preset: 'tiny', createdAt: new Date().toISOString(),
    data: { folders: [path.join(corpus, 'speech/en-gb')] },
  };
}

function supervised() {
  const progress: JobProgressEvent[] = [];
  const metricsEvents: unknown[] = [];
  const waiting = new Map<string, (e: JobFinishedEvent) => void>();
  const ended = new Map<string, JobFinishedEvent>();
  const emit = (event: EventName, payload: unknown) => {
    if (event === 'jobs.onProgress') progress.push(payload as JobProgressEvent);
    if (event === 'runs.onMetrics') metricsEvents.push(payload);
    if (event === 'jobs.onFinished') {
      const e = payload as JobFinishedEvent;
      ended.set(e.jobId, e);
      waiting.get(e.jobId)?.(e);
    }
  };
  const supervisor = new JobSupervisor(forkNodeWorker, emit);
  const end = (jobId: string) => (ended.get(jobId) ? Promise.resolve(ended.get(jobId)!) : new Promise<JobFinishedEvent>((r) => waiting.set(jobId, r)));
  return { supervisor, progress, metricsEvents, end, emit };
}

const until = async (check: () => boolean, ms = 120_000): Promise<void> => {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
};

test('a train job runs in a worker with step, loss and speed in its progress; a second training on the same device queues', async () => {
  const { supervisor, progress, metricsEvents, end, emit } = supervised();
  const dir = tempDir('train-job');
  const watchers = new RunWatchers(emit, 100);
  const first = supervisor.start({ kind: 'train', runDir: path.join(dir, 'a'), config: tinyConfig(4) });
  const second = supervisor.start({ kind: 'train', runDir: path.join(dir, 'b'), config: tinyConfig(2) });
  assert.equal(supervisor.list().find((j) => j.jobId === second.jobId)!.status, 'queued');
  assert.match(supervisor.list().find((j) => j.jobId === second.jobId)!.queuedBehind ?? '', /training on cpu/);
  await until(() => existsSync(path.join(dir, 'a', 'config.json')));
  await watchers.watch(path.join(dir, 'a'));

  const a = await end(first.jobId);
  assert.equal(a.status, 'done', JSON.stringify(a));
  const result = JobResultSchemas.train.parse(a.result);
  assert.equal(result.step, 4);
  assert.ok(result.lastCheckpoint && existsSync(path.join(result.lastCheckpoint, 'model.onnx')));
  const training = progress.filter((p) => p.jobId === first.jobId && p.phase === 'training');
  assert.deepEqual(training.map((p) => p.metrics?.step), [1, 2, 3, 4]);
  for (const p of training) {
    assert.ok(p.metrics!.trainLoss! > 0 && p.metrics!.samplesPerSec! > 0, JSON.stringify(p));
    assert.equal(typeof p.etaSeconds, 'number', 'the trainer gives its own ETA');
  }
  await until(() => metricsEvents.length > 0, 5000);
  watchers.close();

  const b = await end(second.jobId);
  assert.equal(b.status, 'done', JSON.stringify(b));
  assert.ok(progress.some((p) => p.jobId === second.jobId && p.phase === 'queued'));
});

test('a paused training makes no progress until resumed; cancel while paused stops it with a checkpoint', async () => {
  const { supervisor, progress, end } = supervised();
  const runDir = path.join(tempDir('train-pause'), 'run');
  const { jobId } = supervisor.start({ kind: 'train', runDir, config: tinyConfig(400) });
  await until(() => progress.some((p) => p.jobId === jobId && p.phase === 'training'));
  supervisor.pause(jobId, true);
  await new Promise((r) => setTimeout(r, 500)); // a step already under way may still report
  const before = progress.filter((p) => p.jobId === jobId && p.phase === 'training').length;
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(progress.filter((p) => p.jobId === jobId && p.phase === 'training').length, before, 'no steps while paused');
  supervisor.pause(jobId, false);
  await until(() => progress.filter((p) => p.jobId === jobId && p.phase === 'training').length > before + 1);
  supervisor.pause(jobId, true);
  supervisor.cancel(jobId);
  const ended = await end(jobId);
  assert.equal(ended.status, 'cancelled');
  const result = JobResultSchemas.train.parse(ended.result);
  assert.equal(result.cancelled, true);
  assert.ok(result.lastCheckpoint && existsSync(path.join(result.lastCheckpoint, 'model.onnx')), 'stop saves a checkpoint');
});

test('an estimate job times real train steps of a planned config', async () => {
  const { supervisor, end } = supervised();
  const { jobId } = supervisor.start({ kind: 'estimate', config: tinyConfig(10) });
  const e = await end(jobId);
  assert.equal(e.status, 'done', JSON.stringify(e));
  const m = JobResultSchemas.estimate.parse(e.result);
  assert.ok(m.secondsPerStep > 0 && m.samplesPerSec > 0);
  assert.equal(m.device, 'cpu');
});
