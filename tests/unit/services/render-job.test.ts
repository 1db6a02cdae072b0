import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { EventName, JobFinishedEvent, JobProgressEvent } from '../../../main/contract/index';
import { JobResultSchemas } from '../../../main/contract/domain/jobs';
import { writeDocument } from '../../../main/engine/project/document';
import { createProject } from '../../../main/engine/project/project-file';
import { readRenderSidecarFile } from '../../../main/engine/project/render-sidecar';
import { preset, withCondition } from '../../../main/engine/model/config';
import { encodeModelFile } from '../../../main/engine/model/model-file';
import { initialParams, paramSpecs } from '../../../main/engine/model/params';
import { StudioError } from '../../../main/engine/errors';
import { JobSupervisor } from '../../../main/services/jobs';
import { forkNodeWorker } from '../../../main/services/node-worker';
import { corpus, tempDir } from '../../helpers/paths';

/** A tiny mel-conditioned model with initial weights: enough to render, nothing to train. */
async function tinyModel(dir: string): Promise<string> {
  const cfg = withCondition(preset('tiny'), 'mel');
  const file = path.join(dir, 'model.onnx');
  await fs.writeFile(file, encodeModelFile(cfg, initialParams(paramSpecs(cfg), 3)));
  return file;
}

test('the render job runs in a worker: typed progress with samples/s, then a result of the domain shape and files with sidecars', async () => {
  const dir = tempDir('render-job');
  const model = await tinyModel(dir);
  const progress: JobProgressEvent[] = [];
  let finish!: (e: JobFinishedEvent) => void;
  const finished = new Promise<JobFinishedEvent>((resolve) => (finish = resolve));
  const supervisor = new JobSupervisor(forkNodeWorker, (event: EventName, payload: unknown) => {
    if (event === 'jobs.onProgress') progress.push(payload as JobProgressEvent);
    if (event === 'jobs.onFinished') finish(payload as JobFinishedEvent);
  });
  const out = path.join(dir, 'take.flac');
  const { jobId } = supervisor.start({
    kind: 'render', model, out,
    source: { type: 'audio', path: path.join(corpus, 'speech/en-us/utt01.wav') },
    settings: { seed: 2, streams: 2, maxSeconds: 0.25 },
    variations: [{ seed: 3, temperature: 0.5 }],
  });
  const end = await finished;
  assert.equal(end.jobId, jobId);
  assert.equal(end.status, 'done', JSON.stringify(end));
  const result = JobResultSchemas.render.parse(end.result);
  assert.deepEqual(result.outputs.map((o) => [path.basename(o.path), path.basename(o.sidecar), o.seconds, o.seed, o.temperature]), [
    ['take-1.flac', 'take-1.flac.json', 0.25, 2, 1],
    ['take-2.flac', 'take-2.flac.json', 0.25, 3, 0.5],
  ]);
  assert.equal(result.device, 'cpu');
  assert.ok(result.samplesPerSec > 0 && result.realTimeFactor > 0 && result.seconds > 0);
  const sidecar = await readRenderSidecarFile(result.outputs[1]!.sidecar);
  assert.deepEqual([sidecar.format, sidecar.file, sidecar.seed, sidecar.streams, sidecar.model], ['flac16', 'take-2.flac', 3, 2, model]);

  const mine = progress.filter((p) => p.jobId === jobId);
  const phases = [...new Set(mine.map((p) => p.phase))];
  assert.deepEqual(phases, ['starting', 'loading model', 'conditioning', 'generating', 'writing']);
  const generating = mine.filter((p) => p.phase === 'generating');
  assert.ok(generating.length > 0);
  for (const p of generating) {
    assert.equal(p.total, 8000);
    assert.equal(typeof p.metrics?.samplesPerSec, 'number');
    assert.equal(typeof p.metrics?.realTimeFactor, 'number');
    assert.equal(typeof p.metrics?.audioSeconds, 'number');
    // An ETA from 1 % done on: the first samples' rate includes the start-up.
    assert.equal(typeof p.etaSeconds, p.done >= 80 ? 'number' : 'object');
    assert.match(p.figures ?? '', /samples\/s/);
  }
  assert.equal(mine.at(-1)!.done, 8000);
  assert.match(generating.at(-1)!.figures!, /^take 2\/2 · /);
});

test('a document render job goes through the segment cache: segment counts in progress and result, a second job reuses them all', async () => {
  const dir = tempDir('render-job-segments');
  const model = await tinyModel(dir);
  const project = path.join(dir, 'project');
  await createProject(project, 'Jobs');
  const frames = 20; // 0.25 s: one segment
  await writeDocument(project, { id: 'sheet', name: 'Sheet', kind: 'mel', sampleRate: 16000, hop: 200, mel: { frames, bins: 80, data: Array.from({ length: frames * 80 }, (_, i) => Math.sin(i) - 4) } });
  const progress: JobProgressEvent[] = [];
  const finished: JobFinishedEvent[] = [];
  let wake = (): void => {};
  const supervisor = new JobSupervisor(forkNodeWorker, (event: EventName, payload: unknown) => {
    if (event === 'jobs.onProgress') progress.push(payload as JobProgressEvent);
    if (event === 'jobs.onFinished') {
      finished.push(payload as JobFinishedEvent);
      wake();
    }
  });
  const run = async (name: string) => {
    const done = new Promise<void>((resolve) => (wake = resolve));
    const { jobId } = supervisor.start({
      kind: 'render', model, out: path.join(project, 'renders', `${name}.wav`), project, playhead: 0.1,
      source: { type: 'document', project, id: 'sheet' }, settings: { seed: 2, streams: 2 },
    });
    await done;
    const end = finished.find((f) => f.jobId === jobId)!;
    assert.equal(end.status, 'done', JSON.stringify(end));
    return { result: JobResultSchemas.render.parse(end.result), progress: progress.filter((p) => p.jobId === jobId) };
  };
  const first = await run('one');
  assert.deepEqual(first.result.segments, { rendered: 1, reused: 0, total: 1 });
  const generating = first.progress.filter((p) => p.phase === 'generating');
  assert.ok(generating.length > 0);
  assert.ok(generating.every((p) => p.metrics?.segmentsTotal === 1 && p.metrics.segmentsReused === 0 && typeof p.metrics.segmentsRendering === 'number'));
  assert.equal(first.progress.at(-1)!.metrics?.segmentsRendered, 1);
  assert.match(first.progress.at(-1)!.figures ?? '', /^segments 1\/1 rendered · /);
  const second = await run('two');
  assert.deepEqual(second.result.segments, { rendered: 0, reused: 1, total: 1 });
  assert.match(second.progress.at(-1)!.figures ?? '', /^segments 0\/0 rendered, 1 reused · /);
  assert.ok((await fs.readFile(first.result.outputs[0]!.path)).equals(await fs.readFile(second.result.outputs[0]!.path)));
  const sidecar = await readRenderSidecarFile(second.result.outputs[0]!.sidecar);
  assert.deepEqual(sidecar.segments, { seconds: 0.5, rendered: 0, reused: 1, total: 1 });
});

test('a render request with bad fields is refused before any worker starts', () => {
  let spawned = 0;
  const supervisor = new JobSupervisor(() => {
    spawned++;
    return forkNodeWorker();
  }, () => {});
  const good = { kind: 'render', model: '/m.onnx', out: '/o.wav', source: { type: 'none', seconds: 1 } };
  const refused = (request: unknown, where: RegExp) =>
    assert.throws(() => supervisor.start(request), (e: unknown) => e instanceof StudioError && e.code === 'BAD_OPTION' && where.test(e.message));
  refused({ ...good, settings: { temperature: -1 } }, /at settings\.temperature/);
  refused({ ...good, source: { type: 'audio' } }, /at source\.path/);
  refused({ ...good, source: { type: 'none', seconds: 0 } }, /at source\.seconds/);
  refused({ ...good, model: '' }, /at model: Choose a model/);
  refused({ ...good, variations: Array.from({ length: 17 }, () => ({ seed: 1, temperature: 1 })) }, /at variations/);
  refused({ ...good, format: 'mp3' }, /at format/);
  refused({ ...good, playhead: -1 }, /at playhead/);
  assert.equal(spawned, 0);
  assert.deepEqual(supervisor.list(), []);
});
