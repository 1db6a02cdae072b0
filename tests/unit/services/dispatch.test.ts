import assert from 'node:assert/strict';
import { test } from 'node:test';
import { API_NAMES, calls, events } from '../../../main/contract/index';
import { StudioError } from '../../../main/engine/errors';
import { createDispatch, type Handlers } from '../../../main/services/dispatch';

/** Handlers that record what reached them; a call that reaches none fails the test below. */
function recordingHandlers(seen: unknown[]): Handlers {
  const record = (value: unknown) => (args: unknown) => {
    seen.push(args);
    return value as never;
  };
  return {
    'projects.list': record([]),
    'projects.create': record({ name: 'n', path: '/p' }),
    'projects.open': () => {
      throw new StudioError('FILE_NOT_FOUND', '/nowhere is not a project (no project.json): pick the project folder.');
    },
    'fs.listDir': () => {
      throw new Error('disk on fire\n    at somewhere.js:1');
    },
    'fs.reveal': record(undefined),
    'dialogs.chooseFolder': record({ path: null }),
    'dialogs.chooseFile': record({ path: null }),
    'jobs.start': record({ jobId: 'j' }),
    'jobs.cancel': record(undefined),
    'jobs.pause': record(undefined),
    'jobs.list': record([]),
    'datasets.list': record([]),
    'datasets.add': record({ id: 'voice', name: 'Voice', folders: ['/rec'], condition: 'mel' }),
    'datasets.update': record({ id: 'voice', name: 'Voice', folders: ['/rec'], condition: 'mel' }),
    'datasets.remove': record(undefined),
    'datasets.info': () => {
      throw new StudioError('FILE_NOT_FOUND', 'The project has no dataset with id "gone": it may have been removed.');
    },
    'datasets.files': record([]),
    'datasets.setExcluded': record(undefined),
    'datasets.fileDetail': record({ path: '/rec/a.wav', sampleRate: 16000, seconds: 1, peaks: { min: [], max: [] }, features: null, notes: null }),
    'runs.list': record([]),
    'runs.get': record(undefined),
    'runs.metrics': record({ step: [], time: [], train: [], val: [], lr: [], samplesPerSec: [] }),
    'runs.watch': record(undefined),
    'runs.unwatch': record(undefined),
    'runs.plan': record(undefined),
    'runs.deleteCheckpoint': record(undefined),
    'runs.exportCheckpoint': record({ path: '/x.onnx' }),
    'documents.list': record([]),
    'documents.get': record(undefined),
    'documents.create': record(undefined),
    'documents.save': record({ updatedAt: '' }),
    'documents.backup': record(undefined),
    'documents.remove': record(undefined),
    'renders.list': record({ renders: [], invalid: [] }),
    'renders.remove': record(undefined),
    'renders.export': record({ path: '/x.wav' }),
    'renders.segments': record([]),
    'devices.list': record([{ device: 'cpu', label: 'CPU' }]),
  };
}

test('a valid call reaches its service with the parsed arguments and returns its value', async () => {
  const seen: unknown[] = [];
  const dispatch = createDispatch(recordingHandlers(seen));
  assert.deepEqual(await dispatch('projects.create', { parent: '/p', name: 'Voice' }), { ok: true, value: { name: 'n', path: '/p' } });
  assert.deepEqual(await dispatch('projects.list', undefined), { ok: true, value: [] });
  assert.deepEqual(seen, [{ parent: '/p', name: 'Voice' }, undefined]);
});

test('bad arguments and unknown methods are refused with typed errors and never reach a service', async () => {
  const seen: unknown[] = [];
  const dispatch = createDispatch(recordingHandlers(seen));
  const cases: [string, unknown, string, RegExp][] = [
    ['projects.create', { parent: '/p' }, 'BAD_ARGUMENTS', /projects\.create at name/],
    ['projects.create', { parent: 42, name: 'x' }, 'BAD_ARGUMENTS', /at parent/],
    ['projects.create', { parent: '/p', name: '   ' }, 'BAD_ARGUMENTS', /needs a name/],
    ['jobs.start', { kind: 'compose', input: '/a.wav' }, 'BAD_ARGUMENTS', /at kind/],
    ['jobs.start', { kind: 'train', input: '/a.wav' }, 'BAD_ARGUMENTS', /at runDir/],
    ['jobs.start', { kind: 'analyze', input: '' }, 'BAD_ARGUMENTS', /Choose an audio file/],
    ['jobs.list', { extra: true }, 'BAD_ARGUMENTS', /jobs\.list/],
    ['jobs.cancel', null, 'BAD_ARGUMENTS', /jobs\.cancel/],
    ['datasets.add', { project: '/p', name: 'Voice', folders: [] }, 'BAD_ARGUMENTS', /at least one folder/],
    ['datasets.setExcluded', { project: '/p', dataset: 'voice', paths: ['/a.wav'] }, 'BAD_ARGUMENTS', /at excluded/],
    ['datasets.info', { project: '', dataset: 'voice' }, 'BAD_ARGUMENTS', /Open a project first/],
    ['projects.delete', {}, 'UNKNOWN_METHOD', /no API call "projects\.delete"/],
    ['__proto__', {}, 'UNKNOWN_METHOD', /no API call/],
  ];
  for (const [method, args, code, message] of cases) {
    const reply = await dispatch(method, args);
    assert.equal(reply.ok, false, method);
    if (!reply.ok) {
      assert.equal(reply.error.code, code, `${method}: ${reply.error.message}`);
      assert.match(reply.error.message, message);
      assert.ok(!reply.error.message.includes('\n'));
    }
  }
  assert.deepEqual(seen, [], 'no service saw a bad call');
});

test("a service's typed error keeps its code; an unexpected one becomes one INTERNAL line", async () => {
  const logged: string[] = [];
  const dispatch = createDispatch(recordingHandlers([]), (line) => logged.push(line));
  assert.deepEqual(await dispatch('projects.open', { path: '/nowhere' }), {
    ok: false,
    error: { code: 'FILE_NOT_FOUND', message: '/nowhere is not a project (no project.json): pick the project folder.' },
  });
  assert.deepEqual(await dispatch('datasets.info', { project: '/p', dataset: 'gone' }), {
    ok: false,
    error: { code: 'FILE_NOT_FOUND', message: 'The project has no dataset with id "gone": it may have been removed.' },
  });
  const reply = await dispatch('fs.listDir', {});
  assert.deepEqual(reply, { ok: false, error: { code: 'INTERNAL', message: 'Unexpected error: disk on fire' } });
  assert.equal(logged.length, 1, 'the stack goes to the log, not to the person');
});

test('the preload names cover every call and event, events named on*', () => {
  assert.deepEqual([...API_NAMES].sort(), [...Object.keys(calls), ...Object.keys(events)].sort());
  for (const name of Object.keys(events)) assert.match(name.split('.').pop()!, /^on[A-Z]/);
  for (const name of Object.keys(calls)) assert.doesNotMatch(name.split('.').pop()!, /^on[A-Z]/);
});
