// The browser-mode client against a real WebSocket server: calls by property path, typed errors,
// `on*` event subscriptions, calls queued before the socket opens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { createWsClient, RemoteError, isEventName, type WireRequest } from '../../../renderer/src/api/ws-client';

interface TestApi {
  math: { add(args: { a: number; b: number }): Promise<number>; fail(args: object): Promise<never> };
  jobs: { onProgress(handler: (e: { done: number }) => void): () => void };
}

// The client is written for the browser's WebSocket; ws implements the same addEventListener API.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

test('event names follow the on* convention', () => {
  assert.equal(isEventName('onProgress'), true);
  assert.equal(isEventName('open'), false);
  assert.equal(isEventName('one'), false);
});

/** A WebSocket server on a free loopback port that hands every frame to `answer`, and its URL. */
async function testServer(answer: (socket: WebSocket, req: WireRequest, frame: string) => void): Promise<{ server: WebSocketServer; url: string }> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  server.on('connection', (socket) => socket.on('message', (data) => answer(socket, JSON.parse(String(data)) as WireRequest, String(data))));
  return { server, url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/api` };
}

test('calls, errors and events travel over one socket', async () => {
  const seen: string[] = [];
  const { server, url } = await testServer((socket, req) => {
    seen.push(req.method);
    if (req.method === 'math.add') {
      const { a, b } = req.args as { a: number; b: number };
      socket.send(JSON.stringify({ type: 'result', id: req.id, ok: true, value: a + b }));
      socket.send(JSON.stringify({ type: 'event', event: 'jobs.onProgress', payload: { done: a + b } }));
    } else {
      socket.send(JSON.stringify({ type: 'result', id: req.id, ok: false, error: { code: 'BAD_ARGUMENTS', message: 'Pass a and b.' } }));
    }
  });
  const stop = new AbortController();
  const client = createWsClient<TestApi>(url, { signal: stop.signal });

  const progress: number[] = [];
  const unsubscribe = client.jobs.onProgress((e) => progress.push(e.done));
  // Sent before the socket opened: queued, then delivered.
  assert.equal(await client.math.add({ a: 2, b: 3 }), 5);
  await assert.rejects(client.math.fail({}), (err: unknown) => err instanceof RemoteError && err.code === 'BAD_ARGUMENTS' && err.message === 'Pass a and b.');
  assert.deepEqual(progress, [5]);
  unsubscribe();
  assert.equal(await client.math.add({ a: 1, b: 1 }), 2);
  assert.deepEqual(progress, [5], 'no events after unsubscribing');
  assert.deepEqual(seen, ['math.add', 'math.fail', 'math.add']);
  // A promise-aware caller must not mistake the proxy for a thenable.
  assert.equal((client as unknown as { then?: unknown }).then, undefined);

  // The server going away fails calls in flight with a message that says what to check.
  const inFlight = client.math.add({ a: 0, b: 0 });
  server.removeAllListeners('connection');
  for (const c of server.clients) c.removeAllListeners('message');
  for (const c of server.clients) c.terminate();
  await assert.rejects(inFlight, (err: unknown) => err instanceof RemoteError && err.code === 'DISCONNECTED');
  stop.abort();
  await new Promise((r) => server.close(r));
});

test('a call larger than the server takes is refused here, with the sizes, and the connection stays', async () => {
  const sizes: number[] = [];
  const { server, url } = await testServer((socket, req, frame) => {
    sizes.push(Buffer.byteLength(frame));
    socket.send(JSON.stringify({ type: 'result', id: req.id, ok: true, value: 'stored' }));
  });
  const stop = new AbortController();
  interface SaveApi { documents: { save(args: { text: string }): Promise<string> } }
  const client = createWsClient<SaveApi>(url, { signal: stop.signal, maxMessageBytes: 2000 });
  const refused = (err: unknown): boolean => err instanceof RemoteError && err.code === 'TOO_LARGE' && /too large .* \(\d+\.\d MB; the limit is 0\.0 MB\)/.test(err.message);
  await assert.rejects(client.documents.save({ text: 'x'.repeat(3000) }), refused);
  // Counted in UTF-8 bytes, not characters: 1,100 two-byte letters pass 2,000 bytes in ~1,160 characters.
  await assert.rejects(client.documents.save({ text: 'é'.repeat(1100) }), refused);
  assert.equal(await client.documents.save({ text: 'é'.repeat(800) }), 'stored');
  assert.equal(await client.documents.save({ text: 'x'.repeat(1800) }), 'stored');
  assert.equal(sizes.length, 2, 'only the calls within the limit reached the server');
  assert.ok(sizes.every((n) => n <= 2000), `sent ${sizes.join(', ')} bytes`);
  stop.abort();
  await new Promise((r) => server.close(r));
});
