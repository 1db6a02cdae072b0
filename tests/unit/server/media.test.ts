import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startStudioServer, type StudioServer } from '../../../main/server/index';
import { startStudioBackend } from '../../../main/services/backend';
import { MediaLibrary, mediaAnswer, parseRange } from '../../../main/services/media';
import { ProjectRegistry } from '../../../main/services/projects';
import { tempDir } from '../../helpers/paths';

/** A 16-bit mono PCM WAV whose sample bytes follow a pattern, so any range can be checked. */
function wav(samples: number): Buffer {
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) data.writeInt16LE(((i * 37) % 65536) - 32768, i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(16000, 24);
  header.writeUInt32LE(32000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

let server: StudioServer;
let origin: string;
let cookie: string;
let project: string;
let outside: string;
let sample: Buffer;

before(async () => {
  const media = new MediaLibrary();
  const registry = new ProjectRegistry(tempDir('home'), (dir) => media.addProject(dir));
  project = (await registry.create(tempDir('projects'), 'Voice')).path;
  sample = wav(1000);
  writeFileSync(path.join(project, 'renders', 'take.wav'), sample);
  writeFileSync(path.join(project, 'renders', 'notes.txt'), 'not audio');
  mkdirSync(path.join(project, 'renders', 'folder.wav'));
  outside = tempDir('outside');
  writeFileSync(path.join(outside, 'secret.wav'), wav(10));
  writeFileSync(path.join(outside, 'secret.txt'), 'secret');
  symlinkSync(path.join(outside, 'secret.wav'), path.join(project, 'renders', 'link-out.wav'));
  symlinkSync(path.join(outside, 'secret.txt'), path.join(project, 'renders', 'evil.wav'));
  symlinkSync(outside, path.join(project, 'datasets', 'linked-folder'));
  symlinkSync(path.join(project, 'renders', 'take.wav'), path.join(project, 'renders', 'link-in.wav'));
  const dispatch = async () => ({ ok: false as const, error: { code: 'UNKNOWN_METHOD', message: 'none' } });
  server = await startStudioServer({ host: '127.0.0.1', port: 0, rendererDir: tempDir('renderer'), dispatch, media });
  origin = new URL(server.url).origin;
  cookie = `wavenet_studio_token_${new URL(origin).port}=${server.token}`;
});

after(async () => {
  await server.close();
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A raw request (the path and query go out exactly as written: no `..` clean-up on the way). */
function get(pathAndQuery: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(`${origin}${pathAndQuery}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const mediaPath = (file: string) => `/media?path=${encodeURIComponent(file)}`;
const withToken = (extra: Record<string, string> = {}) => ({ cookie, ...extra });

test('media needs the token like every other request', async () => {
  const take = path.join(project, 'renders', 'take.wav');
  assert.equal((await get(mediaPath(take))).status, 401);
  assert.equal((await get(mediaPath(take), { cookie: `wavenet_studio_token_1=${server.token}` })).status, 401);
  assert.equal((await get(`${mediaPath(take)}&token=${server.token}`)).status, 200, 'the token in the query works too');
  assert.equal((await get(mediaPath(take), withToken({ host: `evil.example:${new URL(origin).port}` }))).status, 403, 'DNS rebinding refused');
});

test('a file of the open project comes whole, with its type, no-store and nosniff', async () => {
  const reply = await get(mediaPath(path.join(project, 'renders', 'take.wav')), withToken());
  assert.equal(reply.status, 200);
  assert.equal(reply.headers['content-type'], 'audio/wav');
  assert.equal(reply.headers['content-length'], String(sample.length));
  assert.equal(reply.headers['accept-ranges'], 'bytes');
  assert.equal(reply.headers['cache-control'], 'no-store');
  assert.equal(reply.headers['x-content-type-options'], 'nosniff');
  assert.equal(reply.headers['content-range'], undefined);
  assert.ok(reply.body.equals(sample));
  const head = await get(mediaPath(path.join(project, 'renders', 'take.wav')), withToken(), 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.headers['content-length'], String(sample.length));
  assert.equal(head.body.length, 0);
  const linkIn = await get(mediaPath(path.join(project, 'renders', 'link-in.wav')), withToken());
  assert.equal(linkIn.status, 200, 'a symlink that stays inside the project plays');
  assert.ok(linkIn.body.equals(sample));
});

test('Range: 206 with exactly the asked bytes, open-ended and suffix ranges, 416 past the end', async () => {
  const take = mediaPath(path.join(project, 'renders', 'take.wav'));
  const part = await get(take, withToken({ range: 'bytes=100-199' }));
  assert.equal(part.status, 206);
  assert.equal(part.headers['content-range'], `bytes 100-199/${sample.length}`);
  assert.equal(part.headers['content-length'], '100');
  assert.equal(part.headers['content-type'], 'audio/wav');
  assert.ok(part.body.equals(sample.subarray(100, 200)));
  const tail = await get(take, withToken({ range: 'bytes=2000-' }));
  assert.equal(tail.status, 206);
  assert.equal(tail.headers['content-range'], `bytes 2000-${sample.length - 1}/${sample.length}`);
  assert.ok(tail.body.equals(sample.subarray(2000)));
  const suffix = await get(take, withToken({ range: 'bytes=-10' }));
  assert.equal(suffix.status, 206);
  assert.ok(suffix.body.equals(sample.subarray(sample.length - 10)));
  const beyond = await get(take, withToken({ range: `bytes=${sample.length}-` }));
  assert.equal(beyond.status, 416);
  assert.equal(beyond.headers['content-range'], `bytes */${sample.length}`);
  assert.ok(!beyond.body.includes(sample.subarray(44, 80)), 'no file content');
});

test('refusals: outside the projects, traversal, symlinks out, non-audio, relative paths, missing files', async () => {
  const renders = path.join(project, 'renders');
  const refused = async (pathAndQuery: string, status: number, why: string) => {
    const reply = await get(pathAndQuery, withToken());
    assert.equal(reply.status, status, `${why}: ${pathAndQuery}`);
    assert.match(String(reply.headers['content-type']), /^text\/plain/, why);
    assert.equal(reply.body.toString().trim().split('\n').length, 1, `${why}: a one-line body`);
    assert.ok(!reply.body.includes('RIFF') && !reply.body.includes('secret\n') && reply.body.toString() !== 'secret', `${why}: no file content`);
  };
  await refused(mediaPath(path.join(outside, 'secret.wav')), 403, 'a file outside every open project');
  await refused(`/media?path=${renders}/../../../${path.basename(outside)}/secret.wav`, 403, 'raw ..');
  const encodedDots = `/media?path=${encodeURIComponent(renders)}%2F%2e%2e%2F%2e%2e%2F%2e%2e%2F${path.basename(outside)}%2Fsecret.wav`;
  await refused(encodedDots, 403, 'percent-encoded ..');
  await refused(mediaPath(`${renders}/../renders/take.wav`), 403, '.. is refused even when it would stay inside');
  await refused(mediaPath(path.join(renders, 'link-out.wav')), 403, 'a symlink inside the project pointing outside');
  await refused(mediaPath(path.join(renders, 'evil.wav')), 403, 'a .wav symlink to a text file outside');
  await refused(mediaPath(path.join(project, 'datasets', 'linked-folder', 'secret.wav')), 403, 'a symlinked folder leading outside');
  await refused(mediaPath(path.join(renders, 'notes.txt')), 403, 'not audio');
  await refused(mediaPath(path.join(project, 'project.json')), 403, 'the project file is not audio');
  await refused(mediaPath('renders/take.wav'), 403, 'a relative path');
  await refused('/media', 403, 'no path at all');
  await refused(`/media?path=${encodeURIComponent(path.join(renders, 'take.wav'))}%00.wav`, 403, 'a NUL byte');
  await refused(mediaPath(path.join(renders, 'gone.wav')), 404, 'a missing file');
  await refused(mediaPath(path.join(renders, 'folder.wav')), 404, 'a folder named like audio');
  await refused(mediaPath(path.join(outside, 'no-such.wav')), 403, 'outside: refused before the disk is asked, so 403 not 404');
});

test('a dataset source folder listed in project.json (outside the project) plays once it is listed', async () => {
  const source = tempDir('source');
  mkdirSync(path.join(source, 'speaker'));
  const clip = wav(300);
  writeFileSync(path.join(source, 'speaker', 'utt01.wav'), clip);
  const url = mediaPath(path.join(source, 'speaker', 'utt01.wav'));
  assert.equal((await get(url, withToken())).status, 403, 'not yet a dataset of the project');
  const file = path.join(project, 'project.json');
  const json = JSON.parse(readFileSync(file, 'utf8')) as { datasets: unknown[] };
  json.datasets.push({ id: 'speech', name: 'Speech', folders: [source], condition: 'mel' });
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  const reply = await get(url, withToken());
  assert.equal(reply.status, 200, 'project.json is read again when it changes');
  assert.ok(reply.body.equals(clip));
  assert.equal((await get(mediaPath(`${source}/../${path.basename(source)}/speaker/utt01.wav`), withToken())).status, 403);
});

test('a server without a media library answers 404 to /media', async () => {
  const dispatch = async () => ({ ok: false as const, error: { code: 'UNKNOWN_METHOD', message: 'none' } });
  const bare = await startStudioServer({ host: '127.0.0.1', port: 0, rendererDir: tempDir('renderer'), dispatch });
  try {
    const res = await fetch(`${new URL(bare.url).origin}${mediaPath(path.join(project, 'renders', 'take.wav'))}&token=${bare.token}`);
    assert.equal(res.status, 404);
  } finally {
    await bare.close();
  }
});

test("the backend's media library hears the projects its calls create and open", async () => {
  const home = tempDir('home');
  const spawnWorker = () => {
    throw new Error('no worker in this test');
  };
  const backend = await startStudioBackend({ userDataDir: home, spawnWorker, emit: () => undefined });
  try {
    const created = await backend.dispatch('projects.create', { parent: tempDir('projects'), name: 'Made' });
    assert.ok(created.ok);
    const made = (created.value as { path: string }).path;
    writeFileSync(path.join(made, 'renders', 'a.wav'), wav(5));
    assert.equal((await backend.media.resolve(path.join(made, 'renders', 'a.wav'))).ok, true);
    assert.equal((await backend.media.resolve(path.join(project, 'renders', 'take.wav'))).ok, false, 'another session\'s project is not open here');
    assert.ok((await backend.dispatch('projects.open', { path: project })).ok);
    assert.equal((await backend.media.resolve(path.join(project, 'renders', 'take.wav'))).ok, true);
  } finally {
    await backend.close();
  }
});

describe('parseRange', () => {
  test('single ranges', () => {
    assert.deepEqual(parseRange('bytes=100-199', 1000), { kind: 'partial', start: 100, end: 199 });
    assert.deepEqual(parseRange('bytes=0-0', 1000), { kind: 'partial', start: 0, end: 0 });
    assert.deepEqual(parseRange('bytes=900-', 1000), { kind: 'partial', start: 900, end: 999 });
    assert.deepEqual(parseRange('bytes=900-5000', 1000), { kind: 'partial', start: 900, end: 999 }, 'end clamped to the last byte');
    assert.deepEqual(parseRange('bytes=-100', 1000), { kind: 'partial', start: 900, end: 999 });
    assert.deepEqual(parseRange('bytes=-5000', 1000), { kind: 'partial', start: 0, end: 999 }, 'a suffix longer than the file is the whole file');
    assert.deepEqual(parseRange('Bytes = 1 - 2', 1000), { kind: 'partial', start: 1, end: 2 });
  });
  test('unsatisfiable', () => {
    assert.deepEqual(parseRange('bytes=1000-', 1000), { kind: 'unsatisfiable' });
    assert.deepEqual(parseRange('bytes=5000-6000', 1000), { kind: 'unsatisfiable' });
    assert.deepEqual(parseRange('bytes=-0', 1000), { kind: 'unsatisfiable' });
    assert.deepEqual(parseRange('bytes=0-', 0), { kind: 'unsatisfiable' });
    assert.deepEqual(parseRange('bytes=-10', 0), { kind: 'unsatisfiable' });
  });
  test('absent, malformed, other units and several ranges: the whole file', () => {
    for (const header of [undefined, null, '', 'bytes=', 'bytes=-', 'bytes=abc', 'bytes=5-1', 'items=0-1', 'bytes 0-1', 'bytes=0-1,5-6', 'bytes=1.5-2', 'bytes=99999999999999999999-']) {
      assert.deepEqual(parseRange(header, 1000), { kind: 'whole' }, String(header));
    }
  });
});

describe('mediaAnswer', () => {
  const file = { ok: true as const, path: '/p/a.flac', size: 1000, type: 'audio/flac' };
  test('whole, partial and unsatisfiable answers', () => {
    assert.deepEqual(mediaAnswer(file, undefined), {
      status: 200,
      headers: { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'Content-Type': 'audio/flac', 'Accept-Ranges': 'bytes', 'Content-Length': '1000' },
      body: { path: '/p/a.flac', start: 0, end: 999 },
    });
    const part = mediaAnswer(file, 'bytes=10-19');
    assert.equal(part.status, 206);
    assert.equal(part.headers['Content-Range'], 'bytes 10-19/1000');
    assert.equal(part.headers['Content-Length'], '10');
    assert.deepEqual(part.body, { path: '/p/a.flac', start: 10, end: 19 });
    const none = mediaAnswer(file, 'bytes=1000-');
    assert.equal(none.status, 416);
    assert.equal(none.headers['Content-Range'], 'bytes */1000');
    assert.equal(none.body, null);
    assert.equal(mediaAnswer({ ...file, size: 0 }, undefined).body, null, 'an empty file sends no stream');
  });
  test('refusals carry a one-line text and no file', () => {
    const refused = mediaAnswer({ ok: false, status: 403, message: 'Not yours.' }, 'bytes=0-1');
    assert.equal(refused.status, 403);
    assert.equal(refused.body, null);
    assert.equal(refused.text, 'Not yours.\n');
    assert.equal(refused.headers['Content-Type'], 'text/plain; charset=utf-8');
  });
});

describe('MediaLibrary.resolve', () => {
  test('content types of the four audio formats; others refused', async () => {
    const media = new MediaLibrary();
    const dir = tempDir('media-types');
    media.addProject(dir);
    const expected: Record<string, string> = { 'a.wav': 'audio/wav', 'b.FLAC': 'audio/flac', 'c.ogg': 'audio/ogg', 'd.mp3': 'audio/mpeg' };
    for (const name of [...Object.keys(expected), 'e.mid', 'f.json']) writeFileSync(path.join(dir, name), 'x');
    for (const [name, type] of Object.entries(expected)) {
      const r = await media.resolve(path.join(dir, name));
      assert.ok(r.ok && r.type === type && r.size === 1, name);
    }
    for (const name of ['e.mid', 'f.json']) assert.deepEqual(await media.resolve(path.join(dir, name)).then((r) => !r.ok && r.status), 403, name);
  });
  test('nothing is allowed before a project is opened', async () => {
    const dir = tempDir('media-none');
    writeFileSync(path.join(dir, 'a.wav'), 'x');
    const r = await new MediaLibrary().resolve(path.join(dir, 'a.wav'));
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.status, 403);
  });
});
