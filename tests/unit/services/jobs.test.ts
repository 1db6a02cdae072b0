import assert from 'node:assert/strict';
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { EventName, JobFinishedEvent, JobProgressEvent } from '../../../main/contract/index';
import type { JobResultOf } from '../../../main/contract/domain/jobs';
import { defaultLane, JobSupervisor, type SupervisorOptions } from '../../../main/services/jobs';
import { forkNodeWorker } from '../../../main/services/node-worker';
import type { WorkerProcess } from '../../../main/services/worker-process';
import { corpus, tempDir } from '../../helpers/paths';

/** A supervisor over real worker processes, collecting its events. */
function supervised(spawn: () => WorkerProcess = forkNodeWorker, options: SupervisorOptions = {}) {
  const progress: JobProgressEvent[] = [];
  const finished = new Map<string, (e: JobFinishedEvent) => void>();
  const results = new Map<string, JobFinishedEvent>();
  const supervisor = new JobSupervisor(spawn, (event: EventName, payload: unknown) => {
    if (event === 'jobs.onProgress') progress.push(payload as JobProgressEvent);
    if (event === 'jobs.onFinished') {
      const e = payload as JobFinishedEvent;
      results.set(e.jobId, e);
      finished.get(e.jobId)?.(e);
    }
  }, Date.now, defaultLane, options);
  const end = (jobId: string) =>
    results.get(jobId) ? Promise.resolve(results.get(jobId)!) : new Promise<JobFinishedEvent>((resolve) => finished.set(jobId, resolve));
  return { supervisor, progress, end };
}

function corpusCopy(name: string, from = 'speech/en-us/utt01.wav'): string {
  const file = path.join(tempDir('jobs'), name);
  copyFileSync(path.join(corpus, from), file);
  return file;
}

test('a job runs in a worker: progress with phases and ETA, then done with its result', async () => {
  const { supervisor, progress, end } = supervised();
  const input = corpusCopy('utt01.wav');
  const { jobId } = supervisor.start({ kind: 'analyze', input });
  assert.equal(supervisor.list()[0]!.status, 'running');
  const result = await end(jobId);
  assert.equal(result.status, 'done', JSON.stringify(result));
  const analyzed = result.result as JobResultOf<'analyze'>;
  assert.equal(analyzed.frames, 283);
  assert.ok(existsSync(analyzed.outputPath));
  const phases = progress.filter((p) => p.jobId === jobId).map((p) => p.phase);
  assert.deepEqual(phases, ['starting', 'decoding', 'computing log-mel', 'writing', 'done']);
  assert.ok(progress.some((p) => typeof p.etaSeconds === 'number' && p.etaSeconds >= 0), 'an ETA once work is under way');
  assert.deepEqual(progress.filter((p) => p.jobId === jobId && p.figures).map((p) => p.figures), ['3.5 s of audio', '283 frames']);
  assert.equal(supervisor.list()[0]!.status, 'done');
});

test('a worker killed mid-job fails that job with a reason; the next job gets a fresh worker and runs', async () => {
  let spawned = 0;
  let first: WorkerProcess | null = null;
  const { supervisor, progress, end } = supervised(() => {
    const w = forkNodeWorker();
    spawned++;
    if (!first) first = w;
    return w;
  });
  const { jobId } = supervisor.start({ kind: 'analyze', input: corpusCopy('a.wav', 'formats/stereo-44k-24bit.wav') });
  // Kill it as soon as it reports real work (past the supervisor's own 'starting' event).
  while (!progress.some((p) => p.jobId === jobId && p.phase !== 'starting')) await new Promise((r) => setTimeout(r, 5));
  first!.kill();
  const crashed = await end(jobId);
  assert.equal(crashed.status, 'failed');
  assert.equal(crashed.error!.code, 'WORKER_CRASHED');
  assert.match(crashed.error!.message, /engine worker stopped \(.+\) before the job finished/);
  assert.ok(!crashed.error!.message.includes('\n'));

  const next = supervisor.start({ kind: 'analyze', input: corpusCopy('b.wav') });
  assert.equal((await end(next.jobId)).status, 'done');
  assert.equal(spawned, 2);
});

test('cancel stops a running job and reports it cancelled; a bad file fails with its one-line reason', async () => {
  const { supervisor, end } = supervised();
  const { jobId } = supervisor.start({ kind: 'analyze', input: corpusCopy('long.wav', 'formats/stereo-44k-24bit.wav') });
  supervisor.cancel(jobId);
  const cancelled = await end(jobId);
  assert.equal(cancelled.status, 'cancelled');
  assert.equal(supervisor.list().find((j) => j.jobId === jobId)!.status, 'cancelled');

  const bad = path.join(tempDir('jobs'), 'notes.wav');
  writeFileSync(bad, 'not audio at all');
  const failed = await end(supervisor.start({ kind: 'analyze', input: bad }).jobId);
  assert.equal(failed.status, 'failed');
  assert.equal(failed.error!.code, 'AUDIO_UNSUPPORTED');
  assert.match(failed.error!.message, /notes\.wav is not a WAV, FLAC, Ogg Vorbis or MP3 file/);
  assert.throws(() => supervisor.cancel('no-such-job'), /no job no-such-job/);
});

test('a worker that cannot start fails its job with the reason (the server lives on); the next job runs', async () => {
  let attempt = 0;
  const { supervisor, end } = supervised(() => forkNodeWorker(attempt++ === 0 ? { execPath: '/nonexistent/node' } : {}));
  const broken = await end(supervisor.start({ kind: 'analyze', input: corpusCopy('c.wav') }).jobId);
  assert.equal(broken.status, 'failed');
  assert.equal(broken.error!.code, 'WORKER_CRASHED');
  assert.match(broken.error!.message, /could not start: spawn \/nonexistent\/node ENOENT/);
  assert.equal((await end(supervisor.start({ kind: 'analyze', input: corpusCopy('d.wav') }).jobId)).status, 'done');
});

test('a job request of an unknown kind or with bad fields is refused before any worker starts', () => {
  let spawned = 0;
  const { supervisor } = supervised(() => {
    spawned++;
    return forkNodeWorker();
  });
  assert.throws(() => supervisor.start({ kind: 'compose', input: '/a.wav' }), (e: Error & { code?: string }) => e.code === 'BAD_OPTION' && /at kind/.test(e.message));
  assert.throws(() => supervisor.start({ kind: 'render', model: '/m.onnx', source: { type: 'audio' }, out: '/x.wav' }), /at source\.path/);
  assert.throws(() => supervisor.start({ kind: 'train', runDir: '' }), /Choose a run folder/);
  assert.equal(spawned, 0);
  assert.deepEqual(supervisor.list(), []);
});

test('trainings queue per device and imports per dataset; renders and analyses start at once', () => {
  const importOf = (project: string, dataset: string) => defaultLane({ kind: 'import', project, dataset });
  assert.equal(importOf('/p', 'a'), importOf('/p', 'a'));
  assert.notEqual(importOf('/p', 'a'), importOf('/p', 'b'));
  assert.notEqual(importOf('/p', 'a'), importOf('/q', 'a'));
  assert.equal(defaultLane({ kind: 'analyze', input: '/x.wav' }), null);
  assert.equal(defaultLane({ kind: 'train', runDir: '/r', resume: true }), defaultLane({ kind: 'train', runDir: '/s', resume: true, device: 'cpu' }));
});

test('with a spare worker, a job starts on a worker started ahead of it, another is started once nothing runs, and close stops it', async () => {
  const workers: { proc: WorkerProcess; exited: boolean }[] = [];
  const spawn = (): WorkerProcess => {
    const w = forkNodeWorker();
    const state = { proc: w, exited: false };
    workers.push(state);
    w.onExit(() => (state.exited = true));
    return w;
  };
  const { supervisor, end } = supervised(spawn, { spareWorker: true });
  const until = async (check: () => boolean): Promise<void> => {
    for (const t0 = Date.now(); !check(); await new Promise((r) => setTimeout(r, 20))) if (Date.now() - t0 > 30_000) throw new Error('timed out');
  };
  await until(() => workers.length === 1);
  const first = supervisor.start({ kind: 'analyze', input: corpusCopy('spare.wav') });
  assert.equal(workers.length, 1, 'the job took the spare');
  assert.equal((await end(first.jobId)).status, 'done');
  assert.equal(workers.length, 2, 'a new spare once nothing runs');
  await until(() => workers[0]!.exited);

  // A spare that dies idle is not used: the next job starts its own worker, and runs.
  const spare = workers[1]!;
  supervisor.close();
  await until(() => spare.exited);
  const { supervisor: again, end: endAgain } = supervised(spawn, { spareWorker: true });
  await until(() => workers.length === 3);
  workers[2]!.proc.kill();
  await until(() => workers[2]!.exited);
  const second = again.start({ kind: 'analyze', input: corpusCopy('spare2.wav') });
  assert.equal(workers.length, 4, 'a fresh worker for the job');
  assert.equal((await endAgain(second.jobId)).status, 'done');
  again.close();
  await until(() => workers.every((w) => w.exited));
});
