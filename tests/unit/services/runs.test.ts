import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { calls, type CallName, type EventName } from '../../../main/contract/index';
import type { MetricsSeries, RunDetail, RunPlan } from '../../../main/contract/domain/index';
import { addDataset } from '../../../main/engine/project/datasets';
import { startStudioBackend } from '../../../main/services/backend';
import { forkNodeWorker } from '../../../main/services/node-worker';
import { runCli } from '../../helpers/cli';
import { corpus, tempDir } from '../../helpers/paths';

test('runs through the API: list, detail, metrics, live metrics of a CLI run, plan with problems, export and delete checkpoints, devices', async () => {
  const events: [string, unknown][] = [];
  const backend = await startStudioBackend({ userDataDir: tempDir('runs-home'), spawnWorker: forkNodeWorker, emit: (e, p) => events.push([e, p]) });
  async function call<N extends CallName>(name: N, args: unknown): Promise<unknown> {
    const reply = await backend.dispatch(name, args);
    if (!reply.ok) throw new Error(`${name}: ${reply.error.code} ${reply.error.message}`);
    const checked = calls[name].result.safeParse(reply.value);
    assert.equal(checked.success, true, `${name}: ${checked.error?.issues[0]?.message}`);
    return reply.value;
  }
  try {
    const project = ((await call('projects.create', { parent: tempDir('runs'), name: 'Voice' })) as { path: string }).path;
    assert.deepEqual(await call('runs.list', { project }), []);
    const runDir = path.join(project, 'runs', 'cli-run');
    const trained = await runCli(['train', path.join(corpus, 'speech/en-gb'), '--run', runDir, '--preset', 'tiny', '--steps', '6', '--checkpoint-every', '3', '--threads', '1']);
    assert.equal(trained.code, 0, trained.stderr);
    await fs.mkdir(path.join(project, 'runs', 'broken'));
    await fs.writeFile(path.join(project, 'runs', 'broken', 'config.json'), '{ not json');

    const runs = (await call('runs.list', { project })) as { id: string; status?: string; problem?: string }[];
    assert.deepEqual(runs.map((r) => r.id), ['broken', 'cli-run']);
    assert.match(runs[0]!.problem ?? '', /config\.json/);
    assert.equal(runs[1]!.status, 'finished');

    const detail = (await call('runs.get', { runDir })) as RunDetail;
    assert.deepEqual(detail.checkpoints.map((c) => c.step), [3, 6]);
    assert.equal(detail.summary.step, 6);
    const series = (await call('runs.metrics', { runDir })) as MetricsSeries;
    assert.ok(series.step.length >= 1 && series.step.length === series.train.length && series.step.length === series.time.length);
    assert.ok(series.train.every((x) => x > 0 && x < 6));

    // Watching follows lines appended by another process (here: this test, as a CLI run would).
    await call('runs.watch', { runDir });
    await fs.appendFile(path.join(runDir, 'metrics.jsonl'), `${JSON.stringify({ step: 7, train_loss: 4.2, time: new Date().toISOString() })}\n`);
    const deadline = Date.now() + 5000;
    while (!events.some(([e]) => e === 'runs.onMetrics') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const live = events.find(([e]) => (e as EventName) === 'runs.onMetrics')?.[1] as { runDir: string; series: MetricsSeries } | undefined;
    assert.deepEqual(live?.series.step, [7]);
    await call('runs.unwatch', { runDir });

    const exported = (await call('runs.exportCheckpoint', { runDir, step: 3, out: path.join(project, 'exports', 'first') })) as { path: string };
    assert.ok(exported.path.endsWith('first.onnx') && existsSync(exported.path));
    await call('runs.deleteCheckpoint', { runDir, step: 3 });
    assert.deepEqual(((await call('runs.get', { runDir })) as RunDetail).checkpoints.map((c) => c.step), [6]);

    const rec = path.join(corpus, 'speech/en-us');
    const ds = await addDataset(project, { name: 'Takes', folders: [rec] });
    const plan = (await call('runs.plan', { project, dataset: ds.id, choices: { preset: 'tiny', training: { length: 4100, steps: 100 } } })) as RunPlan;
    assert.equal(plan.config.data.dataset, ds.id);
    assert.equal(plan.config.model.condition, 'mel');
    assert.ok(plan.parameters > 0 && plan.receptiveFieldMs > 0);
    assert.match(plan.problems.find((p) => p.field === 'training.length')?.message ?? '', /multiple of the hop/);
    const good = (await call('runs.plan', { project, dataset: 'Takes', choices: { preset: 'small' } })) as RunPlan;
    assert.deepEqual(good.problems, []);
    assert.equal(good.config.model.residual, 64);

    // The segment plan of a mel sheet for this run's model: nothing rendered yet, so nothing cached.
    const sheet = (await call('documents.create', { project, name: 'Take', from: { type: 'audio', path: path.join(corpus, 'speech/en-us/utt01.wav') } })) as { id: string };
    const plan6 = (await call('renders.segments', { project, id: sheet.id, model: path.join(runDir, 'checkpoints', '6', 'model.onnx') })) as { start: number; end: number; cached: boolean }[];
    assert.ok(plan6.length >= 3, `${plan6.length} segments for 3.5 s`);
    assert.ok(plan6.every((p) => !p.cached && p.end > p.start));

    const devices = (await call('devices.list', {})) as { device: string; label: string }[];
    assert.equal(devices[0]?.device, 'cpu');
    assert.match(devices[0]!.label, /CPU · \d+ cores/);
  } finally {
    await backend.close();
  }
});
