import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildStudioApi, type ApiTree, type PreloadTransport } from '../../../preload/studio-api';
import type { CallReply } from '../../../main/contract/wire';

const NAMES = ['projects.list', 'projects.create', 'fs.listDir', 'dialogs.chooseFolder', 'jobs.start', 'jobs.cancel', 'jobs.onProgress', 'jobs.onFinished'];

/** A transport that records what the API sends and lets the test deliver events and replies. */
function recorder(reply: (method: string, args: unknown) => CallReply = (method, args) => ({ ok: true, value: { method, args } })) {
  const calls: Array<[string, unknown]> = [];
  const handlers = new Map<string, Set<(p: unknown) => void>>();
  const transport: PreloadTransport = {
    invoke: async (method, args) => {
      calls.push([method, args]);
      return reply(method, args);
    },
    subscribe: (event, handler) => {
      const set = handlers.get(event) ?? new Set();
      handlers.set(event, set);
      set.add(handler);
      return () => set.delete(handler);
    },
  };
  const emit = (event: string, payload: unknown) => handlers.get(event)?.forEach((h) => h(payload));
  return { transport, calls, emit };
}

function leafPaths(tree: ApiTree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'function' ? [`${prefix}${k}`] : leafPaths(v, `${prefix}${k}.`)));
}

function leaf(tree: ApiTree, name: string): (arg?: unknown) => unknown {
  let node: ApiTree | ((arg?: unknown) => unknown) = tree;
  for (const part of name.split('.')) node = (node as ApiTree)[part] as ApiTree;
  assert.equal(typeof node, 'function', name);
  return node as unknown as (arg?: unknown) => unknown;
}

test('the API has exactly one function per contract name, nested by its dots', () => {
  const api = buildStudioApi(NAMES, recorder().transport);
  assert.deepEqual(leafPaths(api).sort(), [...NAMES].sort());
  assert.deepEqual(Object.keys(api).sort(), ['dialogs', 'fs', 'jobs', 'projects']);
});

test('a call sends its method name and arguments and resolves with the value main answered', async () => {
  const { transport, calls } = recorder();
  const api = buildStudioApi(NAMES, transport);
  assert.deepEqual(await leaf(api, 'projects.create')({ path: '/tmp/p', name: 'P' }), { method: 'projects.create', args: { path: '/tmp/p', name: 'P' } });
  await leaf(api, 'projects.list')();
  assert.deepEqual(calls, [['projects.create', { path: '/tmp/p', name: 'P' }], ['projects.list', undefined]]);
});

test('a refused call rejects with its code and one-line message', async () => {
  const { transport } = recorder(() => ({ ok: false, error: { code: 'BAD_ARGUMENTS', message: 'path must be a string' } }));
  const api = buildStudioApi(NAMES, transport);
  await assert.rejects(leaf(api, 'jobs.start')({ kind: 42 }) as Promise<unknown>, { name: 'RemoteError', code: 'BAD_ARGUMENTS', message: 'path must be a string' });
});

test('on* names subscribe to their own event only, and the returned function unsubscribes', () => {
  const { transport, calls, emit } = recorder();
  const api = buildStudioApi(NAMES, transport);
  const seen: unknown[] = [];
  const off = leaf(api, 'jobs.onProgress')((p: unknown) => seen.push(p)) as () => void;
  emit('jobs.onProgress', { done: 1 });
  emit('jobs.onFinished', { status: 'done' });
  off();
  emit('jobs.onProgress', { done: 2 });
  assert.deepEqual(seen, [{ done: 1 }]);
  assert.deepEqual(calls, [], 'subscribing sends no call');
  assert.throws(() => leaf(api, 'jobs.onFinished')('not a function'), TypeError);
});

test('malformed contract names are refused when the API is built', () => {
  assert.throws(() => buildStudioApi(['projects..list'], recorder().transport));
  assert.throws(() => buildStudioApi(['projects.list', 'projects.list.all'], recorder().transport));
});
