import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { startStudioBackend, type StudioBackend } from '../../../main/services/backend';
import { forkNodeWorker } from '../../../main/services/node-worker';
import { startStudioServer, type StudioServer } from '../../../main/server/index';
import { tempDir } from '../../helpers/paths';

let server: StudioServer;
let backend: StudioBackend;
let origin: string;
let home: string;
let renderer: string;

before(async () => {
  renderer = tempDir('renderer');
  mkdirSync(path.join(renderer, 'assets'));
  writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>studio</title>');
  writeFileSync(path.join(renderer, 'assets', 'app-1234.js'), 'console.log(1)');
  home = tempDir('home');
  backend = await startStudioBackend({ userDataDir: home, spawnWorker: forkNodeWorker, emit: (e, p) => server.broadcast(e, p) });
  server = await startStudioServer({ host: '127.0.0.1', port: 0, rendererDir: renderer, dispatch: backend.dispatch });
  origin = new URL(server.url).origin;
});

after(async () => {
  await backend.close();
  await server.close();
});

/** A raw GET, so the Host header can be set (fetch forbids it). */
function get(pathAndQuery: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${origin}${pathAndQuery}`, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('prints a loopback URL with a long random token', () => {
  const url = new URL(server.url);
  assert.equal(url.hostname, '127.0.0.1');
  assert.ok((url.searchParams.get('token') ?? '').length >= 32);
});

test('pages need the token; with it they come with the cookie, the CSP and nosniff', async () => {
  assert.equal((await get('/')).status, 401);
  assert.equal((await get('/?token=wrong')).status, 401);
  const page = await get(`/?token=${server.token}`);
  assert.equal(page.status, 200);
  assert.match(page.body, /<title>studio/);
  const cookie = String(page.headers['set-cookie']);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
  assert.equal(page.headers['x-content-type-options'], 'nosniff');
  const cookieHeader = cookie.split(';')[0]!;
  assert.equal(cookieHeader, `wavenet_studio_token_${new URL(origin).port}=${server.token}`, 'named per port: two studios on one host keep their own');
  assert.equal((await get('/assets/app-1234.js', { cookie: `wavenet_studio_token_1=${server.token}` })).status, 401, "another port's cookie is not ours");
  const asset = await get('/assets/app-1234.js', { cookie: cookieHeader });
  assert.equal(asset.status, 200);
  assert.match(String(asset.headers['content-type']), /javascript/);
  assert.equal((await get('/assets/../../../../etc/passwd', { cookie: cookieHeader })).status, 404);
  assert.equal((await get('/%2e%2e/%2e%2e/etc/passwd', { cookie: cookieHeader })).status, 404);
  assert.equal((await get(`/?token=${server.token}`, { host: `evil.example:${new URL(origin).port}` })).status, 403, 'DNS rebinding refused');
  assert.equal((await get(`/?token=${server.token}`, { host: 'localhost:9000' })).status, 200, 'a loopback name on another port (an SSH tunnel) is ours');
});

function connect(url: string, wsOrigin: string): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { origin: wsOrigin });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
  });
}

function call(ws: WebSocket, id: number, method: string, args?: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  return new Promise((resolve, reject) => {
    const onClose = (code: number) => reject(new Error(`the server closed the socket (${code}) instead of answering ${method}`));
    const onMessage = (data: WebSocket.RawData) => {
      const msg = JSON.parse(data.toString());
      if (msg.type === 'result' && msg.id === id) {
        ws.off('message', onMessage);
        ws.off('close', onClose);
        resolve(msg);
      }
    };
    ws.on('message', onMessage);
    ws.once('close', onClose);
    ws.send(JSON.stringify({ type: 'call', id, method, args }));
  });
}

test('the API socket needs the token and our own Origin, then answers calls from the contract', async () => {
  const api = `${origin.replace('http', 'ws')}/api`;
  assert.equal(await connect(api, origin), 401);
  assert.equal(await connect(`${api}?token=${server.token}`, 'http://evil.example'), 403);
  const ws = await connect(`${api}?token=${server.token}`, origin);
  assert.ok(ws instanceof WebSocket);
  try {
    const parent = tempDir('proj');
    const project = path.join(parent, 'Voice');
    const created = await call(ws, 1, 'projects.create', { parent, name: 'Voice' });
    assert.equal(created.ok, true, JSON.stringify(created));
    const listed = await call(ws, 2, 'projects.list');
    assert.deepEqual((listed.value as { path: string }[]).map((p) => p.path), [project]);
    const bad = await call(ws, 3, 'projects.create', { parent });
    assert.equal(bad.error?.code, 'BAD_ARGUMENTS');
    const again = await call(ws, 6, 'projects.create', { parent, name: 'Voice' });
    assert.match(again.error?.message ?? '', /already exists and is not empty/);
    const dialog = await call(ws, 4, 'dialogs.chooseFolder', { title: 'Pick' });
    assert.equal(dialog.error?.code, 'NOT_AVAILABLE');
    const dir = await call(ws, 5, 'fs.listDir', { path: parent });
    assert.deepEqual((dir.value as { entries: { name: string; kind: string }[] }).entries, [{ name: 'Voice', path: project, kind: 'dir' }]);
  } finally {
    ws.close();
  }
});

test('a frame too large for the socket closes that connection only; the server goes on answering', async () => {
  // A server of its own with a 1 MiB limit: the default (MAX_MESSAGE_BYTES) is 256 MiB.
  const small = await startStudioServer({ host: '127.0.0.1', port: 0, rendererDir: renderer, dispatch: backend.dispatch, maxMessageBytes: 1 << 20 });
  const smallOrigin = new URL(small.url).origin;
  const api = `${smallOrigin.replace('http', 'ws')}/api?token=${small.token}`;
  try {
    const ws = await connect(api, smallOrigin);
    assert.ok(ws instanceof WebSocket);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('x'.repeat(2 << 20));
    assert.equal(await closed, 1009, 'closed as "message too big"');
    const again = await connect(api, smallOrigin);
    assert.ok(again instanceof WebSocket);
    try {
      assert.equal((await call(again, 1, 'projects.list')).ok, true);
    } finally {
      again.close();
    }
  } finally {
    await small.close();
  }
});

test('a 30 s mel sheet (~4 MB of JSON) saves through the socket and reads back whole', async () => {
  const ws = await connect(`${origin.replace('http', 'ws')}/api?token=${server.token}`, origin);
  assert.ok(ws instanceof WebSocket);
  try {
    const parent = tempDir('proj-big');
    const created = await call(ws, 1, 'projects.create', { parent, name: 'Sheets' });
    assert.equal(created.ok, true, JSON.stringify(created));
    const project = path.join(parent, 'Sheets');
    const frames = 30 * 80;
    const data = Array.from({ length: frames * 80 }, (_, i) => Math.fround(-11.5 + 10 * Math.abs(Math.sin(i * 0.37))));
    const document = { id: 'sheet', name: 'Half a minute', kind: 'mel', sampleRate: 16000, hop: 200, mel: { frames, bins: 80, data } };
    assert.ok(JSON.stringify(document).length > 3 << 20, 'more than three times the old 1 MiB limit');
    const saved = await call(ws, 2, 'documents.save', { project, document });
    assert.equal(saved.ok, true, JSON.stringify(saved.error));
    const read = await call(ws, 3, 'documents.get', { project, id: 'sheet' });
    assert.equal(read.ok, true, JSON.stringify(read.error));
    assert.deepEqual((read.value as { document: { mel: { data: number[] } } }).document.mel.data, data);
  } finally {
    ws.close();
  }
});
