// The import job through the real job supervisor and a real engine worker process.
import assert from 'node:assert/strict';
import { cpSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { EventName, JobFinishedEvent, JobProgressEvent } from '../../../main/contract/index';
import { JobResultSchemas } from '../../../main/contract/domain/jobs';
import { addDataset } from '../../../main/engine/project/datasets';
import { readManifest } from '../../../main/engine/project/manifest';
import { createProject } from '../../../main/engine/project/project-file';
import { JobSupervisor } from '../../../main/services/jobs';
import { forkNodeWorker } from '../../../main/services/node-worker';
import { importFigures, formatAudioDuration } from '../../../main/worker/jobs/import';
import { corpus, tempDir } from '../../helpers/paths';

function supervised() {
  const progress: JobProgressEvent[] = [];
  const waiting = new Map<string, (e: JobFinishedEvent) => void>();
  const ended = new Map<string, JobFinishedEvent>();
  const supervisor = new JobSupervisor(forkNodeWorker, (event: EventName, payload: unknown) => {
    if (event === 'jobs.onProgress') progress.push(payload as JobProgressEvent);
    if (event === 'jobs.onFinished') {
      const e = payload as JobFinishedEvent;
      ended.set(e.jobId, e);
      waiting.get(e.jobId)?.(e);
    }
  });
  const end = (jobId: string) => (ended.has(jobId) ? Promise.resolve(ended.get(jobId)!) : new Promise<JobFinishedEvent>((r) => waiting.set(jobId, r)));
  return { supervisor, progress, end };
}

async function projectWithSpeech(): Promise<{ project: string; dataset: string; rec: string }> {
  const work = tempDir('import-job');
  const rec = path.join(work, 'speech');
  cpSync(path.join(corpus, 'speech'), rec, { recursive: true });
  writeFileSync(path.join(rec, 'notes.wav'), 'not audio');
  const project = path.join(work, 'P');
  await createProject(project, 'P');
  const ds = await addDataset(project, { name: 'Speech', folders: [rec] });
  return { project, dataset: ds.id, rec };
}

test('an import job reports typed progress (files, skipped, audio seconds, figures) and a result of its kind', async () => {
  const { supervisor, progress, end } = supervised();
  const { project, dataset } = await projectWithSpeech();
  const { jobId } = supervisor.start({ kind: 'import', project, dataset });
  // A second import of the same dataset (another window) waits for the first, then refreshes.
  const second = supervisor.start({ kind: 'import', project, dataset });
  const queued = supervisor.list().find((j) => j.jobId === second.jobId)!;
  assert.equal(queued.status, 'queued');
  assert.match(queued.queuedBehind ?? '', /import of this dataset/);
  const finished = await end(jobId);
  assert.equal(finished.status, 'done', JSON.stringify(finished));
  const result = JobResultSchemas.import.parse(finished.result);
  assert.deepEqual(result, {
    dataset, filesUsed: 30, filesSkipped: 1, seconds: result.seconds, added: 31, changed: 0, removed: 0, unchanged: 0, cancelled: false,
  });
  assert.ok(result.seconds > 95 && result.seconds < 100);

  const mine = progress.filter((p) => p.jobId === jobId);
  assert.deepEqual([...new Set(mine.map((p) => p.phase))], ['starting', 'scanning', 'importing', 'saving', 'done']);
  const last = mine.filter((p) => p.phase === 'importing').at(-1)!;
  assert.deepEqual(last.metrics, { filesDone: 31, filesTotal: 31, filesSkipped: 1, audioSeconds: last.metrics!.audioSeconds });
  assert.equal(last.done, 31);
  assert.equal(last.total, 31);
  assert.match(last.figures!, /^31 \/ 31 files · 1 min 38 s of audio · 1 skipped$/);
  assert.ok(mine.some((p) => typeof p.etaSeconds === 'number'));

  // The second runs after it: a refresh, everything reused.
  const again = await end(second.jobId);
  const refreshed = JobResultSchemas.import.parse(again.result);
  assert.deepEqual([refreshed.added, refreshed.changed, refreshed.removed, refreshed.unchanged], [0, 0, 0, 31]);
  supervisor.close();
});

test('cancelling an import keeps what was imported; an unknown dataset fails with a one-line reason', async () => {
  const { supervisor, progress, end } = supervised();
  const { project, dataset } = await projectWithSpeech();
  const { jobId } = supervisor.start({ kind: 'import', project, dataset });
  while (!progress.some((p) => p.jobId === jobId && (p.metrics?.filesDone ?? 0) >= 3)) await new Promise((r) => setTimeout(r, 5));
  supervisor.cancel(jobId);
  const cancelled = await end(jobId);
  assert.equal(cancelled.status, 'cancelled');
  const result = JobResultSchemas.import.parse(cancelled.result);
  assert.equal(result.cancelled, true);
  assert.ok(result.filesUsed >= 3 && result.filesUsed < 30, `${result.filesUsed} files kept`);
  const manifest = await readManifest(project, dataset);
  assert.equal(manifest.complete, false);
  assert.equal(manifest.files.length, result.filesUsed);

  const missing = await end(supervisor.start({ kind: 'import', project, dataset: 'nope' }).jobId);
  assert.equal(missing.status, 'failed');
  assert.equal(missing.error!.code, 'FILE_NOT_FOUND');
  assert.match(missing.error!.message, /has no dataset with id "nope"/);
  supervisor.close();
});

test('import figures read like people say them', () => {
  assert.equal(importFigures({ filesDone: 412, filesTotal: 1204, filesSkipped: 0, audioSeconds: 3725 }), '412 / 1,204 files · 1 h 02 min of audio');
  assert.equal(formatAudioDuration(12.44), '12.4 s');
  assert.equal(formatAudioDuration(185), '3 min 05 s');
});
