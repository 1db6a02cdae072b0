// The contract holds both ways: what callers may send (argument schemas) and what the real
// services answer and emit (result and event schemas), over the real backend and a real worker.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { API_NAMES, calls, events, type CallName, type EventName } from '../../../main/contract/index';
import { startStudioBackend } from '../../../main/services/backend';
import { forkNodeWorker } from '../../../main/services/node-worker';
import { corpus, repoRoot, tempDir } from '../../helpers/paths';

test('the contract imports nothing but zod, so the preload and the renderer can load it', () => {
  const dir = path.join(repoRoot, 'main/contract');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(path.join(dir, file), 'utf8');
    const specifiers = [...source.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
    for (const s of specifiers) assert.ok(s === 'zod' || s!.startsWith('./'), `${file} imports ${s}`);
  }
});

/** One accepted and one refused argument per call: a call added without examples fails here. */
const examples: { [N in CallName]: { good: unknown; bad: unknown } } = {
  'projects.list': { good: undefined, bad: { all: true } },
  'projects.create': { good: { parent: '/p', name: 'Voice' }, bad: { parent: '/p', name: '' } },
  'projects.open': { good: { path: '/p/Voice' }, bad: { path: '' } },
  'fs.listDir': { good: {}, bad: { path: 7 } },
  'fs.reveal': { good: { path: '/p/x.wav' }, bad: { path: '' } },
  'dialogs.chooseFolder': { good: { title: 'Pick' }, bad: {} },
  'dialogs.chooseFile': { good: { title: 'Pick', extensions: ['.wav'] }, bad: { title: 'Pick', extensions: '.wav' } },
  'jobs.start': { good: { kind: 'analyze', input: '/a.wav' }, bad: { kind: 'analyze' } },
  'jobs.cancel': { good: { jobId: 'j' }, bad: { id: 'j' } },
  'jobs.pause': { good: { jobId: 'j', paused: true }, bad: { jobId: 'j' } },
  'jobs.list': { good: {}, bad: [] },
  'datasets.list': { good: { project: '/p/Voice' }, bad: {} },
  'datasets.add': { good: { project: '/p/Voice', name: 'Takes', folders: ['/rec'], settings: { condition: 'pianoroll', valFraction: 0.2 } }, bad: { project: '/p/Voice', name: 'Takes', folders: [] } },
  'datasets.update': { good: { project: '/p/Voice', dataset: 'takes', settings: { seed: 3 } }, bad: { project: '/p/Voice', dataset: 'takes', settings: { valFraction: 2 } } },
  'datasets.remove': { good: { project: '/p/Voice', dataset: 'takes' }, bad: { project: '/p/Voice' } },
  'datasets.info': { good: { project: '/p/Voice', dataset: 'takes' }, bad: { project: '', dataset: 'takes' } },
  'datasets.files': { good: { project: '/p/Voice', dataset: 'takes' }, bad: { project: '/p/Voice', dataset: '' } },
  'datasets.setExcluded': { good: { project: '/p/Voice', dataset: 'takes', paths: ['/rec/a.wav'], excluded: true }, bad: { project: '/p/Voice', dataset: 'takes', paths: [], excluded: true } },
  'datasets.fileDetail': { good: { project: '/p/Voice', dataset: 'takes', path: '/rec/a.wav' }, bad: { project: '/p/Voice', dataset: 'takes' } },
  'runs.list': { good: { project: '/p/Voice' }, bad: { project: '' } },
  'runs.get': { good: { runDir: '/p/Voice/runs/a' }, bad: {} },
  'runs.metrics': { good: { runDir: '/p/Voice/runs/a' }, bad: { runDir: 3 } },
  'runs.watch': { good: { runDir: '/p/Voice/runs/a' }, bad: { runDir: '' } },
  'runs.unwatch': { good: { runDir: '/p/Voice/runs/a' }, bad: {} },
  'runs.plan': { good: { project: '/p/Voice', dataset: 'takes', choices: { preset: 'tiny', training: { steps: 100 } } }, bad: { project: '/p/Voice', dataset: 'takes', choices: { preset: 'huge' } } },
  'runs.deleteCheckpoint': { good: { runDir: '/r', step: 100 }, bad: { runDir: '/r', step: -1 } },
  'runs.exportCheckpoint': { good: { runDir: '/r', step: 100, out: '/x.onnx' }, bad: { runDir: '/r', step: 100 } },
  'documents.list': { good: { project: '/p/Voice' }, bad: {} },
  'documents.get': { good: { project: '/p/Voice', id: 'd1' }, bad: { project: '/p/Voice', id: '' } },
  'documents.create': { good: { project: '/p/Voice', name: 'Tune', from: { type: 'midi', path: '/t.mid' } }, bad: { project: '/p/Voice', name: 'Tune', from: { type: 'lyrics' } } },
  'documents.save': {
    good: { project: '/p', document: { id: 'd1', name: 'D', kind: 'score', sampleRate: 16000, hop: 200, notes: [] } },
    bad: { project: '/p', document: { id: 'd1', name: 'D', kind: 'score', sampleRate: 16000, hop: 200, notes: [{ pitch: 300, start: 0, duration: 1, velocity: 1 }] } },
  },
  'documents.backup': {
    good: { project: '/p', document: { id: 'd1', name: 'D', kind: 'mel', sampleRate: 16000, hop: 200, mel: { frames: 1, bins: 2, data: [0, 1] } } },
    bad: { project: '/p', document: { id: 'd1', name: 'D', kind: 'mel', sampleRate: 16000, hop: 200, mel: { frames: 2, bins: 2, data: [0, 1] } } },
  },
  'documents.remove': { good: { project: '/p', id: 'd1' }, bad: { id: 'd1' } },
  'renders.list': { good: { project: '/p' }, bad: { project: 1 } },
  'renders.remove': { good: { project: '/p', id: 'r1' }, bad: { project: '/p', id: '' } },
  'renders.export': { good: { project: '/p', id: 'r1', out: '/x/take.wav' }, bad: { project: '/p', id: 'r1' } },
  'renders.segments': { good: { project: '/p', id: 'd1', model: '/m.onnx', settings: { seed: 2 } }, bad: { project: '/p', id: 'd1' } },
  'devices.list': { good: {}, bad: { all: true } },
};

test('every call accepts well-formed arguments and refuses malformed ones', () => {
  assert.deepEqual(Object.keys(examples).sort(), Object.keys(calls).sort());
  for (const [name, { good, bad }] of Object.entries(examples) as [CallName, { good: unknown; bad: unknown }][]) {
    assert.equal(calls[name].args.safeParse(good).success, true, `${name} accepts ${JSON.stringify(good)}`);
    assert.equal(calls[name].args.safeParse(bad).success, false, `${name} refuses ${JSON.stringify(bad)}`);
  }
});

test('the preload names are the calls then the events, each once', () => {
  assert.deepEqual([...API_NAMES], [...Object.keys(calls), ...Object.keys(events)]);
  assert.equal(new Set(API_NAMES).size, API_NAMES.length);
});

test('what the real services answer and emit matches the result and event schemas', async () => {
  const emitted: [string, unknown][] = [];
  let finished: () => void = () => undefined;
  const jobEnded = new Promise<void>((resolve) => (finished = resolve));
  const backend = await startStudioBackend({
    userDataDir: tempDir('contract-home'),
    spawnWorker: forkNodeWorker,
    emit: (event, payload) => {
      emitted.push([event, payload]);
      if (event === 'jobs.onFinished') finished();
    },
  });
  const work = tempDir('contract');
  const audio = path.join(work, 'utt01.wav');
  copyFileSync(path.join(corpus, 'speech/en-us/utt01.wav'), audio);
  const answered = new Set<string>();
  async function call<N extends CallName>(name: N, args: unknown): Promise<unknown> {
    const reply = await backend.dispatch(name, args);
    assert.equal(reply.ok, true, `${name}: ${JSON.stringify(reply)}`);
    if (!reply.ok) return undefined;
    const checked = calls[name].result.safeParse(reply.value);
    assert.equal(checked.success, true, `${name} answered ${JSON.stringify(reply.value)}: ${checked.error?.issues[0]?.message}`);
    answered.add(name);
    return reply.value;
  }
  try {
    const created = (await call('projects.create', { parent: work, name: 'Voice' })) as { path: string };
    await call('projects.open', { path: created.path });
    await call('projects.list', undefined);
    await call('fs.listDir', { path: work });
    const { jobId } = (await call('jobs.start', { kind: 'analyze', input: audio })) as { jobId: string };
    await call('jobs.list', {});
    await jobEnded;
    await call('jobs.cancel', { jobId }); // a finished job: nothing to do, but a valid answer
    // Only a running training can pause (tested with a real one in the services tests): a typed refusal here.
    const pause = await backend.dispatch('jobs.pause', { jobId, paused: true });
    assert.equal(pause.ok ? 'ok' : pause.error.code, 'BAD_OPTION');
    answered.add('jobs.pause');
    // Datasets: add one, import it with a real import job, then every read and change the view makes.
    const rec = path.join(work, 'rec');
    mkdirSync(rec);
    copyFileSync(audio, path.join(rec, 'utt01.wav'));
    copyFileSync(path.join(corpus, 'speech/en-us/utt03.wav'), path.join(rec, 'utt03.wav'));
    const dataset = (await call('datasets.add', { project: created.path, name: 'Takes', folders: [rec] })) as { id: string };
    const imported = (await call('jobs.start', { kind: 'import', project: created.path, dataset: dataset.id })) as { jobId: string };
    while (!emitted.some(([e, p]) => e === 'jobs.onFinished' && (p as { jobId: string }).jobId === imported.jobId)) await new Promise((r) => setTimeout(r, 20));
    await call('datasets.list', { project: created.path });
    await call('datasets.info', { project: created.path, dataset: dataset.id });
    const files = (await call('datasets.files', { project: created.path, dataset: dataset.id })) as { path: string }[];
    assert.equal(files.length, 2);
    await call('datasets.fileDetail', { project: created.path, dataset: dataset.id, path: files[0]!.path });
    await call('datasets.setExcluded', { project: created.path, dataset: dataset.id, paths: [files[0]!.path], excluded: true });
    await call('datasets.update', { project: created.path, dataset: dataset.id, name: 'Takes 2' });
    await call('datasets.remove', { project: created.path, dataset: dataset.id });
    // Documents and renders: create from MIDI and empty, read, back up, save, list, remove.
    const doc = (await call('documents.create', { project: created.path, name: 'Tune', from: { type: 'midi', path: path.join(corpus, 'music/piece1.mid') } })) as { id: string };
    await call('documents.create', { project: created.path, name: 'Blank', from: { type: 'empty' } });
    const opened = (await call('documents.get', { project: created.path, id: doc.id })) as { document: { name: string }; backup: unknown };
    assert.equal(opened.backup, null);
    await call('documents.backup', { project: created.path, document: { ...opened.document, name: 'Tune (edited)' } });
    await call('documents.save', { project: created.path, document: { ...opened.document, name: 'Tune 2' } });
    assert.equal(((await call('documents.list', { project: created.path })) as unknown[]).length, 2);
    await call('documents.remove', { project: created.path, id: doc.id });
    assert.deepEqual(await call('renders.list', { project: created.path }), { renders: [], invalid: [] });
    const gone = await backend.dispatch('renders.remove', { project: created.path, id: 'r1' });
    assert.equal(gone.ok ? 'ok' : gone.error.code, 'FILE_NOT_FOUND');
    answered.add('renders.remove');
    const noExport = await backend.dispatch('renders.export', { project: created.path, id: 'r1', out: path.join(work, 'take') });
    assert.equal(noExport.ok ? 'ok' : noExport.error.code, 'FILE_NOT_FOUND');
    answered.add('renders.export');
    await call('devices.list', {});
    backend.menuCommand('newProject');
  } finally {
    await backend.close();
  }
  const withoutNativeDialogs = ['dialogs.chooseFolder', 'dialogs.chooseFile', 'fs.reveal'];
  // The runs.* calls, runs.onMetrics and renders.segments need a trained run: tests/unit/services/runs.test.ts checks them against these schemas.
  const needATrainedRun = (n: string) => n.startsWith('runs.') || n === 'renders.segments';
  assert.deepEqual([...answered].sort(), Object.keys(calls).filter((n) => !withoutNativeDialogs.includes(n) && !needATrainedRun(n)).sort());
  const kinds = new Set(emitted.map(([event]) => event));
  assert.deepEqual([...kinds].sort(), Object.keys(events).filter((e) => !needATrainedRun(e)).sort(), 'every event was seen');
  for (const [event, payload] of emitted) {
    const checked = events[event as EventName].safeParse(payload);
    assert.equal(checked.success, true, `${event} ${JSON.stringify(payload)}: ${checked.error?.issues[0]?.message}`);
  }
  const end = emitted.find(([e]) => e === 'jobs.onFinished')![1] as { status: string };
  assert.equal(end.status, 'done', JSON.stringify(end));
});

test('a dataset settings change carries only the keys given (no defaults filled in over saved settings)', () => {
  const parsed = calls['datasets.update'].args.parse({ project: '/p', dataset: 'd', settings: { seed: 3 } });
  assert.deepEqual(parsed.settings, { seed: 3 });
});

test('a run plan\'s training choices carry only the keys given, and every preset\'s defaults plan without problems', async () => {
  const parsed = calls['runs.plan'].args.parse({ project: '/p', dataset: 'd', choices: { preset: 'tiny', training: { steps: 10 } } });
  assert.deepEqual(parsed.choices.training, { steps: 10 });
  const { planRun } = await import('../../../main/engine/train/plan');
  for (const preset of ['tiny', 'small', 'medium', 'large'] as const) {
    const plan = planRun('/p', { id: 'd', name: 'D', folders: ['/rec'], condition: 'mel' }, [], { preset });
    assert.deepEqual(plan.problems, [], preset);
    assert.equal(plan.config.training.sampleEvery, plan.config.training.checkpointEvery, 'a sample with every checkpoint');
  }
});
