import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { allowedHost, ownOrigin } from '../../../main/server/access';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

test('Host: loopback names on any port for a loopback server; only its own name otherwise', () => {
  for (const host of ['127.0.0.1:8080', 'localhost:9000', '[::1]:8080', 'LOCALHOST:1']) assert.equal(allowedHost(req({ host }), '127.0.0.1'), true, host);
  for (const host of ['evil.example:8080', '127.0.0.1.evil.example:8080', 'localhostx:8080', '', '[::2]:8080']) assert.equal(allowedHost(req({ host }), '127.0.0.1'), false, host);
  assert.equal(allowedHost(req({ host: '192.168.1.5:8080' }), '192.168.1.5'), true);
  assert.equal(allowedHost(req({ host: 'localhost:8080' }), '192.168.1.5'), false);
  assert.equal(allowedHost(req({ host: '[fe80::1]:8080' }), 'fe80::1'), true);
  assert.equal(allowedHost(req({ host: 'anything:1' }), '0.0.0.0'), true);
});

test("Origin: only the page's own origin may open the API socket", () => {
  assert.equal(ownOrigin(req({ host: 'localhost:9000', origin: 'http://localhost:9000' })), true);
  assert.equal(ownOrigin(req({ host: 'localhost:9000', origin: 'http://localhost:9001' })), false);
  assert.equal(ownOrigin(req({ host: 'localhost:9000', origin: 'null' })), false);
  assert.equal(ownOrigin(req({ host: 'localhost:9000' })), false);
});
