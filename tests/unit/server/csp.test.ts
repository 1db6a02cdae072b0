import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentSecurityPolicy, withSecurityHeaders } from '../../../main/server/csp';

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => {
    const [name, ...sources] = d.trim().split(/\s+/);
    return [name ?? '', sources];
  }));
}

test('the packaged policy allows only our own scripts and styles, blob: media, and no framing', () => {
  const d = directives(contentSecurityPolicy());
  assert.deepEqual(d.get('default-src'), ["'self'"]);
  assert.deepEqual(d.get('script-src'), ["'self'"]);
  assert.deepEqual(d.get('style-src'), ["'self'"]);
  assert.deepEqual(d.get('img-src'), ["'self'", 'data:', 'blob:']);
  assert.deepEqual(d.get('media-src'), ["'self'", 'blob:']);
  assert.deepEqual(d.get('connect-src'), ["'self'"]);
  assert.deepEqual(d.get('object-src'), ["'none'"]);
  assert.deepEqual(d.get('frame-ancestors'), ["'none'"]);
  assert.ok(!contentSecurityPolicy().includes('unsafe'), 'no unsafe-inline or unsafe-eval in the built app');
});

test('the development policy admits the dev server socket and its injected styles, still no inline script', () => {
  const d = directives(contentSecurityPolicy({ devServerOrigin: 'http://localhost:5173' }));
  assert.deepEqual(d.get('connect-src'), ["'self'", 'ws://localhost:5173']);
  assert.deepEqual(d.get('style-src'), ["'self'", "'unsafe-inline'"]);
  assert.deepEqual(d.get('script-src'), ["'self'"]);
});

test('security headers replace a CSP the response already had, whatever its case, and keep the rest', () => {
  const out = withSecurityHeaders({ 'content-security-policy': "default-src *", 'Content-Type': 'text/html', 'X-Multi': ['a', 'b'] });
  assert.deepEqual(Object.keys(out).filter((k) => k.toLowerCase() === 'content-security-policy'), ['Content-Security-Policy']);
  assert.deepEqual(out['Content-Security-Policy'], [contentSecurityPolicy()]);
  assert.deepEqual(out['Content-Type'], ['text/html']);
  assert.deepEqual(out['X-Multi'], ['a', 'b']);
  assert.deepEqual(out['X-Content-Type-Options'], ['nosniff']);
});
